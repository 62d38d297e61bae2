/**
 * The floor: GET /api/staff/tables (every table and its open session, never a PIN) and
 * GET /api/staff/qr-codes (a printable sheet: one SVG QR code per table for its diner link).
 */
import QRCode from 'qrcode';
import { header } from '../http/request.ts';
import type { HttpEvent } from '../http/route.ts';
import { staffRoute } from '../http/staff-route.ts';
import { config } from '../platform/config.ts';
import { collections } from '../data/mongo.ts';
import { listFloorTables } from '../services/table-sessions.ts';

export const listTables = staffRoute({}, async () => ({ tables: await listFloorTables() }));

/** The apps' origin: configured in AWS (CloudFront), derived from the request's Host locally. */
function publicOrigin(event: HttpEvent): string {
  const configured = config().publicOrigin;
  if (configured) return configured.replace(/\/+$/, '');
  const proto = header(event, 'x-forwarded-proto') ?? 'http';
  return `${proto}://${header(event, 'host') ?? 'localhost'}`;
}

const dinerLink = (origin: string, tableId: string): string => `${origin}/?table=${encodeURIComponent(tableId)}`;

export const qrCodes = staffRoute({}, async ({ event }) => {
  const origin = publicOrigin(event);
  const { restaurantId } = config();
  const { tables } = await collections();
  const all = await tables.find({ restaurantId }).sort({ sortOrder: 1, number: 1 }).toArray();
  const floors = new Map<string, { tableId: string; number: string; url: string; svg: string }[]>();
  for (const table of all) {
    const tableId = table._id.toHexString();
    const url = dinerLink(origin, tableId);
    // Error correction M survives a scuffed, laminated table card; margin 2 keeps the quiet zone.
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const list = floors.get(table.floor) ?? [];
    list.push({ tableId, number: table.number, url, svg });
    floors.set(table.floor, list);
  }
  return { origin, floors: [...floors].map(([floor, list]) => ({ floor, tables: list })) };
});
