/**
 * `/config.json`: the restaurant's public settings the apps start from. One shape, written beside
 * the apps by the CDK deployment (lib/web-distribution.ts), served by the local runtime
 * (local/gateway/static.ts) and read by the apps (web/shared/config.ts).
 */
export interface PublicConfig {
  restaurantId: string;
  name: string;
  currency: string;
  locale: string;
  timeZone: string;
  /** `/api` */
  apiBase: string;
  /** `/ws` */
  wsUrl: string;
}
