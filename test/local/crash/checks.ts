/**
 * What must hold after every restart of the crash test, read straight from the runtime's MongoDB and
 * DynamoDB (and through the API for idempotent retries). Each check returns violations as text.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { MongoClient, ObjectId, type Document } from 'mongodb';
import { placeOrder, settlePlacement, type Guest } from './guests.ts';
import type { RuntimeUrls } from './runtime.ts';

/** The functions' timeout (local/gateway/lambda.ts DEFAULT_LAMBDA_SETTINGS): an IN_PROGRESS record must expire by then. */
export const FUNCTION_TIMEOUT_MS = 10_000;
const SLACK_MS = 2_000;

const orderKey = (guest: Guest, key: string) => `${guest.sessionId}:${key}`;

/**
 * 1. every acknowledged order is present exactly once, with the order id the API answered;
 * 2. no partial transaction: each order of these sessions has its ORDER_PLACED audit entry and
 *    emptied its cart (and no audit entry or emptied cart exists without its order);
 * 3. no acknowledged cart change was lost.
 */
export async function checkStores(urls: RuntimeUrls, guests: Guest[]): Promise<string[]> {
  const violations: string[] = [];
  const client = new MongoClient(urls.mongoUri, { appName: 'crash-test', serverSelectionTimeoutMS: 5000 });
  try {
    const db = client.db(process.env.MONGODB_DB || 'plato');
    const sessionIds = guests.map((g) => new ObjectId(g.sessionId));
    const [orders, audits, carts] = await Promise.all([
      db.collection('digital_menu_customer_orders').find({ sessionId: { $in: sessionIds } }).toArray(),
      db.collection('audit_log').find({ action: 'ORDER_PLACED', sessionId: { $in: sessionIds } }).toArray(),
      db.collection('carts').find({ sessionId: { $in: sessionIds } }).toArray(),
    ]);
    const byKey = new Map<string, Document[]>();
    for (const order of orders) byKey.set(order.idempotencyKey, [...(byKey.get(order.idempotencyKey) ?? []), order]);
    const audited = new Set(audits.map((a) => String(a.orderId)));
    for (const order of orders) if (!audited.has(String(order._id))) violations.push(`order ${order._id} (${order.idempotencyKey}) has no ORDER_PLACED audit entry`);
    const orderIds = new Set(orders.map((o) => String(o._id)));
    for (const audit of audits) if (!orderIds.has(String(audit.orderId))) violations.push(`ORDER_PLACED audit entry for a missing order ${audit.orderId}`);
    for (const [key, found] of byKey) if (found.length > 1) violations.push(`${found.length} orders for key ${key}`);

    for (const guest of guests) {
      for (const [key, placed] of guest.acked) {
        const found = byKey.get(orderKey(guest, key)) ?? [];
        if (found.length === 0) violations.push(`${guest.tableNumber}: acknowledged order ${placed.orderId} (key ${key}) is missing`);
        else if (String(found[0]._id) !== placed.orderId) violations.push(`${guest.tableNumber}: key ${key} holds order ${found[0]._id}, the API answered ${placed.orderId}`);
      }
      const cart = carts.find((c) => String(c.sessionId) === guest.sessionId);
      const version = (cart?.version as number | undefined) ?? 0;
      if (version < guest.ackedCartVersion) violations.push(`${guest.tableNumber}: cart at version ${version}, the API had acknowledged version ${guest.ackedCartVersion}`);
      const pending = guest.pending;
      if (pending) {
        const placed = (byKey.get(orderKey(guest, pending.key)) ?? []).length > 0;
        const emptied = version > pending.cartVersion;
        if (placed !== emptied) violations.push(`${guest.tableNumber}: half a placement survived (order ${placed ? 'exists' : 'missing'}, cart at v${version} ordered from v${pending.cartVersion})`);
      }
    }
  } finally {
    await client.close();
  }
  return violations;
}

/**
 * 4. every idempotency record pointing at an order points at one that exists, and none is
 *    IN_PROGRESS for longer than the function timeout.
 */
export async function checkIdempotencyRecords(urls: RuntimeUrls, now: number): Promise<string[]> {
  const violations: string[] = [];
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: urls.dynamoEndpoint, region: process.env.AWS_REGION || 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  const client = new MongoClient(urls.mongoUri, { appName: 'crash-test', serverSelectionTimeoutMS: 5000 });
  try {
    const orders = client.db(process.env.MONGODB_DB || 'plato').collection('digital_menu_customer_orders');
    let start: Record<string, unknown> | undefined;
    const pointing: { id: string; orderId: string }[] = [];
    do {
      const page = await dynamo.send(new ScanCommand({ TableName: process.env.IDEMPOTENCY_TABLE || 'plato-idempotency', ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        if (item.status === 'INPROGRESS' && Number(item.in_progress_expiration) > now + FUNCTION_TIMEOUT_MS + SLACK_MS) {
          violations.push(`idempotency record ${item.id} stays IN_PROGRESS until ${new Date(Number(item.in_progress_expiration)).toISOString()}`);
        }
        const orderId = /"orderId":"([0-9a-f]{24})"/.exec(JSON.stringify(item.data ?? ''))?.[1];
        if (item.status === 'COMPLETED' && orderId) pointing.push({ id: String(item.id), orderId });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    const found = await orders.find({ _id: { $in: pointing.map((p) => new ObjectId(p.orderId)) } }, { projection: { _id: 1 } }).toArray();
    const existing = new Set(found.map((o) => String(o._id)));
    for (const p of pointing) if (!existing.has(p.orderId)) violations.push(`idempotency record ${p.id} answers with order ${p.orderId}, which does not exist`);
  } finally {
    dynamo.destroy();
    await client.close();
  }
  return violations;
}

/**
 * 5. an idempotent retry of every placement answers with an order that exists: acknowledged keys
 * with their first order, pending ones 201 (placed now or before) or IN_PROGRESS within the timeout.
 */
export async function retryPlacements(urls: RuntimeUrls, guests: Guest[], which: 'pending' | 'acked' | 'all'): Promise<string[]> {
  const violations: string[] = [];
  // Guests retry side by side (each her own keys, one after another), as phones would.
  await Promise.all(guests.map(async (guest) => {
    const keys = [...(which === 'pending' ? [] : guest.acked.values()), ...(guest.pending && which !== 'acked' ? [guest.pending] : [])];
    for (const placement of keys) {
      const previousAttempt = placement.lastSentAt; // the latest attempt that can hold an IN_PROGRESS record
      const response = await placeOrder(urls.baseUrl, guest, placement);
      const violation = settlePlacement(guest, placement, response);
      if (violation) violations.push(violation);
      else if (response.status === 409 && placement.lastSentAt > previousAttempt + FUNCTION_TIMEOUT_MS + SLACK_MS) {
        violations.push(`${guest.tableNumber} key ${placement.key}: still IN_PROGRESS ${placement.lastSentAt - previousAttempt} ms after the last attempt`);
      }
    }
  }));
  return violations;
}
