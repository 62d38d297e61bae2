/** The one name of a guest on every screen (rule: functions/core/guest-name.ts), with "Guest" in the app's language. */
import { guestName } from '../../functions/core/guest-name.ts';
import { t } from './i18n.ts';

export function guestLabel(name: string | null | undefined, deviceId: string): string {
  return guestName(name, deviceId, t('common.guest'));
}
