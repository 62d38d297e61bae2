/**
 * DynamoDB table definitions shared by the CDK stack (lib/) and the local runtime (local/),
 * which creates them in dynalite. dynalite has no TTL, so no logic relies on TTL deletion:
 * every read of an expiring item checks its expiry attribute itself.
 */

export type AttributeType = 'S' | 'N';

export interface KeyDef {
  name: string;
  type: AttributeType;
}

export interface IndexDef {
  indexName: string;
  partitionKey: KeyDef;
  sortKey?: KeyDef;
}

export interface TableDef {
  /** Logical name; the physical name comes from configuration (see functions/platform/config.ts). */
  key: 'connections' | 'idempotency' | 'rateLimits';
  /** Environment variable that carries the physical table name to the functions. */
  envVar: string;
  partitionKey: KeyDef;
  sortKey?: KeyDef;
  globalIndexes: IndexDef[];
  /** Epoch-seconds attribute that DynamoDB TTL deletes by (in AWS) and every reader checks (always). */
  expiryAttribute: string;
}

export const TABLES = {
  /**
   * One item per open WebSocket. `audience` is `<restaurantId>#<channel>` (GUEST | KITCHEN | STAFF);
   * `sessionKey` is `<restaurantId>#<sessionId>` for guest sockets only (sparse index).
   */
  connections: {
    key: 'connections',
    envVar: 'CONNECTIONS_TABLE',
    partitionKey: { name: 'connectionId', type: 'S' },
    globalIndexes: [
      { indexName: 'byAudience', partitionKey: { name: 'audience', type: 'S' }, sortKey: { name: 'connectionId', type: 'S' } },
      { indexName: 'bySession', partitionKey: { name: 'sessionKey', type: 'S' }, sortKey: { name: 'connectionId', type: 'S' } },
      // Everyone an order change concerns (kitchen, staff, the order's table) in one query.
      { indexName: 'byRestaurant', partitionKey: { name: 'restaurantId', type: 'S' }, sortKey: { name: 'connectionId', type: 'S' } },
    ],
    expiryAttribute: 'expiresAt',
  },
  /** Powertools idempotency persistence layer (its default attribute names). */
  idempotency: {
    key: 'idempotency',
    envVar: 'IDEMPOTENCY_TABLE',
    partitionKey: { name: 'id', type: 'S' },
    globalIndexes: [],
    expiryAttribute: 'expiration',
  },
  /** Fixed-window counters: `key` is `<scope>#<subject>#<windowStart>`, incremented with an atomic ADD. */
  rateLimits: {
    key: 'rateLimits',
    envVar: 'RATE_LIMITS_TABLE',
    partitionKey: { name: 'key', type: 'S' },
    globalIndexes: [],
    expiryAttribute: 'expiresAt',
  },
} as const satisfies Record<string, TableDef>;

export type TableKey = keyof typeof TABLES;

export const TABLE_LIST: readonly TableDef[] = Object.values(TABLES);
