/**
 * Reads the esbuild metafiles NodejsFunction writes beside each bundle in a cloud assembly and
 * reports, per function, the minified bundle size and the bytes each package contributes.
 * Used by bench/bundles.ts (the report and its budgets) and test/cdk/bundles.test.ts (the assertions).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { functionGroups, type FunctionGroup, type FunctionGroupSpec } from '../functions/routes.ts';

/**
 * No function bundle over this many minified bytes (the JS file, not its source map). Ours, not AWS's
 * (Lambda takes 50 MB zipped): it guards module init, which grows with the code Node compiles. It was
 * 900 KB while the AWS SDK stayed external; bundling the SDK inside every MongoDB function (#18) adds
 * ~250 KB per bundle and still imports faster than the runtime's copy resolved file by file
 * (`npx tsx bench/init-time.ts --sdk=both`, bench/README.md "#18, stage 4"), so the largest bundle,
 * ~1,120 KB, sets it, with room for one more route's code.
 */
export const BUNDLE_BUDGET_BYTES = 1_200 * 1024;
/**
 * Native packages installed beside a bundle (node_modules/ in its asset: sharp's linux-arm64 libvips
 * for the resize function) are not JavaScript that Node parses at init, so the JS budget does not
 * count them; they have their own ceiling, far inside Lambda's 250 MB unzipped.
 */
export const NATIVE_BUDGET_BYTES = 30 * 1024 * 1024;

export interface BundleReport {
  /** `module.export` from the route table. */
  key: string;
  /** The function group: its handlers and the union of their needs. */
  spec: FunctionGroupSpec;
  logicalId: string;
  assetDir: string;
  bytes: number;
  /** Bytes in the output contributed by each package (`own` for the project's files). */
  packages: Record<string, number>;
  mongodbBytes: number;
  /** Bytes of node_modules/ beside the bundle (native packages installed for the function's platform). */
  nativeBytes: number;
}

function directoryBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(full) : entry.isFile() ? statSync(full).size : 0;
  }
  return total;
}

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

interface TemplateResource {
  Type: string;
  Properties?: { Handler?: string; Description?: string; Code?: { S3Key?: string } };
}

const packageOf = (input: string): string => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1] : 'own';
};

/** Every Plato function in `<outdir>/<stackName>.template.json`, matched to its function group by description. */
export function bundleReports(outdir: string, stackName: string): BundleReport[] {
  const template = JSON.parse(readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const groups = functionGroups();
  const reports: BundleReport[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = /^Plato [a-z0-9-]+: ([a-z-]+) \(/.exec(resource.Properties?.Description ?? '')?.[1];
    const spec = key ? groups.get(key as FunctionGroup) : undefined;
    if (!key || !spec) continue; // CDK's own functions (BucketDeployment, auto-delete objects)
    const s3Key = resource.Properties?.Code?.S3Key;
    if (typeof s3Key !== 'string') throw new Error(`${logicalId}: no asset S3Key (was bundling skipped?)`);
    const assetDir = path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
    const metafilePath = path.join(assetDir, 'index.meta.json');
    if (!existsSync(metafilePath)) throw new Error(`${logicalId}: no esbuild metafile at ${metafilePath}`);
    const metafile = JSON.parse(readFileSync(metafilePath, 'utf8')) as Metafile;
    const [, output] = Object.entries(metafile.outputs).find(([file]) => file.endsWith('.mjs')) ?? [];
    if (!output) throw new Error(`${logicalId}: the metafile lists no .mjs output`);
    const packages: Record<string, number> = {};
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) packages[packageOf(input)] = (packages[packageOf(input)] ?? 0) + bytesInOutput;
    }
    reports.push({ key, spec, logicalId, assetDir, bytes: output.bytes, packages, mongodbBytes: packages.mongodb ?? 0, nativeBytes: directoryBytes(path.join(assetDir, 'node_modules')) });
  }
  return reports.sort((a, b) => a.key.localeCompare(b.key));
}

export interface BudgetProblem {
  key: string;
  problem: string;
}

export function budgetProblems(reports: readonly BundleReport[]): BudgetProblem[] {
  const problems: BudgetProblem[] = [];
  for (const report of reports) {
    if (report.bytes > BUNDLE_BUDGET_BYTES) {
      const top = Object.entries(report.packages)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, bytes]) => `${name} ${kb(bytes)}`)
        .join(', ');
      problems.push({ key: report.key, problem: `${kb(report.bytes)} > ${kb(BUNDLE_BUDGET_BYTES)} (largest: ${top})` });
    }
    if (report.nativeBytes > NATIVE_BUDGET_BYTES) {
      problems.push({ key: report.key, problem: `native packages ${kb(report.nativeBytes)} > ${kb(NATIVE_BUDGET_BYTES)}` });
    }
    if (!report.spec.needs.mongo && report.mongodbBytes > 0) {
      problems.push({ key: report.key, problem: `needs.mongo is false but the bundle holds ${kb(report.mongodbBytes)} of the mongodb driver` });
    }
  }
  return problems;
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
