/**
 * The kitchen's server shapes: the types inferred from the contract's strict kitchen output schemas
 * (functions/contract/kitchen.ts; type-only imports, erased at build time). No prices, no totals, no guest names or phones
 * exist here: the server never sends them to a kitchen screen.
 */
import type { AllDay, KitchenBoard, KitchenPush as ServerKitchenPush, KitchenTicket, KitchenTicketList } from '../../functions/contract/kitchen.ts';

export type { KitchenBoard, KitchenItem, KitchenTicket, KitchenTicketList } from '../../functions/contract/kitchen.ts';

export type Urgency = KitchenBoard['urgency'];

/** GET /api/kitchen/all-day (functions/contract/kitchen.ts) */
export type AllDayAnswer = AllDay;
export type TicketTime = AllDay['ticketTimes'][number];

/** PATCH …/items/:i, POST …/bump, POST …/recall (functions/kitchen/handlers/kitchen.ts) */
export interface TicketReply {
  ticket: KitchenTicket;
}

/** The kitchen module's pushes, plus the answer to a `sync` (functions/gateway/socket-sync.ts: serverTime + the open tickets). */
export type KitchenPush = ServerKitchenPush | ({ type: 'sync' } & KitchenTicketList);
