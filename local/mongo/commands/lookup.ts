// An aggregation pipeline run by mingo, except the equality $lookup (`localField`/`foreignField`,
// with or without a `pipeline`), which runs here as mongod runs it: for each input document, the
// foreign documents whose foreignField equals the local value, found through the foreign
// collection's indexes (with the sub-pipeline's leading $match, when it is a plain filter), then
// the sub-pipeline on those only. mingo's own $lookup reads the whole foreign collection for every
// pipeline, and with a sub-pipeline it runs that pipeline over all of it, not over the matches.
import { Aggregator } from 'mingo';
import type { Document } from 'bson';
import { CommandError } from '../errors.ts';
import { deepClone, pathValues, valueKey } from '../keys.ts';
import { planQuery } from '../storage/planner.ts';
import { readAccess, type CommandContext } from './context.ts';

/** What one equality $lookup examined, as mongod's explain reports it per $lookup stage. */
export interface LookupStats {
  totalDocsExamined: number;
  collectionScans: number;
  indexesUsed: string[];
}

interface EqualityLookup {
  from: string;
  localField: string;
  foreignField: string;
  as: string;
  pipeline?: Document[];
}

const isEqualityLookup = (spec: unknown): spec is EqualityLookup => {
  const s = spec as Document | undefined;
  return typeof s?.from === 'string' && typeof s.localField === 'string' && typeof s.foreignField === 'string' && typeof s.as === 'string' && s.let === undefined;
};

const mentionsExpr = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && Object.entries(value as Document).some(([key, inner]) => key === '$expr' || key.startsWith('$$') || mentionsExpr(inner));

/** Runs `stages` over `source`. `stats`, when given, collects each equality $lookup's stats by stage index. */
export function runPipeline(
  ctx: CommandContext,
  source: Document[],
  stages: Document[],
  collectionResolver: (name: string) => Document[],
  stats?: Map<number, LookupStats>,
): Document[] {
  let docs = source;
  let pending: Document[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    try {
      docs = new Aggregator(pending, { collectionResolver }).run(docs) as Document[];
    } catch (err) {
      throw new CommandError(2, (err as Error).message);
    }
    pending = [];
  };
  stages.forEach((stage, index) => {
    if (!isEqualityLookup(stage.$lookup)) return void pending.push(stage);
    flush();
    const lookupStats: LookupStats = { totalDocsExamined: 0, collectionScans: 0, indexesUsed: [] };
    docs = equalityLookup(ctx, docs, stage.$lookup, collectionResolver, lookupStats);
    stats?.set(index, lookupStats);
  });
  flush();
  return docs;
}

function equalityLookup(
  ctx: CommandContext,
  docs: Document[],
  spec: EqualityLookup,
  collectionResolver: (name: string) => Document[],
  stats: LookupStats,
): Document[] {
  const access = readAccess(ctx, spec.from);
  const pipeline = spec.pipeline ?? [];
  const leading = pipeline[0]?.$match as Document | undefined;
  // The leading $match narrows the index lookup only when it is a plain filter on other fields.
  const narrowing = leading && !mentionsExpr(leading) && !(spec.foreignField in leading) ? leading : {};
  const foreignParts = spec.foreignField.split('.');
  return docs.map((doc) => {
    const locals = pathValues(doc, spec.localField.split('.')).map((v) => v ?? null);
    const equal = locals.length === 1 ? locals[0] : { $in: locals };
    const filter = { ...narrowing, [spec.foreignField]: equal };
    const candidates: Document[] = [];
    for (const [, foreign] of access.candidates(filter)) candidates.push(deepClone(foreign));
    if (access.coll) {
      ctx.core.counters.recordExamined(access.coll.ns, candidates.length);
      const plan = planQuery(access.coll, filter);
      if (!plan) stats.collectionScans++;
      else if (!stats.indexesUsed.includes(plan.index.name)) stats.indexesUsed.push(plan.index.name);
    }
    stats.totalDocsExamined += candidates.length;
    // The candidates are a superset: the equality is tested as mongod tests it (an array field matches an element).
    const wanted = new Set(locals.map(valueKey));
    const matched = candidates.filter((foreign) => pathValues(foreign, foreignParts).some((v) => wanted.has(valueKey(v))));
    let joined: Document[];
    try {
      joined = pipeline.length ? (new Aggregator(pipeline, { collectionResolver }).run(matched) as Document[]) : matched;
    } catch (err) {
      throw new CommandError(2, (err as Error).message);
    }
    return { ...doc, [spec.as]: joined };
  });
}
