/**
 * Bundle size and module init time per Lambda bundle.
 *
 * Every bundle group of the CDK stack (lib/functions.ts: one entry per handler module, split by
 * needs.mongo) is built with esbuild using the stack's settings (ESM, minify, node22 target, the same
 * externals, banner and alias) into node_modules/.cache/plato-bench/bundles — inside the project so
 * the external AWS SDK resolves from node_modules, as it does from the Lambda runtime. Then `runs`
 * fresh `node` processes import each bundle; the child measures with performance.now() (origin: the
 * process start) when its entry runs and when the import resolved. An empty handler built the same
 * way is the baseline; bundles are reported as a ratio of its time. Runs are interleaved across
 * bundles so machine noise spreads evenly. The child also reports its CPU time (user + system, every
 * thread: V8's compile and GC helpers included) at that point: on the shared 2-core machine the wall
 * time swings with other work, the CPU time far less, and at Lambda's fraction of a vCPU (256 MB) the
 * init's wall time follows its CPU time. The children get the deployed functions' NODE_OPTIONS
 * (FUNCTION_NODE_OPTIONS: none since #18 session 12, source maps mapped on demand) and the deployed map (our
 * own code's mappings only, lib/bundling/own-source-map.cjs), `--node-options=` to override, and
 * `--also-node-options=` to time every bundle with other options too, in the same run.
 *
 * Locally this is Node 20 on a shared x86/arm laptop core, not Lambda's Node 22 on Graviton: compare
 * the ratios, not the absolute milliseconds.
 *
 *   npx tsx bench/init-time.ts [--runs=10] [--sdk=stack|external|bundled|both] [--node=/path/to/node] [--extra=label:dir] [--parts] [--node-options=…] [--also-node-options=…]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { functionGroups } from '../functions/routes.ts';
import { BUNDLE_ALIASES, ESM_REQUIRE_BANNER, EXTERNAL_MODULES, externalModulesFor, FUNCTION_NODE_OPTIONS, groupEntrySource, MONGODB_OPTIONAL_MODULES } from '../lib/functions.ts';
import { rewriteSourceMapFile } from '../lib/bundling/own-source-map.cjs';
import { median } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';

const run = promisify(execFile);
const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
// PLATO_BENCH_DIR: another working directory (inside the project, so the external SDK still resolves), for runs side by side.
export const WORK_DIR = process.env.PLATO_BENCH_DIR ? path.resolve(process.env.PLATO_BENCH_DIR) : path.join(PROJECT_ROOT, 'node_modules', '.cache', 'plato-bench');
export const BASELINE = '(empty handler)';
/** #18: each function's module init at most this many times the empty handler's. */
export const INIT_RATIO_TARGET = 2.5;

export interface BundleInit {
  group: string;
  functions: string[];
  bytes: number;
  mongodbBytes: number;
  /** Median over the runs: process start → import resolved, and the import alone. */
  startToResolvedMs: number;
  importMs: number;
  /** startToResolvedMs / the baseline's. */
  ratio: number;
  /** Median CPU time of the child (user + system, all threads) when the import resolved, and its ratio to the baseline's. */
  cpuMs: number;
  cpuRatio: number;
  /** min–max over the runs: start→resolved ms and CPU ms. */
  range: { wallMs: [number, number]; cpuMs: [number, number] };
  runs: number;
  error?: string;
}

export interface InitTimeResult {
  node: string;
  nodeOptions: string;
  runs: number;
  baseline: BundleInit;
  bundles: BundleInit[];
}

const CHILD = `const entered = performance.now();
const bundle = process.argv[2];
try {
  await import(bundle);
  const resolved = performance.now();
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ entered, resolved, cpu: (cpu.user + cpu.system) / 1000 }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error && error.message || error).slice(0, 300) }));
}
`;

/** What a deployed function's environment holds that module init might read (no secrets: init must not need them). */
export const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
  NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
  AWS_REGION: 'ap-south-1',
  AWS_LAMBDA_FUNCTION_NAME: 'plato-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  RESTAURANT_ID: 'demo',
  MONGODB_DB: 'plato',
  POWERTOOLS_SERVICE_NAME: 'plato',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * `stack`: as lib/functions.ts bundles the group (the AWS SDK inside, except in the resize function:
 * externalModulesFor); `external`: the SDK left to the runtime's copy in every bundle (the stack before
 * #18 stage 4); `bundled`: the SDK inside every bundle, the resize function's too.
 */
export type SdkPlacement = 'stack' | 'external' | 'bundled';

/**
 * `minify: false` only for bench/init-profile.ts, whose profiles map lines back to source modules: its map
 * keeps every module's mappings. Otherwise the map is cut down to our own code, as the stack's afterBundling
 * hook does (lib/bundling/hooks.ts).
 */
export async function buildBundle(name: string, entry: string, sdk: SdkPlacement = 'stack', stackExternals: string[] = EXTERNAL_MODULES, minify = true): Promise<{ file: string; bytes: number; mongodbBytes: number }> {
  const outdir = path.join(WORK_DIR, 'bundles', name);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile: path.join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    external: sdk === 'stack' ? stackExternals : sdk === 'external' ? [...new Set([...EXTERNAL_MODULES, ...stackExternals])] : stackExternals.filter((name) => name !== '@aws-sdk/*'),
    alias: BUNDLE_ALIASES,
    metafile: true,
    logLevel: 'warning',
  });
  if (minify) rewriteSourceMapFile(path.join(outdir, 'index.mjs.map'));
  const [, output] = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs'))!;
  const mongodbBytes = Object.entries(output.inputs)
    .filter(([input]) => /node_modules\/mongodb\//.test(input))
    .reduce((n, [, { bytesInOutput }]) => n + bytesInOutput, 0);
  return { file: path.join(outdir, 'index.mjs'), bytes: output.bytes, mongodbBytes };
}

async function timeImport(nodeBinary: string, childFile: string, bundle: string, nodeOptions: string): Promise<{ entered: number; resolved: number; cpu: number } | { error: string }> {
  const { stdout } = await run(nodeBinary, [childFile, pathToFileURL(bundle).href], { env: { ...CHILD_ENV, NODE_OPTIONS: nodeOptions }, cwd: path.dirname(bundle), timeout: 60_000 });
  return JSON.parse(stdout);
}

/** The stack's functions, one per function group, with the same entries lib/functions.ts writes. */
export function writeGroupEntries(): { group: string; functions: string[]; entry: string; externals: string[] }[] {
  const entriesDir = path.join(WORK_DIR, 'entries');
  mkdirSync(entriesDir, { recursive: true });
  return [...functionGroups()].map(([group, spec]) => {
    const entry = path.join(entriesDir, `${group}.ts`);
    writeFileSync(entry, groupEntrySource(spec, entriesDir, path.join(PROJECT_ROOT, 'functions'), PROJECT_ROOT));
    return { group, functions: [...spec.handlers.keys()], entry, externals: externalModulesFor(spec) };
  });
}

/**
 * One library alone per bundle, built as the stack builds a group (the SDK inside): the floor each
 * puts under a function that uses it (`--parts`).
 */
const PARTS: Record<string, string> = {
  'part: mongodb driver': "import { MongoClient } from 'mongodb'; export const handler = async () => new MongoClient('mongodb://127.0.0.1:1');",
  'part: DynamoDB document client': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; export const handler = async () => DynamoDBDocumentClient.from(new DynamoDBClient({}));",
  'part: zod': "import { z } from 'zod'; export const handler = async (e: unknown) => z.object({ a: z.string() }).parse(e);",
  'part: Powertools logger': "import { Logger } from '@aws-lambda-powertools/logger'; export const handler = async () => new Logger().info('x');",
  'part: mongodb + DynamoDB + zod + logger': "import { MongoClient } from 'mongodb'; import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; import { z } from 'zod'; import { Logger } from '@aws-lambda-powertools/logger'; export const handler = async (e: unknown) => [new MongoClient('mongodb://127.0.0.1:1'), DynamoDBDocumentClient.from(new DynamoDBClient({})), z.string().parse(e), new Logger()];",
};

/**
 * `node`: the binary the children run (default: this process's). Lambda runs Node 22; `npm i node@22`
 * in a scratch directory gives one (`--node=/tmp/n22/node_modules/node/bin/node`).
 */
export async function runInitTimeBench(options: { runs?: number; sdk?: SdkPlacement[]; node?: string; extra?: { label: string; dir: string }[]; parts?: boolean; nodeOptions?: string; alsoNodeOptions?: string } = {}): Promise<InitTimeResult> {
  const runs = options.runs ?? 10;
  const nodeOptions = options.nodeOptions ?? FUNCTION_NODE_OPTIONS;
  const nodeBinary = options.node ?? process.execPath;
  const placements = options.sdk ?? ['stack'];
  mkdirSync(path.join(WORK_DIR, 'entries'), { recursive: true });
  const childFile = path.join(WORK_DIR, 'import-timer.mjs');
  writeFileSync(childFile, CHILD);

  const targets = writeGroupEntries();
  const baselineEntry = path.join(WORK_DIR, 'entries', 'baseline.ts');
  writeFileSync(baselineEntry, 'export const handler = async () => ({ statusCode: 200, body: "" });\n');
  targets.unshift({ group: BASELINE, functions: [], entry: baselineEntry, externals: EXTERNAL_MODULES });
  if (options.parts) {
    for (const [part, source] of Object.entries(PARTS)) {
      const entry = path.join(WORK_DIR, 'entries', `${part.replace(/\W+/g, '-')}.ts`);
      writeFileSync(entry, `${source}\n`);
      targets.push({ group: part, functions: [], entry, externals: MONGODB_OPTIONAL_MODULES });
    }
  }

  const built = [];
  for (const target of targets) {
    if (target.group === BASELINE) {
      built.push({ ...target, ...(await buildBundle('baseline', target.entry)) });
      continue;
    }
    // Other placements than the stack's carry it in the name: `orders` and `orders (sdk external)`.
    for (const sdk of target.group.startsWith('part:') ? (['stack'] as const) : placements) {
      const group = sdk === 'stack' ? target.group : `${target.group} (sdk ${sdk})`;
      built.push({ ...target, group, ...(await buildBundle(sdk === 'stack' ? target.group : `${target.group}-sdk-${sdk}`, target.entry, sdk, target.externals)) });
    }
    // Bundles built elsewhere (another commit's, copied under WORK_DIR so the external SDK resolves), timed in the same run.
    for (const extra of options.extra ?? []) {
      const file = path.join(extra.dir, target.group, 'index.mjs');
      if (existsSync(file)) built.push({ ...target, group: `${target.group} (${extra.label})`, file, bytes: statSync(file).size, mongodbBytes: Number.NaN });
    }
  }

  // --also-node-options: every bundle timed a second time with other NODE_OPTIONS, interleaved with the first (ratios to the same baseline).
  const variants: (typeof built[number] & { nodeOptions?: string })[] = [...built];
  if (options.alsoNodeOptions !== undefined) for (const b of built) variants.push({ ...b, group: `${b.group} [NODE_OPTIONS='${options.alsoNodeOptions}']`, nodeOptions: options.alsoNodeOptions });
  const samples = new Map<string, { total: number[]; importOnly: number[]; cpu: number[]; error?: string }>(variants.map((b) => [b.group, { total: [], importOnly: [], cpu: [] }]));
  await timeImport(nodeBinary, childFile, built[0].file, nodeOptions); // the first process start pays for cold disk caches
  for (let i = 0; i < runs; i++) {
    for (const bundle of variants) {
      const s = samples.get(bundle.group)!;
      if (s.error) continue;
      const result = await timeImport(nodeBinary, childFile, bundle.file, bundle.nodeOptions ?? nodeOptions);
      if ('error' in result) s.error = result.error;
      else {
        s.total.push(result.resolved);
        s.cpu.push(result.cpu);
        s.importOnly.push(result.resolved - result.entered);
      }
    }
  }
  const reports: BundleInit[] = variants.map((b) => {
    const s = samples.get(b.group)!;
    return {
      group: b.group,
      functions: b.functions,
      bytes: b.bytes,
      mongodbBytes: b.mongodbBytes,
      startToResolvedMs: s.total.length ? median(s.total) : Number.NaN,
      importMs: s.importOnly.length ? median(s.importOnly) : Number.NaN,
      ratio: Number.NaN,
      cpuMs: s.cpu.length ? median(s.cpu) : Number.NaN,
      cpuRatio: Number.NaN,
      range: { wallMs: [Math.min(...s.total), Math.max(...s.total)], cpuMs: [Math.min(...s.cpu), Math.max(...s.cpu)] },
      runs: s.total.length,
      ...(s.error ? { error: s.error } : {}),
    };
  });
  const baseline = reports.shift()!;
  for (const report of reports) {
    report.ratio = report.startToResolvedMs / baseline.startToResolvedMs;
    report.cpuRatio = report.cpuMs / baseline.cpuMs;
  }
  reports.sort((a, b) => b.startToResolvedMs - a.startToResolvedMs);
  const nodeVersion = options.node ? (await run(nodeBinary, ['--version'])).stdout.trim() : process.version;
  return { node: nodeVersion, nodeOptions, runs, baseline: { ...baseline, ratio: 1, cpuRatio: 1 }, bundles: reports };
}

export function printInitTime(r: InitTimeResult): string {
  const kb = (bytes: number) => Math.round(bytes / 1024);
  const span = ([min, max]: [number, number]) => `${Math.round(min)}–${Math.round(max)}`;
  const row = (b: BundleInit) => [b.group, kb(b.bytes), kb(b.mongodbBytes), b.startToResolvedMs, span(b.range.wallMs), b.importMs, b.ratio, b.group === BASELINE ? '' : b.ratio <= INIT_RATIO_TARGET ? 'met' : 'NOT met', b.cpuMs, span(b.range.cpuMs), b.cpuRatio, b.group === BASELINE ? '' : b.cpuRatio <= INIT_RATIO_TARGET ? 'met' : 'NOT met', b.error ?? b.functions.join(' ')];
  return [
    `Bundle size and module init (esbuild as the CDK stack: ESM, minified, node22 target, the AWS SDK placed as the stack places it unless named; median of ${r.runs} fresh node ${r.node} processes, NODE_OPTIONS='${r.nodeOptions}'; ratio = start→resolved / the empty handler's; CPU = the child's user + system time at that point, all threads)`,
    formatTable(['bundle', 'KB', 'mongodb KB', 'start→resolved ms', 'min–max', 'import ms', 'ratio', `≤ ${INIT_RATIO_TARGET}×`, 'CPU ms', 'min–max', 'CPU ratio', `CPU ≤ ${INIT_RATIO_TARGET}×`, 'functions'], [row(r.baseline), ...r.bundles.map(row)]),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1];
  // --sdk=both: every group built as the stack builds it and with the AWS SDK external, measured interleaved.
  const sdk = process.argv.find((a) => a.startsWith('--sdk='))?.split('=')[1];
  const node = process.argv.find((a) => a.startsWith('--node='))?.split('=')[1];
  // --extra=before:/dir — time <dir>/<group>/index.mjs too, as `<group> (before)`.
  const extra = process.argv.filter((a) => a.startsWith('--extra=')).map((a) => {
    const [label, dir] = a.slice('--extra='.length).split(':');
    return { label, dir: path.resolve(dir) };
  });
  // --parts: also each library alone (PARTS), the floor it puts under a function.
  // --node-options=…: the children's NODE_OPTIONS instead of the deployed functions' (`--node-options=` for none).
  const nodeOptions = process.argv.find((a) => a.startsWith('--node-options='))?.slice('--node-options='.length);
  // --also-node-options=…: each bundle also timed with these NODE_OPTIONS in the same run (e.g. `--also-node-options=--enable-source-maps`).
  const alsoNodeOptions = process.argv.find((a) => a.startsWith('--also-node-options='))?.slice('--also-node-options='.length);
  const result = await runInitTimeBench({ node, extra, nodeOptions, alsoNodeOptions, parts: process.argv.includes('--parts'), runs: runs ? Number(runs) : undefined, sdk: sdk === 'both' ? ['stack', 'external'] : sdk ? [sdk as SdkPlacement] : undefined });
  console.log(printInitTime(result));
  const failed = result.bundles.filter((b) => b.error);
  process.exit(failed.length ? 1 : 0);
}
