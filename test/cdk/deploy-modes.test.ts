/**
 * The stack as a devops lead's `cdk deploy` synthesizes it. With AWS credentials configured the CDK
 * CLI hands the app CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION, so the stacks get an explicit
 * environment and every ARN in them is concrete: cdk-nag acknowledgements must hold for those ARNs
 * as well as for the environment-agnostic tokens. And an update must never replace stored data:
 * the logical ids of tables, secrets and buckets are pinned here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Annotations } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function synth(env: { account: string; region: string } | undefined) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'plato-cdk-env-'));
  dirs.push(outdir);
  const built = buildApp({
    outdir,
    bundle: false,
    env,
    webDistDir: path.join(outdir, 'no-web-dist'),
    context: { deployStamp: '2026-01-01T00:00:00.000Z' },
    restaurants: [{ restaurant: 'demo' }, { restaurant: 'bistro', stage: 'prod' }],
  });
  built.app.synth(); // throws on an unacknowledged cdk-nag finding
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const template = (name: string) => JSON.parse(readFileSync(path.join(outdir, `${name}.template.json`), 'utf8'));
  return { built, report, template };
}

/** Logical ids of everything that holds data: changing one makes CloudFormation replace (delete) it. */
const STATEFUL_IDS = {
  'AWS::DynamoDB::GlobalTable': ['TablesConnectionsF6D675B1', 'TablesIdempotency498FF680', 'TablesRateLimits87C09B19'],
  'AWS::SecretsManager::Secret': ['OriginSecret5DDC59F1', 'SecretA720EF05'],
  'AWS::S3::Bucket': ['WebAccessLogs024BC47D', 'WebAppsE3A8C129', 'WebMediaEC60B7F4'],
};

describe.each([
  ['environment-agnostic', undefined],
  ['ap-south-1', { account: '111111111111', region: 'ap-south-1' }],
  ['us-east-1', { account: '111111111111', region: 'us-east-1' }],
  ['eu-west-1', { account: '222222222222', region: 'eu-west-1' }],
])('synth %s', (_, env) => {
  const { built, report, template } = synth(env);

  it('has no unacknowledged cdk-nag finding and no error annotation, and every acknowledgement names its reason', () => {
    const plugin = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'AwsSolutions');
    expect(plugin.violations).toEqual([]);
    expect(plugin.conclusion).toBe('success');
    for (const acknowledged of plugin.suppressedViolations) expect(acknowledged.reason.length).toBeGreaterThan(60);
    for (const stack of [built.account, ...built.edges, ...built.stacks]) expect(Annotations.fromStack(stack).findError('*', /.*/)).toEqual([]);
  });

  it('keeps the logical ids of tables, secrets and buckets, so an update never replaces stored data', () => {
    for (const name of ['Plato-demo', 'Plato-bistro']) {
      const resources: Record<string, { Type: string }> = template(name).Resources;
      for (const [type, ids] of Object.entries(STATEFUL_IDS)) {
        const found = Object.entries(resources).filter(([, r]) => r.Type === type).map(([id]) => id).sort();
        expect(found, `${name} ${type}`).toEqual(ids);
      }
    }
  });

  it('protects prod DynamoDB tables from deletion', () => {
    for (const [, table] of Object.entries(template('Plato-bistro').Resources as Record<string, any>).filter(([, r]) => r.Type === 'AWS::DynamoDB::GlobalTable')) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    }
  });
});
