/** GET /api/menu: public and cacheable (CloudFront and browsers), revalidated by ETag. */
import { menuRoutes } from '../../contract/menu.ts';
import { publicRoute, reply } from '../../http/route.ts';
import { header } from '../../http/request.ts';
import * as Admin from '../../admin/index.ts';

const CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60';

export const getMenu = publicRoute(menuRoutes.getMenu, async ({ event }) => {
  const { menu, etag } = await Admin.publicMenu();
  const headers = { 'cache-control': CACHE_CONTROL, etag };
  if (Admin.etagMatches(header(event, 'if-none-match'), etag)) return reply(undefined, { status: 304, headers });
  return reply(menu, { headers });
});
