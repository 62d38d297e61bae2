/** Which phones are joined to a table session, from its guest tokens. */

/** What a guest token entry on a table session says about its phone. */
export interface GuestTokenFields {
  deviceId: string;
  customerName?: string;
  expiresAt: Date;
  lastActivityAt: Date;
  revokedAt?: Date;
}

export interface JoinedDevice {
  deviceId: string;
  customerName?: string;
  lastActivityAt: Date;
}

/** One entry per device holding a token that is neither revoked nor expired (its latest token wins), in joining order. */
export function joinedDevices(tokens: readonly Partial<GuestTokenFields>[], now = Date.now()): JoinedDevice[] {
  const devices = new Map<string, JoinedDevice>();
  for (const token of tokens) {
    if (!token.deviceId || token.revokedAt || !token.expiresAt || new Date(token.expiresAt).getTime() <= now) continue;
    devices.set(token.deviceId, {
      deviceId: token.deviceId,
      ...(token.customerName ? { customerName: token.customerName } : {}),
      lastActivityAt: token.lastActivityAt!,
    });
  }
  return [...devices.values()];
}
