/**
 * `npm run bench`: every bench section, each in a fresh Node process (the functions keep
 * per-process singletons, and a Lambda container is one process too), then a summary table;
 * everything measured goes to bench/results.json (git-ignored).
 *
 *   npm run bench                              # load, latency, cost, push, init, media, web
 *   npm run bench -- --only=load,latency       # some sections
 *   npm run bench -- --quick                   # reduced scale, to check the bench itself
 *   npm run bench -- --only=placement,mongo    # the other engineers' benches, on demand
 *
 * Exits 1 when a section fails or the service load has errors or a wrong store; targets that are
 * not met are reported (the machine is shared and noisy), not failed.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, type Cell } from './lib/table.ts';
import { BUNDLE_BUDGET_BYTES } from './bundle-report.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(BENCH_DIR, 'results.json');

interface Scale {
  quick: boolean;
  tables?: number;
}

/**
 * The latency benches start their own stacks; they take MONGODB_URI from the environment, so they get
 * an embedded server whose driver monitoring polls as on Lambda (see lambdaLikeUri).
 */
async function withLambdaLikeMongo<T>(work: () => Promise<T>): Promise<T> {
  const { startMongoServer } = await import('../local/mongo/index.ts');
  const { lambdaLikeUri } = await import('./lib/bench-stack.ts');
  const server = await startMongoServer({ ttlSweepMs: 0 });
  process.env.MONGODB_URI = lambdaLikeUri(server.uri);
  try {
    return await work();
  } finally {
    await server.stop();
  }
}

/** One section: what it runs in its own process and how it prints. */
interface Section {
  group: string;
  run(scale: Scale): Promise<{ result: unknown; text: string; ok: boolean }>;
}

const SECTIONS: Record<string, Section> = {
  load: {
    group: 'load',
    run: async (scale) => {
      const { runServiceLoad, printServiceLoad } = await import('./service-load.ts');
      const result = await runServiceLoad({ tables: scale.tables ?? (scale.quick ? 8 : 100), ...(scale.quick ? { rampMs: 30_000 } : {}) });
      return { result, text: printServiceLoad(result), ok: result.ok };
    },
  },
  'latency-kitchen': {
    group: 'latency',
    run: async (scale) => {
      const { runKitchenLatencyBench } = await import('./kitchen-latency.bench.ts');
      const result = await withLambdaLikeMongo(() => runKitchenLatencyBench(scale.quick ? 40 : 200));
      const f = (x: { p50: number; p99: number; max: number; samples: number }) => `p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms (${x.samples} samples)`;
      const text = [
        `Order → kitchen socket (bench/kitchen-latency.bench.ts): ${result.orders} orders one at a time, ${result.kitchenSockets} kitchen sockets, ${result.guests} guests connected`,
        `  placement sent → each kitchen socket  ${f(result.placementToSocket)}   target p99 ≤ 50 ms`,
        `  placement sent → all kitchen sockets  ${f(result.placementToAllSockets)}`,
        `  commit → kitchen socket               ${f(result.commitToSocket)}`,
        `  placement response                    ${f(result.placementResponse)}`,
      ].join('\n');
      return { result, text, ok: true };
    },
  },
  'latency-cart': {
    group: 'latency',
    run: async (scale) => {
      const { runCartSyncBench } = await import('./cart-sync.bench.ts');
      const result = await withLambdaLikeMongo(() => runCartSyncBench(scale.quick ? { tables: 10, changesPerTable: 5 } : { tables: 50, phonesPerTable: 4, changesPerTable: 20 }));
      const text = [
        `Cart change → the table's other phones (bench/cart-sync.bench.ts): ${result.tables} tables × ${result.phonesPerTable} phones, ${result.changes} changes, ${result.samples} deliveries`,
        `  p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms   target p99 ≤ 50 ms; HTTP round trip p50 ${result.httpP50Ms.toFixed(1)} / p99 ${result.httpP99Ms.toFixed(1)} ms; ${result.changesPerSecond.toFixed(0)} changes/s`,
      ].join('\n');
      return { result, text, ok: true };
    },
  },
  cost: {
    group: 'cost',
    run: async () => {
      const { runCostBench, printCost } = await import('./cost.ts');
      const result = await runCostBench();
      return { result, text: printCost(result), ok: true };
    },
  },
  init: {
    group: 'init',
    run: async (scale) => {
      const { runInitTimeBench, printInitTime } = await import('./init-time.ts');
      const result = await runInitTimeBench({ runs: scale.quick ? 3 : 10 });
      return { result, text: printInitTime(result), ok: result.bundles.every((b) => !b.error) };
    },
  },
  push: {
    group: 'push',
    run: async (scale) => {
      const { runPushBench, printPush } = await import('./push.ts');
      const result = await runPushBench(scale.quick ? { rounds: 3, pushes: 500 } : { rounds: 5, pushes: 2000 });
      return { result, text: printPush(result), ok: true };
    },
  },
  media: {
    group: 'media',
    run: async (scale) => {
      const { runMediaResizeBench, printMediaResize } = await import('./media-resize.bench.ts');
      const result = await runMediaResizeBench({ runs: scale.quick ? 3 : 7 });
      return { result, text: printMediaResize(result), ok: true };
    },
  },
  web: {
    group: 'web',
    run: async (scale) => {
      const { runWebBench, printWeb } = await import('./web.ts');
      const result = await runWebBench({ runs: scale.quick ? 1 : 3 });
      return { result, text: printWeb(result), ok: true };
    },
  },
  // Not in the default run: the other engineers' benches, on demand.
  placement: {
    group: 'placement',
    run: async (scale) => {
      const { runOrderPlacementBench } = await import('./order-placement.bench.ts');
      const result = await runOrderPlacementBench(scale.quick ? { tables: 4, ordersPerTable: 3 } : {});
      const text = `Order placement (bench/order-placement.bench.ts): ${result.calls.mongoTotal.toFixed(2)} MongoDB commands, ${result.calls.dynamoTotal.toFixed(2)} DynamoDB calls per placement; sequential p50 ${result.sequential.p50Ms.toFixed(1)} / p99 ${result.sequential.p99Ms.toFixed(1)} ms; burst p50 ${result.burst.p50Ms.toFixed(1)} / p99 ${result.burst.p99Ms.toFixed(1)} ms`;
      return { result, text, ok: true };
    },
  },
  reports: {
    group: 'reports',
    run: async (scale) => {
      const { runReportsBench, printReports } = await import('./reports.bench.ts');
      const result = await runReportsBench(scale.quick ? 20_000 : 100_000);
      return { result, text: printReports(result), ok: result.reports.summary.p50 <= 300 };
    },
  },
  mongo: {
    group: 'mongo',
    run: async (scale) => {
      const { runMongoBench } = await import('./mongo.bench.ts');
      const result = await runMongoBench(scale.quick ? 500 : 3000);
      const text = `Embedded MongoDB (bench/mongo.bench.ts): insertOne ${result.insertOneMs.toFixed(3)} ms, findOne indexed ${result.findOneIndexedMs.toFixed(3)} ms, findOneAndUpdate ${result.findOneAndUpdateMs.toFixed(3)} ms (targets ≤ 0.3 ms); findOne by _id 100k vs 1k ${(result.findByIdSlowdown * 100).toFixed(0)}% (≤ 20%); RSS ${result.rssMb.toFixed(0)} MB (< 400)`;
      return { result, text, ok: true };
    },
  },
};
const DEFAULT_GROUPS = ['load', 'latency', 'cost', 'push', 'init', 'media', 'web'];

function parseArgs(argv: string[]) {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = value('only')?.split(',').map((s) => s.trim()).filter(Boolean);
  const tables = value('tables');
  return { only, quick: argv.includes('--quick'), tables: tables ? Number(tables) : undefined, section: value('section'), out: value('out') };
}

// ---------- Child: one section ----------

async function runChild(name: string, out: string, scale: Scale): Promise<void> {
  const section = SECTIONS[name];
  const started = performance.now();
  const { result, text, ok } = await section.run(scale);
  console.log(`\n${text}\n`);
  writeFileSync(out, JSON.stringify({ ok, seconds: (performance.now() - started) / 1000, text, result }));
  process.exit(0);
}

// ---------- Parent ----------

interface SectionOutcome {
  ok: boolean;
  seconds: number;
  finishedAt?: string;
  /** 1-min load average when the section ended. */
  loadAverage?: number;
  text?: string;
  result?: any;
  error?: string;
}

function runSectionProcess(name: string, scale: Scale, dir: string): Promise<SectionOutcome> {
  const out = path.join(dir, `${name}.json`);
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), `--section=${name}`, `--out=${out}`];
  if (scale.quick) args.push('--quick');
  if (scale.tables) args.push(`--tables=${scale.tables}`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: 'inherit',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    child.once('exit', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const stamp = { finishedAt: new Date().toISOString(), loadAverage: loadavg()[0] };
      try {
        resolve({ ...(JSON.parse(readFileSync(out, 'utf8')) as SectionOutcome), ...stamp });
      } catch {
        resolve({ ok: false, seconds, error: `exited with ${signal ?? code} without a result`, ...stamp });
      }
    });
  });
}

const fmt = (v: number | undefined, digits = 1) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

/** The headline figures of every section, with their targets. */
function summaryRows(outcomes: Record<string, SectionOutcome>): Cell[][] {
  const rows: Cell[][] = [];
  const load = outcomes.load?.result;
  if (load) {
    const route = (key: string) => load.routes.find((r: any) => r.route === key);
    const place = route('POST /api/orders');
    rows.push(
      ['load', `${load.options.tables} tables × ${load.options.phonesPerTable} phones: throughput`, `${fmt(load.requestsPerSecond, 0)} req/s, ${fmt(load.ordersPerSecond)} orders/s`, '', ''],
      ['load', 'errors', String(load.errors), '0', verdict(load.errors === 0)],
      ['load', 'orders in store / expected, duplicates, not READY', `${load.store.ordersFound}/${load.store.ordersExpected}, ${load.store.duplicateKeys}, ${load.store.itemsNotReady}`, 'equal, 0, 0', verdict(load.ok)],
    );
    for (const r of load.routes) rows.push(['load', `${r.route} p50 / p99`, `${fmt(r.p50)} / ${fmt(r.p99)} ms`, '', `${r.n} calls`]);
    rows.push(
      ['load', 'under load: order → kitchen socket p50 / p99', `${fmt(load.latency.orderToKitchenSocket.p50)} / ${fmt(load.latency.orderToKitchenSocket.p99)} ms`, 'p99 ≤ 50 ms', verdict(load.latency.orderToKitchenSocket.p99 <= 50)],
      ['load', 'under load: cart change → other phones p50 / p99', `${fmt(load.latency.cartChangeToOtherPhones.p50)} / ${fmt(load.latency.cartChangeToOtherPhones.p99)} ms`, 'p99 ≤ 50 ms', verdict(load.latency.cartChangeToOtherPhones.p99 <= 50)],
    );
    if (place) rows.push(['load', 'placement under load p50 / p99', `${fmt(place.p50)} / ${fmt(place.p99)} ms`, '', '']);
  }
  const kitchen = outcomes['latency-kitchen']?.result;
  if (kitchen) {
    rows.push(['latency', `order → kitchen socket (${kitchen.kitchenSockets} kitchen sockets) p50 / p99`, `${fmt(kitchen.placementToSocket.p50)} / ${fmt(kitchen.placementToSocket.p99)} ms`, 'p99 ≤ 50 ms', verdict(kitchen.placementToSocket.p99 <= 50)]);
  }
  const cart = outcomes['latency-cart']?.result;
  if (cart) {
    rows.push(['latency', `cart change → other phones (${cart.tables} × ${cart.phonesPerTable}) p50 / p99`, `${fmt(cart.p50Ms)} / ${fmt(cart.p99Ms)} ms`, 'p99 ≤ 50 ms', verdict(cart.p99Ms <= 50)]);
  }
  const cost = outcomes.cost?.result;
  if (cost) {
    // The lines priced from counts alone (bench/lib/cost-print.ts): all but the measured milliseconds.
    const countPriced = (d: { per1000Orders: Record<string, number> }) => d.per1000Orders.total - d.per1000Orders.lambdaDuration - d.per1000Orders.lambdaInit;
    rows.push(
      ['cost', 'MongoDB commands per placement', fmt(cost.placement.mongo, 2), `≤ ${cost.placement.mongoTarget}`, verdict(cost.placement.mongo <= cost.placement.mongoTarget)],
      ['cost', 'DynamoDB calls per placement', fmt(cost.placement.dynamo, 2), `≤ ${cost.placement.dynamoTarget}`, verdict(cost.placement.dynamo <= cost.placement.dynamoTarget)],
      ['cost', 'per order: HTTP requests / invocations / WS messages', `${fmt(cost.perOrder.httpRequests)} / ${fmt(cost.perOrder.lambdaInvocations, 0)} / ${fmt(cost.perOrder.wsMessages, 0)}`, '', 'incl. heartbeats'],
      ['cost', `per 1,000 orders (${cost.dollars.prices.region.split(' ')[0]})`, `$${fmt(cost.dollars.per1000Orders.total, 2)} (count-priced lines $${fmt(countPriced(cost.dollars), 3)}; each tablet pinging for itself (s9): $${fmt(countPriced(cost.s9.dollars), 3)}; 30 s heartbeats: $${fmt(cost.before.dollars.per1000Orders.total, 2)})`, '≤ $0.60', `${verdict(cost.dollars.per1000Orders.total <= 0.6)}; + WAF $${cost.dollars.monthly.wafFixedUsd}/month + Atlas $${cost.dollars.monthly.atlasUsd}/month`],
    );
  }
  const push = outcomes.push?.result;
  if (push) {
    const ratio = [...push.ratios].sort((a: number, b: number) => a - b)[Math.ceil(push.ratios.length / 2) - 1];
    rows.push(['push', 'CPU per push, lean / SDK client (median of paired rounds)', fmt(ratio, 2), '≤ 0.5', verdict(ratio <= 0.5)]);
  }
  if (cost) rows.push(['cost', 'PostToConnection calls per order (the visit)', fmt(cost.postsPerOrder), '≤ 207 (−30 % of 296)', verdict(cost.postsPerOrder <= 207)]);
  const init = outcomes.init?.result;
  if (init) {
    const worst = init.bundles[0];
    const largest = [...init.bundles].sort((a: any, b: any) => b.bytes - a.bytes)[0];
    rows.push(
      ['init', 'empty handler: process start → import resolved', `${fmt(init.baseline.startToResolvedMs)} ms`, '', 'baseline'],
      ['init', `slowest bundle (${worst.group})`, `${fmt(worst.startToResolvedMs)} ms, ×${fmt(worst.ratio)}`, '≤ 2.5× the empty handler', verdict(worst.ratio <= 2.5)],
      ['init', 'functions within 2.5× the empty handler', `${init.bundles.filter((b: any) => b.ratio <= 2.5).length} of ${init.bundles.length}`, 'all', verdict(init.bundles.every((b: any) => b.ratio <= 2.5))],
      ['init', 'functions within 2.5× the empty handler in CPU time (steadier under load)', `${init.bundles.filter((b: any) => b.cpuRatio <= 2.5).length} of ${init.bundles.length}`, 'all', verdict(init.bundles.every((b: any) => b.cpuRatio <= 2.5))],
      ['init', `largest bundle (${largest.group})`, `${Math.round(largest.bytes / 1024)} KB`, `≤ ${Math.round(BUNDLE_BUDGET_BYTES / 1024)} KB`, verdict(largest.bytes <= BUNDLE_BUDGET_BYTES)],
    );
  }
  const web = outcomes.web?.result;
  if (web) {
    rows.push(['web', 'diner initial transfer (gzip -9)', `${fmt(web.transfer.gzip / 1024)} KB`, '', `JS+CSS budget 60 KB`]);
    if (web.lighthouse.ok) {
      for (const page of web.lighthouse.pages) rows.push(['web', `Lighthouse mobile performance, ${page.page} (median of ${page.scores.length})`, `${page.score}/100`, '', 'target ≥ 95']);
    } else {
      rows.push(['web', 'Lighthouse mobile performance', 'not run', '', web.lighthouse.reason]);
    }
  }
  const media = outcomes.media?.result;
  if (media) {
    const outputs = media.outputs.map((o: { file: string; bytes: number }) => `${o.file} ${fmt(o.bytes / 1024)} KB`).join(', ');
    rows.push(['media', `photo resize, ${media.input.width}×${media.input.height} JPEG → 2 widths × WebP+JPEG, median (min–max)`, `${media.ms.median} ms (${media.ms.min}–${media.ms.max})`, '', outputs]);
  }
  for (const name of ['placement', 'mongo']) if (outcomes[name]?.text) rows.push([name, outcomes[name].text!.split(':')[0], 'see above', '', '']);
  for (const [name, outcome] of Object.entries(outcomes)) if (!outcome.ok) rows.push([name, 'section failed', outcome.error ?? 'see above', '', 'FAILED']);
  return rows;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scale: Scale = { quick: args.quick, tables: args.tables };
  if (args.section) return runChild(args.section, args.out!, scale);

  const groups = args.only ?? DEFAULT_GROUPS;
  const unknown = groups.filter((g) => !Object.values(SECTIONS).some((s) => s.group === g));
  if (unknown.length) {
    console.error(`Unknown section(s): ${unknown.join(', ')}. Known: ${[...new Set(Object.values(SECTIONS).map((s) => s.group))].join(', ')}`);
    process.exit(2);
  }
  const names = Object.keys(SECTIONS).filter((name) => groups.includes(SECTIONS[name].group));
  const dir = mkdtempSync(path.join(tmpdir(), 'plato-bench-'));
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 5_000);
  const startedAt = new Date();
  const loadBefore = loadavg();
  console.log(`Plato bench: ${names.join(', ')}${scale.quick ? ' (quick)' : ''} — ${cpus().length} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const outcomes: Record<string, SectionOutcome> = {};
  for (const name of names) {
    console.log(`\n== ${name} ==`);
    outcomes[name] = await runSectionProcess(name, scale, dir);
    if (!outcomes[name].ok) console.log(`${name}: FAILED ${outcomes[name].error ?? ''}`);
  }
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
  const loadAfter = loadavg();
  const meanLoad = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : loadAfter[0];
  const maxLoad = loads.length ? Math.max(...loads) : loadAfter[0];

  // A partial run (--only) keeps the other sections of the previous results.json, each with its own time and load.
  let previous: Record<string, SectionOutcome> = {};
  try {
    previous = JSON.parse(readFileSync(RESULTS, 'utf8')).sections ?? {};
  } catch {
    // first run
  }
  const merged = { ...previous, ...outcomes };
  const rows = summaryRows(outcomes);
  console.log(`\n== Summary (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s; 1-min load average during the run: mean ${meanLoad.toFixed(1)}, max ${maxLoad.toFixed(1)} on ${cpus().length} CPUs) ==`);
  console.log(formatTable(['section', 'metric', 'value', 'target', 'status'], rows));

  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        commit,
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        quick: scale.quick,
        loadAverage: { before: loadBefore, after: loadAfter, meanDuringRun: meanLoad, maxDuringRun: maxLoad },
        thisRun: names,
        summary: summaryRows(merged),
        sections: merged,
      },
      null,
      2,
    ),
  );
  console.log(`\nWrote ${path.relative(process.cwd(), RESULTS)}`);
  process.exit(Object.values(outcomes).every((o) => o.ok) ? 0 : 1);
}

await main();
