// find, getMore, killCursors, aggregate, count, distinct.
import { Query } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import { deepClone, valueKey, pathValues } from '../keys.ts';
import { CollectionAccess } from '../storage/access.ts';
import { idKeyOf, type Collection } from '../storage/collection.ts';
import type { Index } from '../storage/index-def.ts';
import { hintedIndex, planQuery } from '../storage/planner.ts';
import { validateInsert } from '../updates.ts';
import { collectionName, commandSession, readAccess, type CommandContext, type Handler } from './context.ts';
import { runPipeline, type LookupStats } from './lookup.ts';
import { project, select } from './query-helpers.ts';

const find: Handler = (ctx) => {
  const name = collectionName(ctx);
  const cmd = ctx.cmd;
  const filter: Document | undefined = cmd.filter;
  let limit = Number(cmd.limit ?? 0);
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const matches = select(readAccess(ctx, name), filter, { sort: cmd.sort, skip: cmd.skip, limit });
  const docs = project(
    matches.map((m) => m[1]),
    cmd.projection,
    filter,
  );
  return ctx.core.cursors.open(`${ctx.db}.${name}`, docs, cmd.batchSize, { singleBatch, session: commandSession(ctx) });
};

const getMore: Handler = (ctx) => {
  const ns = `${ctx.db}.${collectionName(ctx, 'collection')}`;
  return ctx.core.cursors.getMore(ctx.cmd.getMore, ns, ctx.cmd.batchSize);
};

const killCursors: Handler = (ctx) => ctx.core.cursors.kill(ctx.cmd.cursors ?? []);

function aggregateSource(ctx: CommandContext, access: CollectionAccess, pipeline: Document[], hint?: unknown): Document[] {
  // A leading $match narrows the source through the index planner; the stage itself still runs.
  const filter = pipeline[0]?.$match;
  const index = access.coll && hint !== undefined ? requireHintedIndex(access.coll, hint) : undefined;
  const source = access.candidates(filter ?? {}, index);
  const out: Document[] = [];
  for (const [, doc] of source) out.push(deepClone(doc));
  if (access.coll) ctx.core.counters.recordExamined(access.coll.ns, out.length);
  return out;
}

const aggregate: Handler = (ctx) => {
  const cmd = ctx.cmd;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline)) throw new CommandError(14, "'pipeline' option must be specified as an array");
  // The aggregate command's own `explain: true` (the driver sends the explain command instead).
  if (cmd.explain) return explainAggregate(ctx, { ...cmd, explain: undefined }, 'queryPlanner');
  const collName = typeof cmd.aggregate === 'string' ? cmd.aggregate : undefined;
  const last = pipeline[pipeline.length - 1];
  const outTarget: string | undefined = last && typeof last.$out === 'string' ? last.$out : undefined;
  if (pipeline.some((s: Document) => s.$merge !== undefined || (s.$out !== undefined && s !== last))) {
    throw new CommandError(115, '$merge and non-final $out are not supported by the embedded server');
  }
  const stages = outTarget ? pipeline.slice(0, -1) : pipeline;
  const source = collName ? aggregateSource(ctx, readAccess(ctx, collName), stages, cmd.hint) : [];
  const collectionResolver = (name: string) => aggregateSource(ctx, readAccess(ctx, name), []);
  let results = runPipeline(ctx, source, stages, collectionResolver);
  if (outTarget) {
    replaceCollection(ctx, outTarget, results);
    results = [];
  }
  const ns = `${ctx.db}.${collName ?? '$cmd.aggregate'}`;
  return ctx.core.cursors.open(ns, results, cmd.cursor?.batchSize, { session: commandSession(ctx) });
};

function replaceCollection(ctx: CommandContext, name: string, docs: Document[]): void {
  const engine = ctx.core.engine;
  const previous = engine.collection(ctx.db, name);
  const specs = previous?.indexes.filter((i) => !i.isId).map((i) => i.spec()) ?? [];
  engine.dropCollection(ctx.db, name);
  const coll = engine.createCollection(ctx.db, name);
  for (const spec of specs) coll.addIndex(spec as never, () => new CommandError(11000, 'E11000 duplicate key error during $out'));
  const access = new CollectionAccess(engine, coll, null);
  for (const doc of docs) {
    const stored = validateInsert(doc);
    access.insert(coll, idKeyOf(stored), stored);
  }
}

const count: Handler = (ctx) => {
  const name = collectionName(ctx);
  const access = readAccess(ctx, name);
  const { query, skip, limit } = ctx.cmd;
  if (!skip && !limit) return { n: access.count(query), ok: 1 };
  return { n: select(access, query, { skip, limit }).length, ok: 1 };
};

const distinct: Handler = (ctx) => {
  const name = collectionName(ctx);
  const key = ctx.cmd.key;
  if (typeof key !== 'string') throw new CommandError(14, "'key' must be a string");
  const seen = new Map<string, unknown>();
  const parts = key.split('.');
  for (const [, doc] of readAccess(ctx, name).match(ctx.cmd.query)) {
    for (const v of pathValues(doc, parts)) {
      if (v === undefined) continue;
      const k = valueKey(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  const values = (new Query({}, {}).find([...seen.values()].map((v) => ({ v }))).sort({ v: 1 }).all() as Document[]).map((d) => d.v);
  return { values, ok: 1 };
};

/** As mongod answers a hint naming no index of the collection. */
function requireHintedIndex(coll: Collection, hint: unknown): Index {
  const index = hintedIndex(coll, hint);
  if (!index) throw new CommandError(2, 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
  return index;
}

/**
 * The plan the embedded server really uses for a filter, in mongod's explain shape: FETCH over an
 * IXSCAN of the index the planner picked (planner.ts), or a COLLSCAN; with executionStats, the keys
 * and documents it examined and the documents the filter kept.
 */
function explainQuery(ctx: CommandContext, name: string, filter: Document, hint: unknown, verbosity: string): { queryPlanner: Document; executionStats?: Document } {
  const access = readAccess(ctx, name);
  const coll = access.coll;
  const index = coll && hint !== undefined ? requireHintedIndex(coll, hint) : undefined;
  const plan = coll ? planQuery(coll, filter, index) : null;
  const scan: Document = plan
    ? { stage: 'IXSCAN', keyPattern: plan.index.key, indexName: plan.index.name, isMultiKey: false, direction: 'forward' }
    : { stage: 'COLLSCAN', filter, direction: 'forward' };
  const winningPlan: Document = plan ? { stage: 'FETCH', filter, inputStage: scan } : scan;
  const queryPlanner = { namespace: `${ctx.db}.${name}`, parsedQuery: filter, indexFilterSet: false, winningPlan, rejectedPlans: [] };
  if (verbosity === 'queryPlanner') return { queryPlanner };
  const examined = [...access.candidates(filter, index)].length;
  const nReturned = access.match(filter).length;
  const keysExamined = plan ? examined : 0;
  const executionStages: Document = plan
    ? { stage: 'FETCH', nReturned, docsExamined: examined, inputStage: { ...scan, nReturned: examined, keysExamined } }
    : { stage: 'COLLSCAN', nReturned, docsExamined: examined, direction: 'forward' };
  return { queryPlanner, executionStats: { executionSuccess: true, nReturned, executionTimeMillis: 0, totalKeysExamined: keysExamined, totalDocsExamined: examined, executionStages } };
}

function explainAggregate(ctx: CommandContext, inner: Document, verbosity: string): Document {
  const pipeline: Document[] = Array.isArray(inner.pipeline) ? inner.pipeline : [];
  const name = collectionName({ ...ctx, cmd: inner }, 'aggregate');
  const leading = pipeline[0]?.$match as Document | undefined;
  // As mongod's classic engine reports a pipeline: the query layer's part in a $cursor stage (the
  // leading $match), then the stages after it.
  const cursor = explainQuery(ctx, name, leading ?? {}, inner.hint, verbosity);
  // With execution stats, each equality $lookup reports what it examined and the indexes it used, as mongod's do.
  const lookups = new Map<number, LookupStats>();
  if (verbosity !== 'queryPlanner') {
    const collectionResolver = (from: string) => aggregateSource(ctx, readAccess(ctx, from), []);
    runPipeline(ctx, aggregateSource(ctx, readAccess(ctx, name), pipeline, inner.hint), pipeline, collectionResolver, lookups);
  }
  const stages = pipeline.map((stage, index) => ({ ...stage, ...lookups.get(index) })).slice(leading ? 1 : 0);
  return { explainVersion: '1', stages: [{ $cursor: cursor }, ...stages], command: inner, ok: 1 };
}

/** `{explain: {find | aggregate …}, verbosity}`: the plan the embedded server uses, honestly. */
const explain: Handler = (ctx) => {
  const inner = ctx.cmd.explain as Document;
  if (!inner || typeof inner !== 'object') throw new CommandError(2, 'explain command requires a nested object');
  const verbosity = typeof ctx.cmd.verbosity === 'string' ? ctx.cmd.verbosity : 'allPlansExecution';
  const kind = Object.keys(inner)[0];
  if (kind === 'aggregate') return explainAggregate(ctx, inner, verbosity);
  if (kind === 'find') {
    const name = collectionName({ ...ctx, cmd: inner });
    return { explainVersion: '1', ...explainQuery(ctx, name, inner.filter ?? {}, inner.hint, verbosity), command: inner, ok: 1 };
  }
  throw new CommandError(115, `explain of ${kind} is not supported by the embedded server`);
};

export const readCommands: Record<string, Handler> = { find, getMore, killCursors, aggregate, count, distinct, explain };
