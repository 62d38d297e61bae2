/**
 * The WAF is on by default: an edge stack in us-east-1 holds the web ACL (CLOUDFRONT scope) with
 * per-IP rate rules for join, staff sign-in and everything, and AWS's common and known-bad-inputs
 * rule groups, and publishes its ARN in SSM there; the restaurant stack reads it at deploy time and
 * attaches it to the distribution. Both synth modes (environment-agnostic, and with the explicit
 * environment the CDK CLI passes when credentials are configured). `-c waf=off` removes it, and
 * `-c webAclArn=<arn>` attaches an existing ACL instead of creating one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import { resourcesOfType, type Template } from './template-graph.ts';

const EXISTING_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared-acl/0a1b2c3d-1111-2222-3333-444455556666';
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function synth(restaurants: Record<string, unknown>[], env?: { account: string; region: string }) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'plato-cdk-waf-'));
  dirs.push(outdir);
  const built = buildApp({ outdir, bundle: false, env, webDistDir: path.join(outdir, 'no-web-dist'), context: { deployStamp: '2026-01-01T00:00:00.000Z' }, restaurants });
  built.app.synth(); // throws on an unacknowledged cdk-nag finding
  const template = (name: string): Template => JSON.parse(readFileSync(path.join(outdir, `${name}.template.json`), 'utf8'));
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'AwsSolutions');
  return { built, template, nag };
}

const webAclIdOf = (template: Template): unknown => {
  const [[, distribution]] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
  return distribution.Properties.DistributionConfig.WebACLId;
};

const byteMatches = (statement: any): string[] =>
  (statement?.AndStatement?.Statements ?? []).map((s: any) => `${Object.keys(s.ByteMatchStatement.FieldToMatch)[0]}=${s.ByteMatchStatement.SearchString}`);

describe.each([
  ['environment-agnostic', undefined],
  ['ap-south-1', { account: '111111111111', region: 'ap-south-1' }],
])('by default (%s synth)', (_, env) => {
  const { built, template, nag } = synth([{ restaurant: 'demo' }], env);
  const edge = built.edges[0];

  it('creates PlatoEdge-demo in us-east-1, deployed before Plato-demo, and cdk-nag stays clean with no WAF acknowledgement', () => {
    expect(built.edges.map((s) => s.stackName)).toEqual(['PlatoEdge-demo']);
    expect(edge.region).toBe('us-east-1');
    expect(built.stacks[0].dependencies.map((s) => s.stackName)).toContain('PlatoEdge-demo');
    expect(nag.violations).toEqual([]);
    expect(nag.conclusion).toBe('success');
    expect(nag.suppressedViolations.filter((v: { ruleId?: string; acknowledgedId?: string }) => JSON.stringify(v).includes('CFR2'))).toEqual([]);
  });

  it('holds a CLOUDFRONT web ACL with per-IP rate rules for join, staff sign-in and all requests, and the two managed rule groups', () => {
    const acls = resourcesOfType(template('PlatoEdge-demo'), 'AWS::WAFv2::WebACL');
    expect(acls).toHaveLength(1);
    const acl = acls[0][1].Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    const rules = new Map<string, any>(acl.Rules.map((rule: any) => [rule.Name, rule]));
    expect([...rules.keys()]).toEqual(['JoinPerIp', 'StaffLoginPerIp', 'AllPerIp', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);

    const rate = (name: string) => rules.get(name).Statement.RateBasedStatement;
    for (const name of ['JoinPerIp', 'StaffLoginPerIp', 'AllPerIp']) {
      expect(rate(name).AggregateKeyType).toBe('IP');
      expect(rules.get(name).Action.Block.CustomResponse.ResponseCode).toBe(429);
    }
    expect(byteMatches(rate('JoinPerIp').ScopeDownStatement)).toEqual(['Method=POST', 'UriPath=/api/sessions/join']);
    expect(byteMatches(rate('StaffLoginPerIp').ScopeDownStatement)).toEqual(['Method=POST', 'UriPath=/api/staff/login']);
    expect(rate('AllPerIp').ScopeDownStatement).toBeUndefined();
    // A refusal is the app's own error envelope.
    expect(JSON.parse(acl.CustomResponseBodies.RateLimited.Content).error.code).toBe('RATE_LIMITED');

    const common = rules.get('AWSManagedRulesCommonRuleSet').Statement.ManagedRuleGroupStatement;
    expect(common.VendorName).toBe('AWS');
    // Bodies over 8 KB are legitimate here (the app takes up to 64 KB): that one rule only counts.
    expect(common.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    expect(rules.get('AWSManagedRulesKnownBadInputsRuleSet').Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS' });
    expect(rules.get('AWSManagedRulesCommonRuleSet').OverrideAction).toEqual({ None: {} });
  });

  it('publishes the ACL ARN in SSM in us-east-1, and the distribution attaches what Plato-demo reads from there', () => {
    const [[aclId]] = resourcesOfType(template('PlatoEdge-demo'), 'AWS::WAFv2::WebACL');
    const [[, parameter]] = resourcesOfType(template('PlatoEdge-demo'), 'AWS::SSM::Parameter');
    expect(parameter.Properties).toMatchObject({ Name: '/plato/demo/web-acl-arn', Value: { 'Fn::GetAtt': [aclId, 'Arn'] } });

    const main = template('Plato-demo');
    const readers = resourcesOfType(main, 'Custom::PlatoEdgeWebAcl');
    expect(readers).toHaveLength(1);
    const [readerId, reader] = readers[0];
    expect(webAclIdOf(main)).toEqual({ 'Fn::GetAtt': [readerId, 'WebAclArn'] });
    // Served by the setup function (no extra Lambda function), on every deploy, so a replaced ACL is picked up.
    const [[setupId]] = resourcesOfType(main, 'AWS::Lambda::Function').filter(([, fn]) => / setup \(/.test(fn.Properties.Description ?? ''));
    expect(reader.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [setupId, 'Arn'] });
    expect(reader.Properties.DeployStamp).toBe('2026-01-01T00:00:00.000Z');

    const statements = resourcesOfType(main, 'AWS::IAM::Policy').flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
    const read = statements.filter((s: any) => s.Action === 'ssm:GetParameter');
    expect(read).toHaveLength(1);
    expect(JSON.stringify(read[0].Resource)).toContain(':ssm:us-east-1:');
    expect(JSON.stringify(read[0].Resource)).toContain(':parameter/plato/demo/web-acl-arn');
  });
});

describe('-c waf=off', () => {
  const { built, template, nag } = synth([{ restaurant: 'demo', waf: 'off' }]);

  it('creates no edge stack and attaches no web ACL; cdk-nag’s CFR2 is acknowledged with the reason', () => {
    expect(built.edges).toEqual([]);
    expect(built.stacks[0].dependencies.map((s) => s.stackName)).toEqual(['PlatoAccount']);
    expect(webAclIdOf(template('Plato-demo'))).toBeUndefined();
    expect(resourcesOfType(template('Plato-demo'), 'Custom::PlatoEdgeWebAcl')).toEqual([]);
    expect(nag.violations).toEqual([]);
    expect(JSON.stringify(nag.suppressedViolations)).toContain('AwsSolutions-CFR2');
  });

  it('contradicts webAclArn', () => {
    expect(() => synth([{ restaurant: 'demo', waf: 'off', webAclArn: EXISTING_ACL }])).toThrowError(/"waf"/);
  });
});

describe('-c webAclArn=<arn>', () => {
  it('attaches that existing ACL and creates none', () => {
    const { built, template, nag } = synth([{ restaurant: 'demo', webAclArn: EXISTING_ACL }], { account: '111111111111', region: 'ap-south-1' });
    expect(built.edges).toEqual([]);
    expect(webAclIdOf(template('Plato-demo'))).toBe(EXISTING_ACL);
    expect(resourcesOfType(template('Plato-demo'), 'Custom::PlatoEdgeWebAcl')).toEqual([]);
    expect(nag.violations).toEqual([]);
    expect(JSON.stringify(nag.suppressedViolations)).not.toContain('AwsSolutions-CFR2');
  });
});
