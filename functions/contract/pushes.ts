/**
 * The WebSocket API's messages. Clients send `{"action": …}`; the server pushes `ServerPush`, one
 * union discriminated on `type`. realtime/push.ts sends only these, and the apps switch on `type`.
 */
import * as z from 'zod';
import { ERROR_CODES } from '../core/errors.ts';
import { BillRequestAnswer, GuestIntentView } from './bill.ts';
import { CartView } from './cart.ts';
import { money, station } from './common.ts';
import { KitchenPushSchema, KitchenTicketSchema } from './kitchen.ts';
import { MenuItemChange } from './menu.ts';
import { GuestOrderView, StaffOrderView } from './orders.ts';

// ---------- client → server ----------

/** Query of the `/ws` handshake. Staff apps connect with `channel=kitchen` (optionally a `station`) or `channel=staff`. */
export const ConnectQuery = z.object({
  channel: z.enum(['kitchen', 'staff']).optional(),
  station: station.optional(),
  /** For clients that cannot send the cookie: the guest token or staff JWT. */
  token: z.string().optional(),
});

export const ClientAction = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('ping') }).describe('A heartbeat: answered with `pong`'),
  z.strictObject({ action: z.literal('sync') }).describe("Reload this socket's state after a reconnect: answered with `sync`"),
]);

// ---------- server → client ----------

const push = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S, audience: string) =>
  z.object({ type: z.literal(type), ...shape }).meta({ description: audience });

export const ServerPush = z.discriminatedUnion('type', [
  push('pong', { serverTime: z.string() }, "the socket that sent `ping`; a kitchen tablet's: every kitchen socket of the restaurant, at most once in 10 s"),
  push(
    'sync',
    {
      /** This socket's id: the app names it on HTTP calls (X-Plato-Connection-Id) so pushes about its own changes skip it. */
      connectionId: z.string(),
      serverTime: z.string(),
      channel: z.enum(['GUEST', 'KITCHEN', 'STAFF']),
      /** Guests: the table's (FAMILY) or phone's (INDIVIDUAL) cart, null when the session is gone. */
      cart: CartView.nullable().optional(),
      /** Guests: their orders; kitchen: the open tickets of the tablet's station. */
      orders: z.union([z.array(GuestOrderView), z.array(KitchenTicketSchema)]).optional(),
      /** Guests: the menu's version (opaque); a phone reloads the menu on a resync only when it changed. */
      menuVersion: z.string().optional(),
    },
    'the socket that sent `sync`',
  ),
  push(
    'error',
    {
      error: z.object({ code: z.enum(ERROR_CODES).or(z.literal('UNKNOWN_ACTION')), message: z.string(), retryAfterSeconds: z.number().optional() }),
      /** The close code the socket is closed with right after (1008: too many messages). */
      closeCode: z.number().int().optional(),
    },
    'the socket whose action was refused',
  ),
  push('cart.updated', { cart: CartView }, "the cart's phones (the table's, FAMILY; the phone's, INDIVIDUAL)"),
  push('menu.updated', { items: z.array(MenuItemChange), /** The names or languages changed: reload the menu. */ names: z.literal(true).optional() }, 'every guest'),
  push('order.updated', { order: z.union([StaffOrderView, GuestOrderView]) }, "the order's phones (guest view) and the staff consoles (staff view)"),
  push('order.pending', { order: StaffOrderView }, 'the staff consoles: an order awaits a waiter'),
  ...KitchenPushSchema.options.map((option) => option.meta({ description: 'the kitchen tablets of the ticket’s station' })),
  push(
    'bill.requested',
    {
      ...BillRequestAnswer.shape,
      // Staff consoles only: which table asked.
      tableId: z.string().optional(),
      tableNumber: z.string().optional(),
      sessionId: z.string().optional(),
      due: money.optional(),
      customerName: z.string().optional(),
    },
    "the staff consoles (with the table) and the table's phones",
  ),
  push('session.closed', { sessionId: z.string() }, "the session's phones: the visit ended"),
  push('table.updated', { tableId: z.string(), sessionId: z.string().optional() }, 'the staff consoles: reload this table'),
  push('payment.updated', { payment: GuestIntentView }, "the table's phones (INDIVIDUAL: the paying phone)"),
  push(
    'payment.flagged',
    { tableId: z.string(), sessionId: z.string(), tableNumber: z.string(), intentId: z.string(), reason: z.string() },
    'the staff consoles: a payment needs a manager',
  ),
]);

export type ConnectQuery = z.infer<typeof ConnectQuery>;
export type ClientAction = z.infer<typeof ClientAction>;
export type ServerPush = z.infer<typeof ServerPush>;
export type ServerPushType = ServerPush['type'];
/** One member of the push union, by its type: `PushOf<'cart.updated'>`. */
export type PushOf<T extends ServerPushType> = Extract<ServerPush, { type: T }>;
