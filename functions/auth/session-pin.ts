/** The key table PINs are hashed with, derived once per container from the server secret. */
import { derivePinKey } from '../core/pin.ts';
import { secrets } from '../platform/secrets.ts';

let pinKeyPromise: Promise<Buffer> | undefined;

export const pinKey = (): Promise<Buffer> =>
  (pinKeyPromise ??= secrets()
    .then(({ jwtSecret }) => derivePinKey(jwtSecret))
    .catch((error) => {
      pinKeyPromise = undefined;
      throw error;
    }));
