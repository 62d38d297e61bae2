// Server monitoring (SDAM): the driver's streaming protocol. Outside FaaS the driver's default
// ('auto') streams: after the handshake its monitor sends an awaitable hello (topologyVersion +
// maxAwaitTimeMS) with the OP_MSG exhaustAllowed bit, and expects every reply to carry moreToCome
// and a new reply each maxAwaitTimeMS; a reply without moreToCome fails the heartbeat, marks the
// server Unknown and clears the connection pool, failing whatever is in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { BSON, Long, MongoClient, ObjectId, type Document } from 'mongodb';
import { startMongoServer } from '../../local/mongo/index.ts';
import { onlyEmbedded, openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;

beforeAll(async () => {
  env = await openMongoEnv('monitoring');
});
afterAll(async () => {
  await env.close();
});

const HEARTBEAT_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('streaming server monitoring through the driver', () => {
  it('keeps the server known and the pool intact while operations run for several heartbeats', async () => {
    const failures: string[] = [];
    const client = new MongoClient(env.uri, {
      heartbeatFrequencyMS: HEARTBEAT_MS,
      // What 'auto' (the default) picks outside FaaS; explicit so an AWS_* variable cannot switch this test to polling.
      serverMonitoringMode: 'stream',
      serverSelectionTimeoutMS: 5000,
    });
    let awaitedHeartbeats = 0;
    client.on('serverHeartbeatFailed', (e) => failures.push(`serverHeartbeatFailed: ${e.failure?.message}`));
    client.on('serverHeartbeatSucceeded', (e) => {
      if (e.awaited) awaitedHeartbeats++;
    });
    client.on('connectionPoolCleared', () => failures.push('connectionPoolCleared'));
    client.on('serverDescriptionChanged', (e) => {
      if (e.newDescription.type === 'Unknown') failures.push(`server marked Unknown: ${e.newDescription.error?.message}`);
    });
    await client.connect();
    try {
      const coll = client.db(env.dbName).collection<{ _id: number; worker: number }>('monitored');
      const until = Date.now() + 6 * HEARTBEAT_MS;
      let operations = 0;
      const worker = async (w: number) => {
        for (let i = 0; Date.now() < until; i++) {
          await coll.insertOne({ _id: w * 1_000_000 + i, worker: w });
          await coll.findOne({ worker: w });
          operations += 2;
        }
      };
      await Promise.all([0, 1, 2, 3].map(worker));
      expect(failures).toEqual([]);
      expect(operations).toBeGreaterThan(20);
      // Streamed replies arrived: about one per maxAwaitTimeMS (= heartbeatFrequencyMS) over 3 s.
      expect(awaitedHeartbeats).toBeGreaterThanOrEqual(3);

      // The RTT pinger (the monitor's second connection, plain hello every heartbeatFrequencyMS) is
      // connected and measuring. It is internal to the driver (pinned version), and fails silently.
      const server = (client as unknown as { topology: { s: { servers: Map<string, { monitor: Document }> } } }).topology.s.servers.values().next().value!;
      const pinger = server.monitor.rttPinger;
      expect(pinger).toBeDefined();
      expect(pinger.connection).toBeDefined();
      expect(pinger.connection.closed).toBe(false);
      expect(typeof pinger.latestRtt).toBe('number');
      expect(failures).toEqual([]);
    } finally {
      await client.close();
    }
  }, 20_000);
});

// ---- the wire exchange itself, with raw sockets (embedded only, like limits.test.ts) ----

const FLAG_MORE_TO_COME = 1 << 1;
const FLAG_EXHAUST_ALLOWED = 1 << 16;

function opMsg(body: Document, requestId: number, flags = 0): Buffer {
  const doc = Buffer.from(BSON.serialize(body));
  const length = 16 + 4 + 1 + doc.length;
  const buf = Buffer.alloc(length);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(0, 8);
  buf.writeInt32LE(2013, 12);
  buf.writeUInt32LE(flags, 16);
  buf[20] = 0;
  doc.copy(buf, 21);
  return buf;
}

interface Reply {
  requestId: number;
  responseTo: number;
  flags: number;
  body: Document;
  at: number;
}

/** A raw client socket collecting OP_MSG replies (Longs kept as Long, to check their BSON type). */
class RawClient {
  readonly replies: Reply[] = [];
  closed = false;
  private data = Buffer.alloc(0);
  private readonly socket: Socket;
  private readonly ready: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(host: string, port: number) {
    this.socket = connect(port, host);
    this.ready = new Promise((resolve) => this.socket.once('connect', () => resolve()));
    this.socket.on('data', (chunk) => {
      this.data = Buffer.concat([this.data, chunk]);
      while (this.data.length >= 4 && this.data.length >= this.data.readInt32LE(0)) {
        const length = this.data.readInt32LE(0);
        const msg = this.data.subarray(0, length);
        this.data = this.data.subarray(length);
        this.replies.push({
          requestId: msg.readInt32LE(4),
          responseTo: msg.readInt32LE(8),
          flags: msg.readUInt32LE(16),
          body: BSON.deserialize(msg.subarray(21), { promoteLongs: false }),
          at: Date.now(),
        });
      }
      this.notify();
    });
    const onClose = () => {
      this.closed = true;
      this.notify();
    };
    this.socket.on('close', onClose);
    this.socket.on('error', onClose);
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async send(body: Document, requestId: number, flags = 0): Promise<void> {
    await this.ready;
    this.socket.write(opMsg(body, requestId, flags));
  }

  /** Resolves once `count` replies arrived (or the socket closed), failing after `ms`. */
  async waitFor(count: number, ms: number): Promise<Reply[]> {
    const deadline = Date.now() + ms;
    while (this.replies.length < count && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${count} replies (got ${this.replies.length})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.replies;
  }

  waitClosed(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(true);
      const t = setTimeout(() => resolve(false), ms);
      this.socket.once('close', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe.skipIf(onlyEmbedded)('awaitable hello on the wire (embedded only: raw sockets)', () => {
  const address = () => new URL(env.baseUri);
  const open = () => new RawClient(address().hostname, Number(address().port));

  async function topologyVersion(c: RawClient): Promise<Document> {
    await c.send({ hello: 1, $db: 'admin' }, 1);
    const [first] = await c.waitFor(1, 2000);
    return first.body.topologyVersion;
  }

  it('hello reports topologyVersion {processId: ObjectId, counter: int64}', async () => {
    const c = open();
    try {
      const tv = await topologyVersion(c);
      expect(tv.processId).toBeInstanceOf(ObjectId);
      expect(tv.counter).toBeInstanceOf(Long);
      expect(c.replies[0].flags & FLAG_MORE_TO_COME).toBe(0);
    } finally {
      c.destroy();
    }
  });

  it('with exhaustAllowed streams replies with moreToCome, one per maxAwaitTimeMS, each answering the previous', async () => {
    const c = open();
    try {
      const tv = await topologyVersion(c);
      const sentAt = Date.now();
      await c.send({ hello: 1, topologyVersion: tv, maxAwaitTimeMS: 200, $db: 'admin' }, 2, FLAG_EXHAUST_ALLOWED);
      const replies = (await c.waitFor(4, 3000)).slice(1, 4);
      expect(replies[0].responseTo).toBe(2);
      expect(replies[1].responseTo).toBe(replies[0].requestId);
      expect(replies[2].responseTo).toBe(replies[1].requestId);
      for (const r of replies) {
        expect(r.flags & FLAG_MORE_TO_COME).toBe(FLAG_MORE_TO_COME);
        expect(r.body).toMatchObject({ ok: 1, isWritablePrimary: true });
        expect(r.body.topologyVersion.processId.equals(tv.processId)).toBe(true);
        expect(r.body.topologyVersion.counter.equals(tv.counter)).toBe(true);
      }
      // The topology never changes here, so each reply waits the full maxAwaitTimeMS (timer slack allowed).
      expect(replies[0].at - sentAt).toBeGreaterThanOrEqual(180);
      expect(replies[1].at - replies[0].at).toBeGreaterThanOrEqual(180);
      expect(replies[2].at - replies[1].at).toBeGreaterThanOrEqual(180);
    } finally {
      c.destroy();
    }
  });

  it('without exhaustAllowed answers once after maxAwaitTimeMS and keeps serving the connection', async () => {
    const c = open();
    try {
      const tv = await topologyVersion(c);
      const sentAt = Date.now();
      await c.send({ hello: 1, topologyVersion: tv, maxAwaitTimeMS: 200, $db: 'admin' }, 2);
      const [, awaited] = await c.waitFor(2, 2000);
      expect(awaited.responseTo).toBe(2);
      expect(awaited.flags & FLAG_MORE_TO_COME).toBe(0);
      expect(awaited.at - sentAt).toBeGreaterThanOrEqual(180);
      await c.send({ ping: 1, $db: 'admin' }, 3);
      const replies = await c.waitFor(3, 2000);
      expect(replies).toHaveLength(3);
      expect(replies[2]).toMatchObject({ responseTo: 3, body: { ok: 1 } });
    } finally {
      c.destroy();
    }
  });

  it('answers at once when the client knows another process (topology changed), then streams', async () => {
    const c = open();
    try {
      const tv = await topologyVersion(c);
      const stale = { processId: new ObjectId(), counter: Long.fromNumber(0) };
      const sentAt = Date.now();
      await c.send({ hello: 1, topologyVersion: stale, maxAwaitTimeMS: 300, $db: 'admin' }, 2, FLAG_EXHAUST_ALLOWED);
      const [, immediate] = await c.waitFor(2, 2000);
      expect(immediate.at - sentAt).toBeLessThan(250);
      expect(immediate.flags & FLAG_MORE_TO_COME).toBe(FLAG_MORE_TO_COME);
      expect(immediate.body.topologyVersion.processId.equals(tv.processId)).toBe(true);
      const [, , next] = await c.waitFor(3, 2000);
      expect(next.at - immediate.at).toBeGreaterThanOrEqual(280);
      expect(next.flags & FLAG_MORE_TO_COME).toBe(FLAG_MORE_TO_COME);
    } finally {
      c.destroy();
    }
  });

  it('refuses maxAwaitTimeMS without topologyVersion, as mongod does', async () => {
    const c = open();
    try {
      await c.send({ hello: 1, maxAwaitTimeMS: 200, $db: 'admin' }, 1, FLAG_EXHAUST_ALLOWED);
      const [reply] = await c.waitFor(1, 2000);
      expect(reply.body).toMatchObject({ ok: 0, code: 31368 });
      expect(reply.flags & FLAG_MORE_TO_COME).toBe(0);
    } finally {
      c.destroy();
    }
  });

  it('stop() ends streaming connections and their timers at once', async () => {
    const server = await startMongoServer({ ttlSweepMs: 0 });
    const c = new RawClient(server.host, server.port);
    try {
      const tv = await topologyVersion(c);
      await c.send({ hello: 1, topologyVersion: tv, maxAwaitTimeMS: 10_000, $db: 'admin' }, 2, FLAG_EXHAUST_ALLOWED);
      await sleep(100); // the stream is now waiting its 10 s
      const started = Date.now();
      await server.stop();
      expect(await c.waitClosed(1000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(c.replies).toHaveLength(1); // nothing sent after stop
    } finally {
      c.destroy();
      await server.stop();
    }
  });
});
