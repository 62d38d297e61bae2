/**
 * Reads the esbuild metafiles NodejsFunction writes beside each bundle in a cloud assembly and
 * reports, per function, the minified bundle size and the bytes each package contributes.
 * Used by bench/bundles.ts (the report and its budgets) and test/cdk/bundles.test.ts (the assertions).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { functionGroups, type FunctionGroup, type FunctionGroupSpec } from '../functions/routes.ts';

/** No function bundle over this many minified bytes (the JS file, not its source map). */
export const BUNDLE_BUDGET_BYTES = 900 * 1024;

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
    if (!key || !spec) continue; // CDK's own functions (BucketDeployment, Trigger provider...)
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
    reports.push({ key, spec, logicalId, assetDir, bytes: output.bytes, packages, mongodbBytes: packages.mongodb ?? 0 });
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
    if (!report.spec.needs.mongo && report.mongodbBytes > 0) {
      problems.push({ key: report.key, problem: `needs.mongo is false but the bundle holds ${kb(report.mongodbBytes)} of the mongodb driver` });
    }
  }
  return problems;
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
