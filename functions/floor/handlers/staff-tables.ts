/**
 * The floor: GET /api/staff/tables (every table and its open session, never a PIN),
 * GET /api/staff/qr-codes (a printable sheet: one SVG QR code per table for its diner link) and
 * POST /api/staff/tables/{tableId}/code (a new link for one table: the printed one stops working),
 * and a manager's POST /api/staff/tables, PATCH and DELETE /api/staff/tables/{tableId}.
 */
import { qrSvg } from '../../platform/qr-svg.ts';
import { header } from '../../http/request.ts';
import { reply, type HttpEvent } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import { config } from '../../platform/config.ts';
import { tablesInFloorOrder } from '../../data/sessions-store.ts';
import { staffRoutes } from '../../contract/staff.ts';
import * as Sessions from '../../sessions/index.ts';

export const listTables = staffRoute(staffRoutes.listTables, async () => ({ tables: await Sessions.listFloorTables() }));

/** The apps' origin: configured in AWS (CloudFront), derived from the request's Host locally. */
function publicOrigin(event: HttpEvent): string {
  const configured = config().publicOrigin;
  if (configured) return configured.replace(/\/+$/, '');
  const proto = header(event, 'x-forwarded-proto') ?? 'http';
  return `${proto}://${header(event, 'host') ?? 'localhost'}`;
}

/** The link a table's QR code carries: its code, never its database id. */
const dinerLink = (origin: string, code: string): string => `${origin}/?table=${encodeURIComponent(code)}`;

export const qrCodes = staffRoute(staffRoutes.qrCodes, async ({ event }) => {
  const origin = publicOrigin(event);
  const { restaurantId } = config();
  await Sessions.ensureTableCodes(); // a table added by hand since setup gets its code before it is printed
  const all = await tablesInFloorOrder(restaurantId);
  const floors = new Map<string, { tableId: string; number: string; url: string; svg: string }[]>();
  for (const table of all) {
    const tableId = table._id.toHexString();
    const url = dinerLink(origin, table.code!);
    const svg = await qrSvg(url);
    const list = floors.get(table.floor) ?? [];
    list.push({ tableId, number: table.number, url, svg });
    floors.set(table.floor, list);
  }
  return { origin, floors: [...floors].map(([floor, list]) => ({ floor, tables: list })) };
});

/** A new code for one table (MANAGER): answers its new link and QR code, to reprint. */
export const rotateCode = staffRoute(staffRoutes.rotateCode, async ({ event, params, staff, ip, userAgent }) => {
  const rotated = await Sessions.rotateTableCode(params.tableId, staff, { ip, userAgent });
  const url = dinerLink(publicOrigin(event), rotated.code);
  return { tableId: rotated.tableId, number: rotated.number, url, svg: await qrSvg(url) };
});

/** A new table (MANAGER), free, with its QR code. */
export const createTable = staffRoute(staffRoutes.createTable, async ({ body, staff, ip, userAgent }) =>
  reply(await Sessions.createTable(body, staff, { ip, userAgent }), { status: 201 }),
);

/** Renames or moves a table (MANAGER). */
export const updateTable = staffRoute(staffRoutes.updateTable, async ({ body, params, staff, ip, userAgent }) =>
  Sessions.changeTable(params.tableId, body, staff, { ip, userAgent }),
);

/** Removes a table that is not being served (MANAGER). */
export const deleteTable = staffRoute(staffRoutes.deleteTable, async ({ params, staff, ip, userAgent }) => {
  await Sessions.removeTable(params.tableId, staff, { ip, userAgent });
  return reply(undefined, { status: 204 });
});
