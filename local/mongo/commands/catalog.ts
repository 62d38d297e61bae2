// create, drop, dropDatabase, createIndexes, listIndexes, dropIndexes, listCollections, listDatabases.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import { defaultIndexName, duplicateKeyError, type IndexSpec } from '../storage/index-def.ts';
import { collectionName, commandSession, type CommandContext, type Handler } from './context.ts';

const create: Handler = (ctx) => {
  ctx.core.engine.createCollection(ctx.db, collectionName(ctx));
  return { ok: 1 };
};

const drop: Handler = (ctx) => {
  const name = collectionName(ctx);
  const dropped = ctx.core.engine.dropCollection(ctx.db, name);
  if (!dropped) return { ok: 1 };
  return { nIndexesWas: dropped.indexes.length, ns: dropped.ns, ok: 1 };
};

const dropDatabase: Handler = (ctx) => {
  ctx.core.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function parseIndexSpec(raw: Document): IndexSpec {
  const key = raw.key;
  if (!key || typeof key !== 'object' || Object.keys(key).length === 0) throw new CommandError(67, "The 'key' field must be a non-empty object");
  for (const [field, dir] of Object.entries(key)) {
    if (!(dir === 1 || dir === -1 || typeof dir === 'string')) throw new CommandError(67, `Values in the index key pattern can't be ${String(dir)} (field ${field})`);
  }
  if (raw.expireAfterSeconds !== undefined && Object.keys(key).length !== 1) {
    throw new CommandError(67, 'TTL indexes are single-field indexes, compound indexes do not support TTL');
  }
  return {
    key,
    name: typeof raw.name === 'string' ? raw.name : defaultIndexName(key),
    unique: raw.unique === true,
    sparse: raw.sparse === true,
    partialFilterExpression: raw.partialFilterExpression,
    expireAfterSeconds: raw.expireAfterSeconds,
  };
}

const createIndexes: Handler = (ctx) => {
  const name = collectionName(ctx);
  const engine = ctx.core.engine;
  const existed = engine.collection(ctx.db, name) !== undefined;
  const coll = engine.ensureCollection(ctx.db, name);
  if (!Array.isArray(ctx.cmd.indexes) || ctx.cmd.indexes.length === 0) throw new CommandError(2, 'Must specify at least one index to create');
  const before = coll.indexes.length;
  for (const raw of ctx.cmd.indexes as Document[]) {
    const spec = parseIndexSpec(raw);
    const sameName = coll.index(spec.name);
    if (sameName) {
      if (sameName.sameDefinition(spec)) continue;
      throw new CommandError(
        JSON.stringify(sameName.key) === JSON.stringify(spec.key) ? 85 : 86,
        `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec())}`,
      );
    }
    const sameKey = coll.indexes.find((i) => JSON.stringify(i.key) === JSON.stringify(spec.key) && JSON.stringify(i.partialFilterExpression ?? null) === JSON.stringify(spec.partialFilterExpression ?? null));
    if (sameKey) {
      throw new CommandError(85, `Index already exists with a different name: ${sameKey.name}`);
    }
    coll.addIndex(spec, (ix, doc) => duplicateKeyError(coll.ns, ix, doc));
  }
  const out: Document = { numIndexesBefore: before, numIndexesAfter: coll.indexes.length, createdCollectionAutomatically: !existed, ok: 1 };
  if (before === coll.indexes.length) out.note = 'all indexes already exist';
  return out;
};

const listIndexes: Handler = (ctx) => {
  const name = collectionName(ctx);
  const coll = ctx.core.engine.collection(ctx.db, name);
  if (!coll) throw new CommandError(26, `ns does not exist: ${ctx.db}.${name}`);
  return ctx.core.cursors.open(coll.ns, coll.indexes.map((i) => i.spec()), ctx.cmd.cursor?.batchSize, { session: commandSession(ctx) });
};

const dropIndexes: Handler = (ctx) => {
  const name = collectionName(ctx);
  const coll = ctx.core.engine.collection(ctx.db, name);
  if (!coll) throw new CommandError(26, `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.indexes.length;
  const target = ctx.cmd.index;
  const names: string[] = [];
  if (target === '*') names.push(...coll.indexes.filter((i) => !i.isId).map((i) => i.name));
  else if (typeof target === 'string') names.push(target);
  else if (Array.isArray(target)) names.push(...target);
  else if (target && typeof target === 'object') {
    const ix = coll.indexes.find((i) => JSON.stringify(i.key) === JSON.stringify(target));
    if (!ix) throw new CommandError(27, `can't find index with key: ${JSON.stringify(target)}`);
    names.push(ix.name);
  }
  for (const n of names) {
    if (n === '_id_') throw new CommandError(72, 'cannot drop _id index');
    if (!coll.index(n)) throw new CommandError(27, `index not found with name [${n}]`);
  }
  for (const n of names) coll.dropIndex(n);
  return { nIndexesWas, ok: 1 };
};

function collectionInfos(ctx: CommandContext): Document[] {
  return [...(ctx.core.engine.dbs.get(ctx.db)?.values() ?? [])].map((c) => ({
    name: c.name,
    type: 'collection',
    options: {},
    info: { readOnly: false, uuid: c.uuid },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  }));
}

const listCollections: Handler = (ctx) => {
  let infos = collectionInfos(ctx);
  if (ctx.cmd.filter && Object.keys(ctx.cmd.filter).length) {
    const q = new Query(ctx.cmd.filter, {});
    infos = infos.filter((i) => q.test(i));
  }
  if (ctx.cmd.nameOnly) infos = infos.map((i) => ({ name: i.name, type: i.type }));
  return ctx.core.cursors.open(`${ctx.db}.$cmd.listCollections`, infos, ctx.cmd.cursor?.batchSize, { session: commandSession(ctx) });
};

const listDatabases: Handler = (ctx) => {
  const databases = [...ctx.core.engine.dbs.entries()].map(([name, colls]) => ({ name, sizeOnDisk: 0, empty: colls.size === 0 }));
  if (ctx.cmd.nameOnly) return { databases: databases.map((d) => ({ name: d.name })), ok: 1 };
  return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

export const catalogCommands: Record<string, Handler> = {
  create,
  drop,
  dropDatabase,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  listCollections,
  listDatabases,
};
