import type { ObjectId } from 'mongodb';
import type { SessionMode } from '../data/documents.ts';
import type { StaffRole } from '../core/roles.ts';

export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  username: string;
  role: StaffRole;
  restaurantId: string;
  /** The sign-in (the JWT's `sid`) the request came with: its sockets are the caller's own (realtime/connections.ts). */
  sessionId?: string;
}

export interface GuestPrincipal {
  kind: 'guest';
  restaurantId: string;
  sessionId: ObjectId;
  tableId: ObjectId;
  /** The table's number and floor, copied into orders (optional: principals built outside verifyGuestToken may lack them). */
  tableNumber?: string;
  floor?: string;
  deviceId: string;
  mode: SessionMode;
  tokenHash: string;
  tokenExpiresAt: Date;
  customerId?: ObjectId;
  customerName?: string;
  /** The phone number the guest gave (verified or not: only a verified one links a customer); stored on their orders (seed 002's customerPhone), never sent to any client. */
  customerPhone?: string;
}

export type Principal = StaffPrincipal | GuestPrincipal;
