/**
 * The menu's staff edits (the public view guests browse, grouped by category with an ETag that is a
 * hash of the content, is core/menu.ts, read by data/menu-store.ts). MANAGER and above create, edit and delete dishes (a delete is soft:
 * `deletedAt`, so orders and carts that name the dish still resolve it); WAITER may only mark a
 * dish sold out or back. Every change is pushed live to every guest socket as `menu.updated`, and
 * a change of availability, name or prices reaches the open carts holding the dish (see refreshCartsContaining).
 */
import { staffActor } from '../core/events.ts';
import type { MenuChange } from '../core/admin-events.ts';
import { ObjectId } from 'mongodb';
import type { StaffPrincipal } from '../auth/principal.ts';
import { DomainError, notFound } from '../core/errors.ts';
import { isObjectIdHex } from '../core/ids.ts';
import { itemChangeOf, type MenuItemChange } from '../core/menu.ts';
import { languageSettingsOf, translationProblems } from '../core/translations.ts';
import type { MenuItemDoc } from '../data/documents.ts';
import { deleteLiveDish, findLiveDish, insertDish, updateLiveDish } from '../data/menu-store.ts';
import { logger } from '../platform/logger.ts';
import { roleAtLeast, type StaffRole } from '../core/roles.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterMenuCommit as afterCommit } from './admin-pushes.ts';
import * as Cart from '../cart/index.ts';
import { restaurant } from '../data/restaurant.ts';

/** Fields a staff member sets on a dish: the stored dish without ids, bookkeeping and deletion. */
export type MenuItemInput = Omit<MenuItemDoc, '_id' | 'restaurantId' | 'deletedAt' | 'createdAt' | 'updatedAt'>;

export type MenuItemPatch = Partial<MenuItemInput>;

/** The only field below MANAGER: a waiter marks a dish sold out or back. */
const WAITER_FIELDS: ReadonlySet<string> = new Set(['isAvailable']);

/** WAITER may only change isAvailable; any other field needs MANAGER. */
export function assertMayChangeFields(role: StaffRole, fields: readonly string[]): void {
  if (roleAtLeast(role, 'MANAGER')) return;
  const others = fields.filter((field) => !WAITER_FIELDS.has(field));
  if (others.length > 0) {
    throw new DomainError('FORBIDDEN', 'Waiters can mark a dish sold out or back; other changes need a manager', {
      details: { fields: others, requiredRole: 'MANAGER' },
    });
  }
}

async function assertKnownStation(station: string | undefined): Promise<void> {
  if (station === undefined) return;
  const { stations } = await restaurant();
  if (!stations.includes(station)) {
    throw new DomainError('VALIDATION_FAILED', 'The request body is not valid', {
      details: [{ path: 'body.station', code: 'unknown_station', message: `Station must be one of ${stations.join(', ')}`, allowed: stations }],
    });
  }
}

async function assertTranslations(dish: Pick<MenuItemDoc, 'translations' | 'modifierGroups'>): Promise<void> {
  if (!dish.translations) return;
  const problems = translationProblems(dish, languageSettingsOf(await restaurant()));
  if (problems.length) throw new DomainError('VALIDATION_FAILED', 'The request body is not valid', { details: problems });
}

export const toObjectId = (itemId: string): ObjectId => {
  if (!isObjectIdHex(itemId)) throw notFound('Menu item');
  return new ObjectId(itemId);
};

/** A committed dish change: audited (who sold out what, and when) and pushed to every guest's menu (effects pipeline). */
export const announceChange = (staff: StaffPrincipal, origin: RequestOrigin, change: MenuChange, item: MenuItemDoc, details?: Record<string, unknown>) =>
  afterCommit(
    [{ type: 'MenuItemChanged', actor: staffActor(staff), restaurantId: staff.restaurantId, change, menuItemId: item._id.toHexString(), name: item.name, item: itemChangeOf(item), details }],
    origin,
  );

/** Fields whose change the open carts holding the dish must show (their lines carry name and prices). */
const CART_FIELDS: readonly string[] = ['isAvailable', 'name', 'price', 'modifierGroups'];

/** Refreshes the open carts holding a dish whose availability, name or prices changed (the cart slice pushes them). */
async function refreshCarts(dishes: readonly MenuItemDoc[]): Promise<void> {
  if (!dishes.length) return;
  await Cart.repriceDishes(dishes.map((item) => item._id.toHexString())).catch((error) =>
    logger.error('Could not refresh carts after a menu change', { error: error as Error }),
  );
}

export async function createMenuItem(staff: StaffPrincipal, input: MenuItemInput, origin: RequestOrigin = {}): Promise<MenuItemChange> {
  assertMayChangeFields(staff.role, Object.keys(input));
  await Promise.all([assertKnownStation(input.station), assertTranslations(input)]);
  const now = new Date();
  const doc: MenuItemDoc = { _id: new ObjectId(), restaurantId: staff.restaurantId, ...input, createdAt: now, updatedAt: now };
  await insertDish(doc);
  await announceChange(staff, origin, 'MENU_ITEM_CREATED', doc);
  return itemChangeOf(doc);
}

export async function updateMenuItem(staff: StaffPrincipal, itemId: string, patch: MenuItemPatch, origin: RequestOrigin = {}): Promise<MenuItemChange> {
  const fields = Object.keys(patch);
  assertMayChangeFields(staff.role, fields);
  await assertKnownStation(patch.station);
  if (patch.translations) {
    // Checked against the dish as it will be: its groups and options, possibly changed in the same patch.
    const current = await findLiveDish(staff.restaurantId, toObjectId(itemId));
    if (!current) throw notFound('Menu item');
    await assertTranslations({ ...current, ...patch });
  }
  const now = new Date();
  const before = await updateLiveDish(staff.restaurantId, toObjectId(itemId), { ...patch, updatedAt: now });
  if (!before) throw notFound('Menu item');
  const after: MenuItemDoc = { ...before, ...patch, updatedAt: now };
  const availabilityChanged = before.isAvailable !== after.isAvailable;
  const cartsSeeIt = fields.some((field) => CART_FIELDS.includes(field) && JSON.stringify(before[field as keyof MenuItemDoc]) !== JSON.stringify(after[field as keyof MenuItemDoc]));
  await Promise.all([
    announceChange(staff, origin, availabilityChanged && fields.length === 1 ? (after.isAvailable ? 'MENU_ITEM_AVAILABLE' : 'MENU_ITEM_SOLD_OUT') : 'MENU_ITEM_UPDATED', after, { fields }),
    refreshCarts(cartsSeeIt ? [after] : []),
  ]);
  return itemChangeOf(after);
}

/** Soft delete: the dish leaves the menu; carts holding it flag the line unavailable. */
export async function deleteMenuItem(staff: StaffPrincipal, itemId: string, origin: RequestOrigin = {}): Promise<void> {
  const deleted = await deleteLiveDish(staff.restaurantId, toObjectId(itemId), new Date());
  if (!deleted) throw notFound('Menu item');
  await Promise.all([announceChange(staff, origin, 'MENU_ITEM_DELETED', deleted), refreshCarts(deleted.isAvailable ? [deleted] : [])]);
}
