/**
 * Waiters open and close tables: POST /api/staff/tables/{tableId}/sessions,
 * POST /api/staff/sessions/{sessionId}/pin, POST /api/staff/sessions/{sessionId}/close.
 * (The bill and payment of a session are in staff-billing.ts.)
 */
import { staffRoutes } from '../../contract/staff.ts';
import { reply } from '../../http/route.ts';
import { staffRoute } from '../../http/staff-route.ts';
import * as Sessions from '../../sessions/index.ts';

export const openSession = staffRoute(staffRoutes.openSession, async ({ body, params, staff, ip, userAgent }) => {
  const opened = await Sessions.openTableSession(
    { tableId: params.tableId, mode: body.mode, openedBy: { userId: staff.userId, username: staff.username } },
    { ip, userAgent },
  );
  return reply(
    {
      sessionId: opened.sessionId,
      pin: opened.pin,
      mode: opened.mode,
      table: { tableId: opened.tableId, number: opened.tableNumber, floor: opened.floor },
      openedAt: opened.openedAt,
    },
    { status: 201 },
  );
});

export const regeneratePin = staffRoute(staffRoutes.regeneratePin, async ({ params, staff, ip, userAgent }) =>
  Sessions.regenerateSessionPin(params.sessionId, staff, { ip, userAgent }),
);

// Wrapped in reply(): the body has its own `status` field, which a bare return would pass off as the HTTP status.
export const closeSession = staffRoute(staffRoutes.closeSession, async ({ params, staff, ip, userAgent }) =>
  reply(await Sessions.closeTableSession(params.sessionId, staff, { ip, userAgent })),
);
