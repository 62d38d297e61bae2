/**
 * Configuration, read from the environment once per container. The same variables are set by the
 * CDK stack in AWS and by the local runtime on a laptop: functions never know which one they run in.
 * Secrets (MONGODB_URI, JWT_SECRET) are not here: see secrets.ts.
 */
import { POS_MONEY_UNITS, type PosMoneyUnit } from '../core/pos-money.ts';
import { TABLES, type TableKey } from '../tables.ts';

function env(name: string, fallback?: string): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`Missing required configuration ${name}`);
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`Configuration ${name} must be a non-negative integer`);
  return value;
}

function posMoneyUnit(): PosMoneyUnit {
  const raw = env('POS_MONEY_UNIT', 'major');
  if (!(POS_MONEY_UNITS as readonly string[]).includes(raw)) throw new Error(`Configuration POS_MONEY_UNIT must be ${POS_MONEY_UNITS.join(' or ')}`);
  return raw as PosMoneyUnit;
}

/** A request rate limit: `limit` requests in any `windowSeconds` (a sliding window). */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** `RATE_<NAME>=<limit>/<windowSeconds>`, e.g. `RATE_CONNECT_IP=120/60`. */
function rateEnv(name: string, fallback: RateLimit): RateLimit {
  const raw = process.env[`RATE_${name}`];
  if (raw === undefined || raw === '') return fallback;
  const match = raw.match(/^(\d+)\/(\d+)$/);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) throw new Error(`Configuration RATE_${name} must look like 120/60 (requests/seconds)`);
  return { limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

/** MongoDB collections Plato owns. Names are configurable because the database is shared with a POS. */
export const COLLECTION_DEFAULTS = {
  restaurants: 'restaurants',
  tables: 'tables',
  users: 'users',
  tableSessions: 'table_sessions',
  customers: 'customers',
  menuItems: 'menuItems',
  carts: 'carts',
  orders: 'digital_menu_customer_orders',
  counters: 'plato_counters',
  auditLog: 'audit_log',
  dayCloses: 'day_closes',
  paymentIntents: 'plato_payment_intents',
  paymentEvents: 'plato_payment_events',
} as const;
export type CollectionKey = keyof typeof COLLECTION_DEFAULTS;

/** COLLECTION_ORDERS, COLLECTION_TABLE_SESSIONS, ... */
export const collectionEnvVar = (key: CollectionKey): string =>
  `COLLECTION_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function loadConfig() {
  const collections = Object.fromEntries(
    (Object.keys(COLLECTION_DEFAULTS) as CollectionKey[]).map((key) => [key, env(collectionEnvVar(key), COLLECTION_DEFAULTS[key])]),
  ) as Record<CollectionKey, string>;
  const tables = Object.fromEntries(
    (Object.keys(TABLES) as TableKey[]).map((key) => [key, env(TABLES[key].envVar, `plato-${key}`)]),
  ) as Record<TableKey, string>;

  return {
    restaurantId: env('RESTAURANT_ID', 'demo'),
    version: env('PLATO_VERSION', '0.1.0'),
    mongo: { database: env('MONGODB_DB', 'plato'), collections },
    /** The unit of the order money fields the POS documented (seed 002): major (rupees, default) or minor (paise). */
    posMoneyUnit: posMoneyUnit(),
    dynamo: { endpoint: process.env.DYNAMODB_ENDPOINT || undefined, tables },
    region: env('AWS_REGION', 'ap-south-1'),
    /** Base URL of the @connections management API: the WebSocket stage's callback URL in AWS. */
    wsManagementEndpoint: process.env.WS_MANAGEMENT_ENDPOINT || undefined,
    /** The one origin the apps are served from (https://<distribution or domain>). Unset locally: derived from Host. */
    publicOrigin: process.env.PUBLIC_ORIGIN || undefined,
    cookieSecure: env('COOKIE_SECURE', 'true') !== 'false',
    /** GUEST_TOKEN_TTL_SECONDS (tests of token expiry) takes precedence over GUEST_TOKEN_TTL_HOURS. */
    guestTokenTtlSeconds: process.env.GUEST_TOKEN_TTL_SECONDS
      ? intEnv('GUEST_TOKEN_TTL_SECONDS', 8 * 3600)
      : intEnv('GUEST_TOKEN_TTL_HOURS', 8) * 3600,
    staffTokenTtlSeconds: intEnv('STAFF_TOKEN_TTL_HOURS', 12) * 3600,
    limits: {
      maxBodyBytes: intEnv('MAX_BODY_BYTES', 64 * 1024),
      pinAttemptsPerSession: intEnv('PIN_MAX_ATTEMPTS', 5),
      pinSessionWindowSeconds: intEnv('PIN_WINDOW_MINUTES', 15) * 60,
      pinAttemptsPerIp: intEnv('PIN_IP_MAX_ATTEMPTS', 50),
      pinIpWindowSeconds: intEnv('PIN_IP_WINDOW_MINUTES', 60) * 60,
      pinMaxLockoutSeconds: intEnv('PIN_MAX_LOCKOUT_MINUTES', 240) * 60,
      loginFailuresPerUser: intEnv('LOGIN_MAX_FAILURES', 10),
      loginWindowSeconds: intEnv('LOGIN_WINDOW_MINUTES', 15) * 60,
      /** Failed sign-ins per network, across usernames (devices that signed in before have their own budget). */
      loginFailuresPerIp: intEnv('LOGIN_IP_MAX_FAILURES', 30),
      /** Failed sign-ins per signed device cookie (the device's own budget, instead of the username's and the network's). */
      loginFailuresPerDevice: intEnv('LOGIN_DEVICE_MAX_FAILURES', 10),
      /** Sockets one guest token may hold at once; the oldest is closed when another opens. */
      socketsPerGuestToken: intEnv('WS_MAX_SOCKETS_PER_GUEST', 3),
      /** Sockets one staff sign-in may hold at once; the oldest is closed when another opens. */
      socketsPerStaffSession: intEnv('WS_MAX_SOCKETS_PER_STAFF', 5),
    },
    /**
     * Per-client request rates (sliding windows in DynamoDB), sized for a whole restaurant behind
     * one Wi-Fi address: they stop one client, never a full dining room.
     */
    rates: {
      joinPerIp: rateEnv('JOIN_IP', { limit: 120, windowSeconds: 60 }),
      loginPerIp: rateEnv('LOGIN_IP', { limit: 60, windowSeconds: 60 }),
      connectPerIp: rateEnv('CONNECT_IP', { limit: 120, windowSeconds: 60 }),
      connectPerToken: rateEnv('CONNECT_TOKEN', { limit: 20, windowSeconds: 60 }),
      /** Every diner write (POST/PATCH/DELETE: cart, orders, identify, verify, …) per guest token. */
      dinerWritesPerToken: rateEnv('DINER_WRITES_TOKEN', { limit: 60, windowSeconds: 60 }),
      /** Messages per socket; past it the socket is closed (1008). */
      messagesPerConnection: rateEnv('WS_MESSAGES', { limit: 20, windowSeconds: 10 }),
    },
    push: {
      concurrency: intEnv('PUSH_CONCURRENCY', 32),
      timeoutMs: intEnv('PUSH_TIMEOUT_MS', 2000),
    },
    /** Seconds a WebSocket connection record lives (API Gateway's maximum connection time is 2 h). */
    connectionTtlSeconds: intEnv('CONNECTION_TTL_SECONDS', 2 * 3600 + 300),
  };
}

export type Config = ReturnType<typeof loadConfig>;

let cached: Config | undefined;

/** The configuration, loaded on first use and then reused for the life of the container. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
