/**
 * Per-client request rates for tests of other features (functions/platform/config.ts `rates`): a
 * test file, or the crash test's guests, is one client (one IP, a few tokens) making hundreds of
 * requests. The rate tests set their own.
 */
export const RAISED_RATES: Record<string, string> = {
  RATE_JOIN_IP: '100000/60',
  RATE_LOGIN_IP: '100000/60',
  RATE_CONNECT_IP: '100000/60',
  RATE_CONNECT_TOKEN: '100000/60',
  RATE_DINER_WRITES_TOKEN: '100000/60',
  LOGIN_IP_MAX_FAILURES: '100000',
};
