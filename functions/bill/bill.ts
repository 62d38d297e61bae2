/**
 * The bill and its split. A guest's bill is the whole table's in FAMILY mode and the device's own
 * in INDIVIDUAL mode; staff see a session's whole bill. Cancelled orders (and dishes a manager
 * cancelled) are not charged. Splits divide what is still due — the orders not yet paid — with the
 * one remainder rule of core/split.ts, so shares always add up exactly to the amount due.
 *
 * The amounts only: the UPI link and QR code a bill or share carries are added by bill/upi-offers.ts
 * (so what computes amounts, such as an online payment's, bundles no QR encoder).
 *
 * A guest can ask for the bill (POST /api/bill/request): the staff consoles are told at once and the
 * table shows "bill requested" until a payment is recorded (bill/payments.ts answers it).
 */
import { guestActor } from '../core/events.ts';
import { ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { billReference, isUnpaid, summarize } from '../core/bill-totals.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { guestName } from '../core/guest-name.ts';
import { joinedDevices } from '../core/joined-devices.ts';
import { splitByDevice, splitEqually, type BillLine } from '../core/split.ts';
import type { OrderDoc, PaymentMethod } from '../data/documents.ts';
import { findBillRequestState, findGuestNames, findSessionForBill, findStaffBillSession, markBillRequested, type BillRequest, type SessionForBill } from '../data/bill-store.ts';
import { findBillOrders } from '../data/orders-store.ts';
import { config } from '../platform/config.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit } from '../effects.ts';
import * as Orders from '../orders/index.ts';
import { onlineCredit, type BillScope, type OnlineCredit } from './payment-settlement.ts';
import { restaurant } from '../data/restaurant.ts';
import type { UpiOffer } from '../core/upi.ts';

export type { UpiOffer };

export interface BillView {
  orders: Orders.GuestView[];
  subtotal: number;
  tax: number;
  total: number;
  paid: number;
  /** Paid online and not yet counted against orders (included in `paid`, taken off `due`). */
  paidOnline: number;
  /**
   * Given back to guests from online payments (a manager's refunds, not failed ones). A refund does
   * not make anything due again: it is shown, and `netPaid` is `paid` less it.
   */
  refunded: number;
  netPaid: number;
  due: number;
  currency: string;
  /** What the UPI note carries, e.g. "T-12 bill 004,007": how a waiter matches a payment to the table. */
  reference: string;
  upi?: UpiOffer;
}

/** A phone at the table: who a dish can be shared with, even if it ordered nothing. */
export interface TablePhone {
  deviceId: string;
  /** The name the guest identified with, if any. */
  name?: string;
}

export interface GuestBillView extends BillView {
  /** FAMILY: every phone joined to the table or on the bill; INDIVIDUAL: this phone. */
  phones: TablePhone[];
  /** When this bill was asked for and no payment has been recorded since (ISO time). */
  requestedAt?: string;
  requestedMethod?: PaymentMethod;
  /** Guests can pay from the phone (the restaurant has a payment provider). */
  payOnline?: boolean;
}

export interface SplitShare {
  label: string;
  amount: number;
  deviceId?: string;
  /** The guest's name when the device identified itself. */
  name?: string;
  /** This share is the asking device's. */
  isYou?: boolean;
  upi?: UpiOffer;
}

export interface SplitView {
  by: SplitSpec['by'];
  /** What is split: the amount still due. */
  total: number;
  currency: string;
  /** The bill's reference (BillView.reference), which each share's UPI note starts with. */
  reference: string;
  shares: SplitShare[];
}

/** equal: n shares; device: each device pays for what it added; item: the same, with some dishes shared between named devices. */
export type SplitSpec =
  | { by: 'equal'; n: number }
  | { by: 'device' }
  | { by: 'item'; shared: { orderId: string; itemIndex: number; deviceIds: string[] }[] };

type Scope = { sessionId: ObjectId; deviceId?: string };

/** The bill's orders: oldest first, cancelled ones excluded. */
async function billOrders({ sessionId, deviceId }: Scope): Promise<OrderDoc[]> {
  return findBillOrders(config().restaurantId, sessionId, deviceId);
}

const guestScope = (guest: Pick<GuestPrincipal, 'sessionId' | 'deviceId' | 'mode'>): Scope =>
  guest.mode === 'FAMILY' ? { sessionId: guest.sessionId } : { sessionId: guest.sessionId, deviceId: guest.deviceId };



const creditScope = ({ sessionId, deviceId }: Scope): BillScope => ({
  restaurantId: config().restaurantId,
  sessionId,
  ...(deviceId ? { billDeviceId: deviceId } : {}),
});

/** What is still due once the online credits are taken off (never below zero). */
function withCredit(amounts: ReturnType<typeof summarize>, credit: OnlineCredit) {
  const paidOnline = Math.min(credit.total, amounts.due);
  const paid = amounts.paid + paidOnline;
  return { ...amounts, paid, paidOnline, refunded: credit.refunded, netPaid: paid - credit.refunded, due: amounts.due - paidOnline };
}

async function buildBill(orders: OrderDoc[], tableNumber: string, credit: OnlineCredit): Promise<BillView> {
  const settings = await restaurant();
  const amounts = withCredit(summarize(orders), credit);
  const reference = billReference(tableNumber, orders.filter(isUnpaid));
  return {
    orders: orders.map((order) => Orders.guestView(order)),
    ...amounts,
    currency: settings.currency,
    reference,
  };
}

const sessionForBill = (sessionId: ObjectId): Promise<SessionForBill | null> => findSessionForBill(config().restaurantId, sessionId);

/** The table's phones, in joining order: those still joined, then any other that is on the bill. */
function phonesAtTable(session: SessionForBill | null, orders: readonly OrderDoc[], now = Date.now()): TablePhone[] {
  const phones = new Map<string, TablePhone>();
  const add = (deviceId: string, name?: string) => {
    const known = phones.get(deviceId);
    if (!known) phones.set(deviceId, name ? { deviceId, name } : { deviceId });
    else if (name && !known.name) known.name = name;
  };
  for (const device of joinedDevices(session?.customerTokens ?? [], now)) add(device.deviceId, device.customerName);
  for (const order of orders) {
    add(order.deviceId, order.customerName);
    for (const item of order.items) add(item.addedByDeviceId);
  }
  return [...phones.values()];
}

/** GET /api/bill: the table's bill (FAMILY) or the device's (INDIVIDUAL). */
export async function guestBill(guest: GuestPrincipal): Promise<GuestBillView> {
  const scope = guestScope(guest);
  const [orders, session, credit] = await Promise.all([billOrders(scope), sessionForBill(guest.sessionId), onlineCredit(creditScope(scope))]);
  const phones =
    guest.mode === 'FAMILY'
      ? phonesAtTable(session, orders)
      : [{ deviceId: guest.deviceId, ...(guest.customerName ? { name: guest.customerName } : {}) }];
  const bill: GuestBillView = { ...(await buildBill(orders, guest.tableNumber ?? '', credit)), phones };
  const request = session?.billRequest;
  if (request && (guest.mode === 'FAMILY' || request.deviceId === guest.deviceId)) {
    bill.requestedAt = request.at.toISOString();
    if (request.method) bill.requestedMethod = request.method;
  }
  return bill;
}

/** A second request within this time tells nobody again (a guest tapping twice, or two phones at once). */
export const BILL_REQUEST_REPEAT_MS = 2 * 60_000;

export interface BillRequestAnswer {
  requestedAt: string;
  method?: PaymentMethod;
  /** The bill had already been asked for a moment ago: nobody was told again. */
  alreadyRequested: boolean;
}

/**
 * POST /api/bill/request: tells the staff consoles that this table (or, INDIVIDUAL, this phone)
 * wants to pay, and the table's other phones that it was asked for. Refused when nothing is due.
 */
export async function requestBill(guest: GuestPrincipal, method: PaymentMethod | undefined, origin: RequestOrigin = {}): Promise<BillRequestAnswer> {
  const scope = guestScope(guest);
  const { due } = withCredit(summarize(await billOrders(scope)), await onlineCredit(creditScope(scope)));
  if (due <= 0) throw new DomainError('UNPROCESSABLE', 'There is nothing to pay yet');
  const now = new Date();
  const request: BillRequest = { at: now, deviceId: guest.deviceId };
  if (guest.customerName) request.customerName = guest.customerName;
  if (method) request.method = method;
  // Only one request per repeat window is announced.
  const updated = await markBillRequested(guest.restaurantId, guest.sessionId, request, BILL_REQUEST_REPEAT_MS);
  if (!updated) {
    const current = await findBillRequestState(guest.restaurantId, guest.sessionId);
    if (!current || current.status !== 'OPEN') throw new DomainError('SESSION_CLOSED', 'This table session has ended');
    const earlier = current.billRequest!;
    return { requestedAt: earlier.at.toISOString(), ...(earlier.method ? { method: earlier.method } : {}), alreadyRequested: true };
  }
  const answer: BillRequestAnswer = { requestedAt: now.toISOString(), ...(method ? { method } : {}), alreadyRequested: false };
  await afterCommit(
    [
      {
        type: 'BillRequested',
        actor: guestActor(guest),
        restaurantId: guest.restaurantId,
        tableId: updated.tableId,
        tableNumber: updated.tableNumber,
        sessionId: guest.sessionId,
        due,
        answer,
        ...(guest.customerName ? { customerName: guest.customerName } : {}),
        ...(guest.mode === 'INDIVIDUAL' ? { onlyDevice: guest.deviceId } : {}),
      },
    ],
    origin,
  );
  return answer;
}

export interface StaffBillView extends BillView {
  sessionId: string;
  tableId: string;
  tableNumber: string;
  floor: string;
  mode: string;
  status: string;
  /** What each phone at the table ordered and owes (by the device split). */
  devices: SplitShare[];
}

/** GET /api/staff/sessions/:sessionId/bill: the whole session, whatever its mode, with a per-device breakdown. */
export async function sessionBill(sessionId: string): Promise<StaffBillView> {
  const session = await findStaffBillSession(config().restaurantId, new ObjectId(sessionId));
  if (!session) throw notFound('Table session');
  const scope = { sessionId: session._id };
  const [orders, credit] = await Promise.all([billOrders(scope), onlineCredit(creditScope(scope))]);
  const bill = await buildBill(orders, session.tableNumber, credit);
  const devices = bill.due > 0 ? (await split(orders, { by: 'device' }, undefined, session.tableNumber, credit)).shares : [];
  return {
    ...bill,
    sessionId,
    tableId: session.tableId.toHexString(),
    tableNumber: session.tableNumber,
    floor: session.floor,
    mode: session.mode,
    status: session.status,
    devices,
  };
}

/** GET /api/bill/split: what is still due, in shares. */
export async function guestSplit(guest: GuestPrincipal, spec: SplitSpec): Promise<SplitView> {
  const scope = guestScope(guest);
  const [orders, credit] = await Promise.all([billOrders(scope), onlineCredit(creditScope(scope))]);
  return split(orders, spec, guest.deviceId, guest.tableNumber ?? '', credit);
}

/** The due dishes as the split sees them (cancelled dishes are not charged). */
function dueLines(orders: readonly OrderDoc[]): BillLine[] {
  return orders.filter(isUnpaid).flatMap((order) =>
    order.items.flatMap((item, index) =>
      item.itemStatus === 'CANCELLED' ? [] : [{ ref: `${order._id.toHexString()}:${index}`, amount: item.totalMinor, deviceId: item.addedByDeviceId }],
    ),
  );
}

/**
 * Names the devices: the name a device identified with on one of its orders, else the name it
 * identified with at the table (a dish it added may be on a table-mate's order), else the caller
 * names it by the one anonymous-guest rule ("Guest 7ESG", core/guest-name.ts). The bill's orders all belong to one table session.
 */
async function deviceNames(orders: readonly OrderDoc[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const order of orders) if (order.customerName && !names.has(order.deviceId)) names.set(order.deviceId, order.customerName);
  const sessionId = orders[0]?.sessionId;
  if (!sessionId) return names;
  const session = await findGuestNames(config().restaurantId, sessionId);
  for (const token of session?.customerTokens ?? []) if (token.customerName && !names.has(token.deviceId)) names.set(token.deviceId, token.customerName);
  return names;
}

/**
 * Online credits: equal shares divide what is left after them; by device (or dish), each phone's
 * share is what it owes less what it already paid online.
 */
async function split(
  orders: OrderDoc[],
  spec: SplitSpec,
  askingDeviceId: string | undefined,
  tableNumber: string,
  credit: OnlineCredit,
): Promise<SplitView> {
  const settings = await restaurant();
  const owed = summarize(orders).due;
  const { due } = withCredit(summarize(orders), credit);
  const reference = billReference(tableNumber, orders.filter(isUnpaid));
  let shares: SplitShare[];
  if (spec.by === 'equal') {
    shares = splitEqually(due, spec.n).map((amount, index) => ({ label: `Share ${index + 1} of ${spec.n}`, amount }));
  } else {
    const lines = dueLines(orders);
    const shared = new Map<string, string[]>();
    if (spec.by === 'item') {
      const refs = new Set(lines.map((line) => line.ref));
      for (const entry of spec.shared) {
        const ref = `${entry.orderId}:${entry.itemIndex}`;
        if (!refs.has(ref)) {
          throw new DomainError('VALIDATION_FAILED', 'A shared dish is not on the bill (or is already paid)', {
            details: [{ path: 'query.shares', code: 'unknown_item', message: `No unpaid dish ${ref} on this bill` }],
          });
        }
        shared.set(ref, entry.deviceIds);
      }
    }
    const names = await deviceNames(orders);
    shares = splitByDevice(owed, lines, shared).map(({ deviceId, amount: full }) => {
      const amount = Math.max(0, full - (credit.byDevice.get(deviceId) ?? 0));
      const name = names.get(deviceId);
      const share: SplitShare = { label: guestName(name, deviceId), amount, deviceId };
      if (name) share.name = name;
      if (askingDeviceId && deviceId === askingDeviceId) share.isYou = true;
      return share;
    });
  }
  return { by: spec.by, total: spec.by === 'equal' ? due : shares.reduce((sum, share) => sum + share.amount, 0), currency: settings.currency, reference, shares };
}
