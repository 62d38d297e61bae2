/**
 * The whole local stack as `npm start` runs it: the real route table and handlers, dynalite, MongoDB
 * (MONGODB_URI when set, else the embedded server), the setup task and the demo seed.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RESTAURANT } from '../../local/demo-restaurant.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { httpRequest, openSocket, refusedStatus } from './helpers.ts';

const PASSWORD = 'correct-horse-battery-staple';
let stack: LocalStack;
let mongo: MongoClient;

beforeAll(async () => {
  stack = await startLocalStack({ quiet: true, demoPassword: PASSWORD });
  mongo = new MongoClient(stack.mongoUri!);
  await mongo.connect();
});

afterAll(async () => {
  await mongo?.close();
  await stack?.stop();
});

const db = () => mongo.db(process.env.MONGODB_DB);

async function staffLogin(username: string): Promise<string> {
  const res = await httpRequest(`${stack.baseUrl}/api/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return JSON.parse(res.text).token;
}

describe('the HTTP API through the real route table', () => {
  it('GET /api/health answers 200 with both stores up', async () => {
    const res = await httpRequest(`${stack.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'ok', stores: { mongo: 'ok', dynamodb: 'ok' } });
  });

  it('an unknown route gets the 404 envelope, a wrong method the 405 envelope', async () => {
    const unknown = await httpRequest(`${stack.baseUrl}/api/nothing/here`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.code).toBe('NOT_FOUND');
    const wrong = await httpRequest(`${stack.baseUrl}/api/health`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(JSON.parse(wrong.text).error.code).toBe('METHOD_NOT_ALLOWED');
    expect(wrong.headers.allow).toBe('GET');
  });

  it('the seeded staff can sign in with the demo password', async () => {
    for (const username of ['admin', 'manager', 'waiter', 'kitchen']) expect(await staffLogin(username)).toMatch(/^ey/);
  });

  it('serves /config.json with the restaurant public settings', async () => {
    const res = await httpRequest(`${stack.baseUrl}/config.json`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      restaurantId: 'demo',
      name: 'Plato Demo Kitchen',
      currency: 'INR',
      locale: 'en-IN',
      timeZone: 'Asia/Kolkata',
      apiBase: '/api',
      wsUrl: '/ws',
    });
  });
});

describe('the WebSocket API through the real route table', () => {
  it('refuses a handshake without credentials with 401', async () => {
    expect(await refusedStatus(stack.wsUrl)).toBe(401);
  });

  it('answers {"action":"ping"} with a pong pushed through the management API', async () => {
    const token = await staffLogin('kitchen');
    const socket = await openSocket(`${stack.wsUrl}?channel=kitchen&token=${token}`);
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    expect(JSON.parse(await socket.next())).toMatchObject({ type: 'pong' });
    socket.ws.close();
    await socket.closed;
  });
});

describe('the demo seed', () => {
  it('created the restaurant, 12 tables on two floors, 30 dishes in 6 categories and 4 staff', async () => {
    const restaurant = await db().collection('restaurants').findOne({ _id: 'demo' as never });
    // The settings reach the document through the setup task's environment, as in a deployment.
    expect(restaurant).toMatchObject({ restaurantId: 'demo', ...DEMO_RESTAURANT, stations: [...DEMO_RESTAURANT.stations] });

    const tables = await db().collection('tables').find({ restaurantId: 'demo' }).sort({ sortOrder: 1 }).toArray();
    expect(tables.map((t) => t.number)).toEqual(Array.from({ length: 12 }, (_, i) => `T-${i + 1}`));
    expect(tables.slice(0, 6).every((t) => t.floor === 'Ground Floor')).toBe(true);
    expect(tables.slice(6).every((t) => t.floor === 'First Floor')).toBe(true);

    const items = await db().collection('menuItems').find({ restaurantId: 'demo' }).toArray();
    expect(items).toHaveLength(30);
    expect(new Set(items.map((i) => i.category)).size).toBe(6);
    for (const item of items) {
      expect(Number.isInteger(item.price) && item.price > 0).toBe(true);
      expect(restaurant!.stations).toContain(item.station);
      for (const group of item.modifierGroups) {
        expect(group.min).toBeLessThanOrEqual(group.max);
        expect(group.max).toBeLessThanOrEqual(group.options.length);
        for (const option of group.options) expect(Number.isInteger(option.price) && option.price >= 0).toBe(true);
      }
    }
    expect(items.some((i) => i.isVeg) && items.some((i) => !i.isVeg)).toBe(true);

    const users = await db().collection('users').find({ restaurantId: 'demo' }).toArray();
    expect(users.map((u) => [u.username, u.role]).sort()).toEqual([
      ['admin', 'ADMIN'],
      ['kitchen', 'KITCHEN'],
      ['manager', 'MANAGER'],
      ['waiter', 'WAITER'],
    ]);
    expect(users.every((u) => u.passwordHash.startsWith('scrypt$') && !u.passwordHash.includes(PASSWORD))).toBe(true);
    expect(stack.seed!.staff).toHaveLength(4);
  });

  it('opened a demo session whose PIN lets a guest join', async () => {
    const session = stack.seed!.demoSession!;
    expect(session.tableNumber).toBe('T-1');
    expect(session.pin).toMatch(/^\d{4}$/);
    const res = await httpRequest(`${stack.baseUrl}/api/sessions/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ table: session.tableCode, pin: session.pin }),
    });
    expect(res.status).toBe(200);
  });

  it('is idempotent: seeding again adds nothing and re-PINs the same open session', async () => {
    const { seedDemoRestaurant } = await import('../../local/seed.ts');
    const again = await seedDemoRestaurant({ password: PASSWORD });
    expect(await db().collection('tables').countDocuments({ restaurantId: 'demo' })).toBe(12);
    expect(await db().collection('menuItems').countDocuments({ restaurantId: 'demo' })).toBe(30);
    expect(await db().collection('users').countDocuments({ restaurantId: 'demo' })).toBe(4);
    expect(await db().collection('restaurants').countDocuments({ _id: 'demo' as never })).toBe(1);
    expect(again.demoSession!.sessionId).toBe(stack.seed!.demoSession!.sessionId);
    expect(await db().collection('table_sessions').countDocuments({ restaurantId: 'demo', status: 'OPEN' })).toBe(1);
  });
});

it('a port already in use fails at once with a clear message', async () => {
  const started = Date.now();
  await expect(startLocalStack({ port: stack.port, quiet: true })).rejects.toThrow(/already in use/);
  expect(Date.now() - started).toBeLessThan(1000);
});
