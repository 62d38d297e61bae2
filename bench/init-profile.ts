/**
 * Where a function's module init goes: CPU profiles of importing each group's bundle, self time summed
 * by the package (or our source file) the code came from.
 *
 * Each group is built as bench/init-time.ts builds it (the stack's externals and aliases) but not
 * minified, so a profile's line ticks map back through the source map to the module whose top-level
 * code ran; the AWS SDK left external is attributed by its file path. `runs` fresh processes per group
 * run `node --cpu-prof` on the import alone; the figures are milliseconds of samples per import
 * (median-free: the sum over runs divided by runs). `(program)` is V8's own work outside JavaScript
 * (parsing and compiling mostly), `(garbage collector)` is GC.
 *
 *   npx tsx bench/init-profile.ts [--runs=5] [--group=orders,edge] [--sdk=stack|external|bundled] [--node=/path/to/node] [--top=10]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildBundle, CHILD_ENV, type SdkPlacement, WORK_DIR, writeGroupEntries } from './init-time.ts';
import { formatTable } from './lib/table.ts';

const run = promisify(execFile);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  positionTicks?: { line: number; ticks: number }[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js` → `@aws-sdk/client-dynamodb`; ours → `functions/data/mongo.ts`. */
export function sourceOwner(file: string): string {
  const inModules = file.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const [scope, name] = file.slice(inModules + 'node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const ours = file.match(/(?:^|\/)((?:functions|lib|local)\/.+)$/);
  return ours ? ours[1] : path.basename(file);
}

/** Self time in ms per owner, from one profile of one import. */
function attribute(profile: CpuProfile, bundleUrl: string, map: SourceMap, detailBuiltins: boolean): Map<string, number> {
  const bundleDir = path.dirname(fileURLToPath(bundleUrl));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const msPerNode = new Map<number, number>();
  profile.samples.forEach((id, i) => msPerNode.set(id, (msPerNode.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000));
  const owners = new Map<string, number>();
  const add = (owner: string, ms: number) => owners.set(owner, (owners.get(owner) ?? 0) + ms);
  for (const [id, ms] of msPerNode) {
    const node = byId.get(id)!;
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    if (url === bundleUrl) {
      const ticks = node.positionTicks?.length ? node.positionTicks : [{ line: lineNumber + 1, ticks: 1 }];
      const total = ticks.reduce((n, t) => n + t.ticks, 0);
      for (const t of ticks) {
        const entry = map.findEntry(t.line - 1, t.line - 1 === lineNumber ? columnNumber : 0) as { originalSource?: string };
        add(entry.originalSource ? sourceOwner(path.resolve(bundleDir, entry.originalSource.replace(/^file:\/\//, ''))) : '(bundle, unmapped)', (ms * t.ticks) / total);
      }
    } else if (url.startsWith('file://')) add(sourceOwner(fileURLToPath(url)), ms);
    else if (url) add(detailBuiltins ? `(node) ${url.replace(/^node:/, '')} ${functionName}` : '(node built-ins)', ms);
    else add(functionName.startsWith('(') ? functionName : '(native)', ms);
  }
  return owners;
}

export async function profileGroups(options: { runs?: number; groups?: string[]; sdk?: SdkPlacement; node?: string; detailBuiltins?: boolean } = {}) {
  const runs = options.runs ?? 5;
  const nodeBinary = options.node ?? process.execPath;
  const childFile = path.join(WORK_DIR, 'import-only.mjs');
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(childFile, 'await import(process.argv[2]);\n');
  const results: { group: string; totalMs: number; owners: [string, number][] }[] = [];
  for (const target of writeGroupEntries().filter((t) => !options.groups || options.groups.includes(t.group))) {
    const { file } = await buildBundle(`profile-${target.group}`, target.entry, options.sdk ?? 'stack', target.externals, false);
    const map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    const profDir = path.join(WORK_DIR, 'profiles', target.group);
    rmSync(profDir, { recursive: true, force: true });
    // The profile names the file by its real path (the bench directory may be under a symlinked node_modules, as in a worktree).
    const bundleUrl = pathToFileURL(realpathSync(file)).href;
    for (let i = 0; i < runs; i++) {
      await run(nodeBinary, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=100', childFile, bundleUrl], { env: CHILD_ENV, cwd: path.dirname(file), timeout: 60_000 });
    }
    const owners = new Map<string, number>();
    for (const name of readdirSync(profDir)) {
      for (const [owner, ms] of attribute(JSON.parse(readFileSync(path.join(profDir, name), 'utf8')), bundleUrl, map, options.detailBuiltins ?? false)) owners.set(owner, (owners.get(owner) ?? 0) + ms / runs);
    }
    owners.delete('(idle)');
    const sorted = [...owners].sort((a, b) => b[1] - a[1]);
    results.push({ group: target.group, totalMs: sorted.reduce((n, [, ms]) => n + ms, 0), owners: sorted });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const top = Number(arg('top') ?? 10);
  const results = await profileGroups({ runs: arg('runs') ? Number(arg('runs')) : undefined, groups: arg('group')?.split(','), sdk: arg('sdk') as SdkPlacement | undefined, node: arg('node'), detailBuiltins: process.argv.includes('--builtins') });
  for (const r of results) {
    console.log(`\n${r.group}: ${r.totalMs.toFixed(0)} ms of samples per import (self time, not minified)`);
    console.log(formatTable(['owner', 'ms', '%'], r.owners.slice(0, top).map(([owner, ms]) => [owner, Number(ms.toFixed(1)), Number(((100 * ms) / r.totalMs).toFixed(1))])));
  }
}
