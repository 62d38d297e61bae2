/**
 * One name per anonymous guest, the same in the three apps and on the server: the name the guest
 * gave, else "Guest" and a short code from their phone's deviceId — the last four letters or digits
 * (the id is base64url, so "-" and "_" are skipped: never "Guest -HQW"), upper-cased. The apps say
 * "Guest" in their own language (web/shared/guest-name.ts); the code is the same everywhere, so a
 * waiter can match the phone a guest holds with the line on the console.
 */
export function guestCode(deviceId: string): string {
  return deviceId.replace(/[^A-Za-z0-9]/g, '').slice(-4).toUpperCase();
}

/** The guest's name, else `<word> <code>` ("Guest 7ESG"). */
export function guestName(name: string | null | undefined, deviceId: string, word = 'Guest'): string {
  return name?.trim() || `${word} ${guestCode(deviceId)}`;
}
