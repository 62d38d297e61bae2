/** The staff floor view: every table with its open session, its phones, bill request, PIN lockout and online payments. */
import { joinedDevices } from '../core/joined-devices.ts';
import type { BillRequest, PaymentMethod, PinLockoutView, SessionMode, TableSessionDoc } from '../data/documents.ts';
import { floorDocuments } from '../data/sessions-store.ts';
import { config } from '../platform/config.ts';
import * as Bill from '../bill/index.ts';
import { lockoutView } from './pin-guard.ts';

export interface FloorTable {
  tableId: string;
  number: string;
  floor: string;
  session: {
    sessionId: string;
    mode: SessionMode;
    status: TableSessionDoc['status'];
    openedAt: Date;
    /** Phones currently joined (unrevoked, unexpired tokens), one entry per device. */
    devices: { deviceId: string; customerName?: string; lastActivityAt: Date }[];
    /** A guest asked for the bill and no payment has been recorded since. */
    billRequest?: { at: Date; customerName?: string; method?: PaymentMethod };
    /** Wrong PINs in the current window, and the lockout in force: a new PIN lifts it. */
    lockout?: PinLockoutView;
    /** Paid online and not yet counted against any order (a share, before the table is covered), minor units. */
    paidOnline?: number;
  } | null;
}

const billRequestView = ({ at, customerName, method }: BillRequest) => ({ at, ...(customerName ? { customerName } : {}), ...(method ? { method } : {}) });

const withLockout = (session: Pick<TableSessionDoc, 'pinVersion' | 'pinLockout'>, now: number) => {
  const lockout = lockoutView(session, now);
  return lockout ? { lockout } : {};
};

/** Every table with its open session (never a PIN or hash), in floor order. */
export async function listFloorTables(): Promise<FloorTable[]> {
  const { tables, sessions } = await floorDocuments(config().restaurantId);
  const now = Date.now();
  const byTable = new Map(sessions.map((s) => [s.tableId.toHexString(), s]));
  const paidOnline = await Bill.paidOnlineBySession(sessions.map((s) => s._id));
  return tables.map((table) => {
    const session = byTable.get(table._id.toHexString());
    return {
      tableId: table._id.toHexString(),
      number: table.number,
      floor: table.floor,
      session: session
        ? {
            sessionId: session._id.toHexString(),
            mode: session.mode,
            status: session.status,
            openedAt: session.openedAt,
            devices: joinedDevices(session.customerTokens ?? [], now),
            ...(session.billRequest ? { billRequest: billRequestView(session.billRequest) } : {}),
            ...withLockout(session, now),
            ...(paidOnline.has(session._id.toHexString()) ? { paidOnline: paidOnline.get(session._id.toHexString()) } : {}),
          }
        : null,
    };
  });
}
