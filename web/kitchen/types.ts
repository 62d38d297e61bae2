/**
 * The kitchen's server shapes (functions/services/kitchen.ts output schemas). No prices, no totals,
 * no guest names or phones exist here: the server never sends them to a kitchen screen.
 */
import type { ItemStatus, OrderStatus, SpiceLevel } from '../shared/types.ts';

export interface KitchenItem {
  /** Position in the order: the id used by PATCH …/items/:itemIndex (kept when a station filter hides others). */
  index: number;
  name: string;
  quantity: number;
  modifiers: string[];
  spiceLevel?: SpiceLevel;
  notes?: string;
  station: string;
  itemStatus: ItemStatus;
}

export interface KitchenTicket {
  orderId: string;
  orderNumber: string;
  table: { number: string; floor: string };
  orderDate: string;
  items: KitchenItem[];
  status: OrderStatus;
  bumpedAt?: string;
  updatedAt: string;
}

export interface Urgency {
  urgentMinutes: number;
  criticalMinutes: number;
}

/** GET /api/kitchen/orders */
export interface KitchenBoard {
  serverTime: string;
  urgency: Urgency;
  stations: string[];
  orders: KitchenTicket[];
}

/** GET /api/kitchen/orders?status=bumped */
export interface KitchenTicketList {
  serverTime: string;
  orders: KitchenTicket[];
}

/** PATCH …/items/:i, POST …/bump, POST …/recall */
export interface TicketReply {
  ticket: KitchenTicket;
}

export type KitchenPush =
  | { type: 'order.created'; ticket: KitchenTicket }
  | { type: 'kitchen.ticket'; ticket: KitchenTicket }
  | { type: 'kitchen.ticket_removed'; orderId: string; reason: 'bumped' | 'completed' | 'cancelled' | 'pending'; ticket: KitchenTicket }
  | { type: 'sync'; serverTime: string; orders: KitchenTicket[] };
