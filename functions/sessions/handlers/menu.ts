/**
 * GET /api/menu: public and cacheable (CloudFront and browsers), revalidated by ETag (core/menu.ts, the
 * menu's one version). The body is the JSON the container keeps while the menu's stamps stay put
 * (data/menu-store.ts currentMenu), sent as it is.
 */
import { publicMenuRoutes } from '../../contract/public-menu.ts';
import { etagMatches } from '../../core/menu.ts';
import { currentMenu } from '../../data/menu-store.ts';
import { publicRoute, reply } from '../../http/route.ts';
import { header } from '../../http/request.ts';
import { config } from '../../platform/config.ts';

const CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60';

export const getMenu = publicRoute(publicMenuRoutes.getMenu, async ({ event }) => {
  const { json, etag } = await currentMenu(config().restaurantId);
  const headers = { 'cache-control': CACHE_CONTROL, etag };
  if (etagMatches(header(event, 'if-none-match'), etag)) return reply(undefined, { status: 304, headers });
  return reply(undefined, { text: json, headers });
});
