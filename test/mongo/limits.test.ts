import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { BSON, MongoClient, type Collection, type Document } from 'mongodb';
import { onlyEmbedded, openMongoEnv, type MongoEnv } from './harness.ts';

let env: MongoEnv;
let coll: Collection<Document>;

beforeAll(async () => {
  env = await openMongoEnv('limits');
  coll = env.db.collection('limits');
});
afterAll(async () => {
  await env.close();
});

const MB = 1024 * 1024;

function opMsg(body: Document, requestId = 1, flags = 0, checksum = false): Buffer {
  const doc = Buffer.from(BSON.serialize(body));
  const length = 16 + 4 + 1 + doc.length + (checksum ? 4 : 0);
  const buf = Buffer.alloc(length);
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(0, 8);
  buf.writeInt32LE(2013, 12);
  buf.writeUInt32LE(flags | (checksum ? 1 : 0), 16);
  buf[20] = 0;
  doc.copy(buf, 21);
  return buf; // checksum bytes left as zeros: the server tolerates, it need not verify
}

/** Sends raw bytes and resolves with the first reply's body, or 'closed'. */
function rawExchange(host: string, port: number, payload: Buffer): Promise<Document | 'closed'> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, host, () => socket.write(payload));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 4 && data.length >= data.readInt32LE(0)) {
        const opCode = data.readInt32LE(12);
        const bodyStart = opCode === 2013 ? 21 : 36;
        resolve(BSON.deserialize(data.subarray(bodyStart, data.readInt32LE(0))));
        socket.destroy();
      }
    });
    socket.on('close', () => resolve('closed'));
    socket.on('error', () => resolve('closed'));
  });
}

describe('limits', () => {
  it('rejects documents over 16 MB and updates that grow past it', async () => {
    const big = 'x'.repeat(16 * MB);
    await expect(coll.insertOne({ _id: 'big' as never, big })).rejects.toThrow();
    expect(await coll.findOne({ _id: 'big' as never })).toBeNull();
    await coll.insertOne({ _id: 'grow' as never, a: 'y'.repeat(9 * MB) });
    const err = await coll.updateOne({ _id: 'grow' as never }, { $set: { b: 'z'.repeat(9 * MB) } }).catch((e) => e);
    expect(err?.code).toBe(17419);
    const doc = await coll.findOne({ _id: 'grow' as never }, { projection: { b: 1 } });
    expect(doc).toEqual({ _id: 'grow' });
  });

  it('rejects $-prefixed top-level field names on insert', async () => {
    const err = await coll.insertOne({ _id: 'dollar' as never, $where: 'x' } as never).catch((e) => e);
    expect(err?.code).toBe(2);
    expect(await coll.findOne({ _id: 'dollar' as never })).toBeNull();
  });

  it('serves many concurrent connections', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => env.newClient({ maxPoolSize: 10 })));
    const c = clients[0].db(env.dbName).collection('concurrent');
    await Promise.all(
      clients.flatMap((client, i) =>
        Array.from({ length: 20 }, (_, j) => client.db(env.dbName).collection('concurrent').insertOne({ i, j })),
      ),
    );
    expect(await c.countDocuments()).toBe(200);
    if (!onlyEmbedded) {
      const status = await env.client.db('admin').command({ serverStatus: 1 });
      expect(status.connections.current).toBeGreaterThan(10);
    }
    await Promise.all(clients.map((cl) => cl.close()));
  });
});

describe('wire protocol (embedded only: raw sockets)', () => {
  const target = () => {
    const u = new URL(env.baseUri);
    return { host: u.hostname, port: Number(u.port) };
  };

  it('a malformed message closes only that connection', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const { host, port } = target();
    const garbage = Buffer.alloc(32, 0xff);
    garbage.writeInt32LE(32, 0);
    garbage.writeInt32LE(2013, 12);
    expect(await rawExchange(host, port, garbage)).toBe('closed');
    const badLength = Buffer.alloc(16);
    badLength.writeInt32LE(3, 0);
    expect(await rawExchange(host, port, badLength)).toBe('closed');
    // the driver's pooled connections are unaffected
    await coll.insertOne({ after: 'garbage' });
    expect(await coll.countDocuments({ after: 'garbage' })).toBe(1);
  });

  it('accepts OP_MSG with the checksum flag and answers legacy OP_QUERY isMaster', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const { host, port } = target();
    const reply = await rawExchange(host, port, opMsg({ ping: 1, $db: 'admin' }, 7, 0, true));
    expect(reply).toMatchObject({ ok: 1 });
    const q = Buffer.from(BSON.serialize({ isMaster: 1 }));
    const ns = Buffer.from('admin.$cmd\0');
    const msg = Buffer.alloc(16 + 4 + ns.length + 8 + q.length);
    msg.writeInt32LE(msg.length, 0);
    msg.writeInt32LE(9, 4);
    msg.writeInt32LE(2004, 12);
    ns.copy(msg, 20);
    msg.writeInt32LE(-1, 20 + ns.length + 4);
    q.copy(msg, 20 + ns.length + 8);
    expect(await rawExchange(host, port, msg)).toMatchObject({ ismaster: true, ok: 1 });
  });

  it('refuses OP_COMPRESSED with an error reply and advertises no compressors', async (ctx) => {
    if (onlyEmbedded) ctx.skip();
    const { host, port } = target();
    const msg = Buffer.alloc(16 + 9 + 10);
    msg.writeInt32LE(msg.length, 0);
    msg.writeInt32LE(11, 4);
    msg.writeInt32LE(2012, 12);
    msg.writeInt32LE(2013, 16);
    msg.writeInt32LE(10, 20);
    msg[24] = 1; // snappy
    const reply = await rawExchange(host, port, msg);
    expect(reply).toMatchObject({ ok: 0 });
    const compressing = new MongoClient(env.uri, { compressors: ['zlib'] });
    try {
      await compressing.connect();
      expect(await compressing.db(env.dbName).collection('limits').countDocuments({ after: 'garbage' })).toBe(1);
      const hello = await compressing.db('admin').command({ hello: 1, compression: ['zlib'] });
      expect(hello.compression).toBeUndefined();
    } finally {
      await compressing.close();
    }
  });
});
