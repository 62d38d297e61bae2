/**
 * Orders: exactly-once placement. The guests' order lists are guest-orders.ts; the staff's list, waiter
 * approval and cancellation are staff-orders.ts; the pushes after a placement are the effects pipeline's (effects.ts).
 *
 * Placement, guard by guard:
 *  1. Powertools idempotency (DynamoDB, 24 h) keyed on restaurant + session + Idempotency-Key: a
 *     retry gets the first answer, a concurrent duplicate 409 IN_PROGRESS, the same key with another
 *     body 422 IDEMPOTENCY_KEY_REUSED.
 *  2. One MongoDB transaction: the cart is taken at the version the phone saw (anything else is 409
 *     CART_CHANGED), every line is priced again from the current menu (409 ITEM_UNAVAILABLE), the
 *     order is inserted. Nothing partial is ever visible.
 *  3. The unique index (restaurantId, idempotencyKey) on orders: a retry whose idempotency record
 *     has expired (or was lost) finds the order it already placed instead of creating another.
 *
 * The ORDER_PLACED audit entry is written in the same transaction: an order never exists without it.
 *
 * MongoDB commands per placement: the token lookup (auth), then cart findAndModify (starts the
 * transaction), menu find together with the order-number findAndModify (outside the transaction: a
 * daily counter is a hot document and must not make concurrent placements conflict), the order and
 * its audit entry in one bulkWrite (MongoDB 8.0+; two inserts on older servers), commit.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { MongoError, ObjectId } from 'mongodb';
import type { GuestPrincipal } from '../auth/principal.ts';
import { repricedLine, samePricing } from '../core/cart-rules.ts';
import { buildOrder, priceCartLines } from '../core/order-building.ts';
import { DomainError } from '../core/errors.ts';
import { auditOf, guestActor } from '../core/events.ts';
import { formatOrderNumber, orderCounterExpiry, orderCounterKey } from '../core/order-number.ts';
import { posMoneyFor } from '../core/pos-money.ts';
import type { OrderDoc, PaymentMethod } from '../data/documents.ts';
import { dynamoClient, tableName } from '../data/dynamo.ts';
import { isDuplicateKeyError } from '../data/duplicate-key.ts';
import { findCart } from '../data/cart-store.ts';
import {
  CartNotAtVersion,
  findOrderByKey,
  findOrderFromCartVersion,
  placeFromCart,
  takeOrderNumber,
} from '../data/orders-store.ts';
import { config } from '../platform/config.ts';
import { logger } from '../platform/logger.ts';
import { auditDocument, type RequestOrigin } from '../data/audit.ts';
import * as Cart from '../cart/index.ts';
import { record } from '../effects.ts';
import { afterCommit, afterPlacement, kitchenSocketsAhead, type KitchenSocketsAhead } from '../effects/orders.ts';
import { toGuestOrder, type GuestOrderView } from './order-views.ts';
import { restaurant } from '../data/restaurant.ts';
import { isObjectIdHex } from '../core/ids.ts';

/** Idempotency records live this long (a phone retrying the next morning places nothing twice). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

export interface PlaceOrderBody {
  cartVersion: number;
  paymentMethod?: PaymentMethod;
}

export interface PlacementRequest {
  guest: GuestPrincipal;
  /** The Idempotency-Key header (a UUID, already validated). */
  idempotencyKey: string;
  body: PlaceOrderBody;
  origin?: RequestOrigin;
  /** The Lambda context: an in-progress record expires with the invocation, so a crashed attempt does not block retries. */
  lambdaContext?: Context;
}

export interface PlacementOutcome {
  order: GuestOrderView;
  /** True when this answer is the first attempt's (from the idempotency record or the orders index). */
  replayed: boolean;
}

/** What the idempotency key and payload hash are computed from: JSON only, no principal objects. */
interface PlacementKey {
  restaurantId: string;
  sessionId: string;
  idempotencyKey: string;
  body: PlaceOrderBody;
}

/** What one attempt learns, outside the idempotency record. */
interface PlacementRun {
  request: PlacementRequest;
  /** The placement function ran (false: Powertools answered from the record). */
  executed: boolean;
  /** It ran but found the order the same key had already placed (orders' unique index). */
  recovered: boolean;
  /** The pushes, started right after the commit, awaited before answering. */
  afterCommit?: Promise<void>;
  /** The kitchen's sockets, looked up while the idempotency record is claimed and the transaction runs. */
  kitchenSockets: KitchenSocketsAhead;
}

/** The stored answer of a placement (Powertools keeps it as JSON for 24 h). */
interface PlacementResult {
  order: GuestOrderView;
}

let persistence: DynamoDBPersistenceLayer | undefined;

function persistenceLayer(): DynamoDBPersistenceLayer {
  persistence ??= new DynamoDBPersistenceLayer({ tableName: tableName('idempotency'), awsSdkV3Client: dynamoClient() });
  return persistence;
}

/** `<sessionId>:<key>`: a key is only meaningful within its table session (and cannot reach another's order). */
const storedIdempotencyKey = (sessionId: ObjectId, key: string): string => `${sessionId.toHexString()}:${key}`;

export async function placeOrder(request: PlacementRequest): Promise<PlacementOutcome> {
  const { guest, idempotencyKey, body } = request;
  // The ticket leaves as soon as the order commits: the kitchen's sockets are looked up meanwhile (the
  // pipeline still looks up after the commit, for the rest and for any tablet that just connected).
  // Not for orders awaiting the waiter, which the kitchen does not see yet.
  const kitchenSockets = restaurant().then(
    (settings) => (settings.orderApproval === 'waiter' ? undefined : kitchenSocketsAhead(guest.restaurantId)),
    () => undefined,
  );
  const run: PlacementRun = { request, executed: false, recovered: false, kitchenSockets };
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: '[restaurantId, sessionId, idempotencyKey]',
    payloadValidationJmesPath: 'body',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    lambdaContext: request.lambdaContext,
  });
  const placeIdempotently = makeIdempotent(placeOnce, {
    persistenceStore: persistenceLayer(),
    config: idempotencyConfig,
    keyPrefix: 'plato.placeOrder',
  });
  const key: PlacementKey = {
    restaurantId: guest.restaurantId,
    sessionId: guest.sessionId.toHexString(),
    idempotencyKey,
    body: body.paymentMethod ? { cartVersion: body.cartVersion, paymentMethod: body.paymentMethod } : { cartVersion: body.cartVersion },
  };

  let result: PlacementResult;
  try {
    result = await placeIdempotently(key, run);
  } catch (error) {
    throw idempotencyFailure(error);
  } finally {
    await run.afterCommit;
  }

  const replayed = !run.executed || run.recovered;
  if (replayed) {
    await record(
      {
        type: 'OrderReplayed',
        actor: guestActor(guest),
        tableId: guest.tableId,
        sessionId: guest.sessionId,
        orderId: new ObjectId(result.order.orderId),
        orderNumber: result.order.orderNumber,
        source: run.executed ? 'orders-index' : 'idempotency-record',
      },
      request.origin,
    );
  }
  return { order: result.order, replayed };
}

/** Powertools' errors as the API's: everything else (domain errors included) passes through. */
function idempotencyFailure(error: unknown): unknown {
  const name = (error as { name?: string })?.name;
  switch (name) {
    case 'IdempotencyValidationError':
      return new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different order request', { cause: error });
    case 'IdempotencyAlreadyInProgressError':
    case 'IdempotencyInconsistentStateError':
      return new DomainError('IN_PROGRESS', 'This order is being placed; retry in a moment with the same key', { retryAfterSeconds: 1, cause: error });
    case 'IdempotencyPersistenceLayerError':
    case 'IdempotencyUnknownError': {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof DomainError) return cause;
      logger.error('Idempotency store failure', { error: error as Error });
      return new DomainError('SERVICE_UNAVAILABLE', 'The order service is briefly unavailable; retry with the same key', { retryAfterSeconds: 1, cause: error });
    }
    default:
      return error;
  }
}

/** Thrown inside the transaction when a line's dish or option now costs (or is called) something else than the cart shows. */
class PricesChanged extends Error {
  constructor(readonly lineIds: string[]) {
    super('The menu prices changed since the cart was priced');
  }
}

/** One placement attempt; runs at most once at a time per key (Powertools holds the in-progress record). */
async function placeOnce(key: PlacementKey, run: PlacementRun): Promise<PlacementResult> {
  run.executed = true;
  const { guest, origin } = run.request;
  const settings = await restaurant();
  const orderKey = storedIdempotencyKey(guest.sessionId, key.idempotencyKey);
  let placed: { order: OrderDoc; emptiedCartVersion: number };
  try {
    placed = await placeFromCart(Cart.filterFor(guest), key.body.cartVersion, async ({ cart, menuItems }) => {
      const now = new Date();
      const ids = [...new Set(cart.lines.map((line) => line.menuItemId))].filter(isObjectIdHex);
      // The day's next number is taken alongside the menu read (one round trip less); a number
      // taken for an order then refused as unavailable is simply skipped.
      // Both settle before anything is thrown: the transaction must not be aborted while its read is in flight.
      const [menuRead, numberTaken] = await Promise.allSettled([
        menuItems(ids.map((id) => new ObjectId(id))),
        nextOrderNumber(guest.restaurantId, settings.timeZone, now),
      ]);
      if (menuRead.status === 'rejected') throw menuRead.reason;
      if (numberTaken.status === 'rejected') throw numberTaken.reason;
      const [menu, orderNumber] = [menuRead.value, numberTaken.value];
      const menuById = new Map(menu.map((item) => [item._id.toHexString(), item]));
      const items = priceCartLines(cart.lines, menuById, guest.restaurantId, posMoneyFor(config().posMoneyUnit, settings.currency));
      // The guest confirmed the cart's prices: never charge others (a refresh after a menu edit is on its way).
      const repriced = cart.lines.filter((line) => !samePricing(line, repricedLine(line, menuById.get(line.menuItemId)!)));
      if (repriced.length > 0) throw new PricesChanged(repriced.map((line) => line.lineId));
      const money = posMoneyFor(config().posMoneyUnit, settings.currency);
      const order = buildOrder({ orderId: new ObjectId(), guest, items, orderNumber, orderKey, body: key.body, taxRateBps: settings.taxRateBps, approval: settings.orderApproval, money, now });
      // The ORDER_PLACED entry is written with the order, in its transaction.
      const audit = auditOf({ type: 'OrderPlaced', order, actor: guestActor(guest), emptiedCartVersion: cart.version + 1 })!;
      return { order, audit: auditDocument({ ...audit, ...origin }, now) };
    });
  } catch (error) {
    if (error instanceof CartNotAtVersion) return recoverOrRefuse(run, orderKey, key.body.cartVersion, settings.taxRateBps);
    if (error instanceof PricesChanged) throw await repricedRefusal(guest, error.lineIds);
    if (isDuplicateKeyError(error)) {
      const existing = await findOrderByKey(guest.restaurantId, orderKey);
      if (existing) {
        run.recovered = true;
        return { order: toGuestOrder(existing) };
      }
    }
    if (error instanceof MongoError) {
      logger.error('Order placement transaction failed', { error });
      throw new DomainError('SERVICE_UNAVAILABLE', 'Your order was not placed; please retry', { retryAfterSeconds: 1, cause: error });
    }
    throw error;
  }

  const { order, emptiedCartVersion } = placed;
  run.afterCommit = afterPlacement(run.kitchenSockets)([{ type: 'OrderPlaced', order, actor: guestActor(guest), emptiedCartVersion }], origin).then(
    () => undefined,
    (error) => logger.error('After-placement work failed', { error: error as Error }),
  );
  return { order: toGuestOrder(order) };
}

/**
 * FAMILY: the table's order placed from another phone that took the cart at (or after) the version
 * this phone saw, when nothing has been added since (the cart is still empty).
 */
async function orderThatTookTheCart(guest: GuestPrincipal, cartVersion: number, linesNow: number): Promise<OrderDoc | undefined> {
  if (guest.mode !== 'FAMILY' || linesNow > 0) return undefined;
  return (await findOrderFromCartVersion(guest.restaurantId, guest.sessionId, cartVersion, guest.deviceId)) ?? undefined;
}

/**
 * The cart was not at the phone's version (or was empty). Either this key already placed an order
 * (its idempotency record expired or was lost: answer with that order), or the cart really changed.
 */
async function recoverOrRefuse(run: PlacementRun, orderKey: string, cartVersion: number, taxRateBps: number): Promise<PlacementResult> {
  const { guest } = run.request;
  const [existing, cart] = await Promise.all([findOrderByKey(guest.restaurantId, orderKey), findCart(Cart.filterFor(guest))]);
  if (existing) {
    run.recovered = true;
    return { order: toGuestOrder(existing) };
  }
  const view = await Cart.loadView(cart);
  if (view.version === cartVersion && view.lines.length === 0) {
    throw new DomainError('UNPROCESSABLE', 'Your cart is empty', { details: { cart: view } });
  }
  const tableOrder = await orderThatTookTheCart(guest, cartVersion, view.lines.length);
  if (tableOrder) {
    // Two phones tapped Place at once: this one lost, and its dishes went into the table's order.
    throw new DomainError('CART_CHANGED', `Your table just placed order ${tableOrder.orderNumber} from another phone, with the dishes in the cart`, {
      details: { cart: view, reason: 'placed_by_table', order: toGuestOrder(tableOrder) },
    });
  }
  throw new DomainError('CART_CHANGED', 'The cart changed since you last saw it; check it and order again', { details: { cart: view } });
}

/**
 * The cart showed prices the menu no longer has: it is repriced now (a new version, pushed to the
 * table) and the phone gets 409 CART_CHANGED with it, to confirm the new prices and order again.
 */
async function repricedRefusal(guest: GuestPrincipal, lineIds: string[]): Promise<DomainError> {
  const cart = await findCart(Cart.filterFor(guest));
  const dishes = [...new Set((cart?.lines ?? []).map((line) => line.menuItemId))];
  const [items, settings] = await Promise.all([Cart.menuItems(dishes), restaurant()]);
  const updated = cart ? await Cart.reprice(cart, items, dishes) : null;
  const view = Cart.viewOf(updated ?? cart, items, settings.taxRateBps);
  if (updated) await afterCommit([{ type: 'CartChanged', restaurantId: guest.restaurantId, sessionId: guest.sessionId, cart: updated, view }]);
  return new DomainError('CART_CHANGED', 'Prices on the menu changed since you last saw the cart; check it and order again', {
    details: { cart: view, reason: 'prices_changed', lineIds },
  });
}

/** The next order number of the restaurant's day, from one atomic counter document (upserted on the day's first order). */
async function nextOrderNumber(restaurantId: string, timeZone: string, now: Date): Promise<string> {
  const seq = await takeOrderNumber(restaurantId, orderCounterKey(restaurantId, now, timeZone), orderCounterExpiry(now));
  return formatOrderNumber(seq);
}
