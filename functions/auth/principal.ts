import type { ObjectId } from 'mongodb';
import type { SessionMode } from '../data/documents.ts';
import type { StaffRole } from '../routes.ts';

export interface StaffPrincipal {
  kind: 'staff';
  userId: string;
  username: string;
  role: StaffRole;
  restaurantId: string;
}

export interface GuestPrincipal {
  kind: 'guest';
  restaurantId: string;
  sessionId: ObjectId;
  tableId: ObjectId;
  deviceId: string;
  mode: SessionMode;
  tokenHash: string;
  tokenExpiresAt: Date;
  customerId?: ObjectId;
  customerName?: string;
}

export type Principal = StaffPrincipal | GuestPrincipal;
