/**
 * Bundle size per Lambda function, from the esbuild metafiles in a cloud assembly, against the
 * budgets: no function over BUNDLE_BUDGET_BYTES (1,200 KB) minified, and no MongoDB driver in functions that never use it.
 *
 *   npm run synth && npx tsx bench/bundles.ts            # reads cdk.out
 *   npx tsx bench/bundles.ts --synth [outdir]             # synthesizes Plato-demo first (timed)
 *
 * Exits non-zero when a budget is exceeded.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildApp, PROJECT_ROOT } from '../lib/app.ts';
import { BUNDLE_BUDGET_BYTES, NATIVE_BUDGET_BYTES, budgetProblems, bundleReports, kb } from './bundle-report.ts';

const args = process.argv.slice(2);
const synth = args.includes('--synth');
const outdir = path.resolve(PROJECT_ROOT, args.find((a) => !a.startsWith('--')) ?? 'cdk.out');
const stackName = 'Plato-demo';

if (synth || !existsSync(path.join(outdir, `${stackName}.template.json`))) {
  const started = Date.now();
  const { app } = buildApp({ outdir, context: { restaurant: 'demo', deployStamp: 'bench' } });
  app.synth();
  console.log(`Synthesized ${stackName} with bundling in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const reports = bundleReports(outdir, stackName);
const width = Math.max(...reports.map((r) => r.key.length));
console.log(`${'function'.padEnd(width)}  ${'bundle'.padStart(8)}  ${'mongodb'.padStart(8)}  ${'native'.padStart(9)}  largest packages`);
for (const report of reports) {
  const top = Object.entries(report.packages)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(', ');
  const mark = report.bytes > BUNDLE_BUDGET_BYTES || (!report.spec.needs.mongo && report.mongodbBytes > 0) ? ' !' : '';
  const native = report.nativeBytes ? kb(report.nativeBytes) : '-';
  console.log(`${report.key.padEnd(width)}  ${kb(report.bytes).padStart(8)}  ${kb(report.mongodbBytes).padStart(8)}  ${native.padStart(9)}  ${top}${mark}`);
}
const sizes = reports.map((r) => r.bytes).sort((a, b) => a - b);
console.log(`\n${reports.length} functions; bundle sizes ${kb(sizes[0])} to ${kb(sizes.at(-1)!)}, median ${kb(sizes[Math.floor(sizes.length / 2)])}; budget ${kb(BUNDLE_BUDGET_BYTES)}; native packages beside a bundle (not JS, own budget ${kb(NATIVE_BUDGET_BYTES)}): ${reports.filter((r) => r.nativeBytes).map((r) => `${r.key} ${kb(r.nativeBytes)}`).join(', ') || 'none'}`);

const problems = budgetProblems(reports);
if (problems.length > 0) {
  console.log(`\nOver budget (${problems.length}):`);
  for (const { key, problem } of problems) console.log(`  ${key}: ${problem}`);
  process.exitCode = 1;
} else {
  console.log('All bundles within budget.');
}
