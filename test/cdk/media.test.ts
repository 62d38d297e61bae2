/**
 * Dish photos in the restaurant stack (lib/media.ts): the private media bucket, its /media/* behaviour
 * on the one distribution, the roles that may write it, and the resize function. Without bundling
 * (bundles.test.ts bundles the resize function with its linux-arm64 sharp).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_GROUPS, functionGroups, type FunctionGroup } from '../../functions/routes.ts';
import { buildApp } from '../../lib/app.ts';
import type { PlatoStack } from '../../lib/plato-stack.ts';
import { asList, references, resourcesOfType, statementsOfRole, type Template } from './template-graph.ts';

const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

let outdir: string;
let demo: PlatoStack;
let t: Template;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'plato-cdk-media-'));
  const built = buildApp({ outdir, bundle: false, webDistDir: path.join(outdir, 'no-web-dist'), context: { deployStamp: 'test' }, restaurants: [{ restaurant: 'demo' }] });
  [demo] = built.stacks;
  built.app.synth();
  t = JSON.parse(readFileSync(path.join(outdir, 'Plato-demo.template.json'), 'utf8'));
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const logicalId = (construct: { node: { defaultChild?: unknown } }) => Stack.of(demo).getLogicalId(construct.node.defaultChild as CfnElement);
const fnId = (group: FunctionGroup) => logicalId(demo.functions.fn(group));
const roleId = (group: FunctionGroup) => logicalId(demo.functions.fn(group).role as never);
const s3Statements = (group: FunctionGroup) =>
  statementsOfRole(t, roleId(group)).filter((s: { Action: string | string[] }) => asList(s.Action).some((a) => a.startsWith('s3:') || a.startsWith('lambda:')));
const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(demo.web.mediaBucket), 'Arn'] }, `/${prefix}`]] });

describe('the media bucket', () => {
  it('is private, TLS only, encrypted, logged, forgets uncommitted uploads after a day, and takes browser POSTs only', () => {
    const bucket = t.Resources[logicalId(demo.web.mediaBucket)].Properties;
    expect(bucket).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(demo.web.logsBucket) } },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    expect(bucket.LifecycleConfiguration.Rules).toEqual([expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' })]);
    expect(bucket.CorsConfiguration.CorsRules).toEqual([expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: ['*'] })]);
    const [[, policy]] = resourcesOfType(t, 'AWS::S3::BucketPolicy').filter(([, p]) => p.Properties.Bucket.Ref === logicalId(demo.web.mediaBucket));
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const cloudFront = statements.filter((s: { Principal?: unknown }) => JSON.stringify(s.Principal ?? '').includes('cloudfront.amazonaws.com'));
    expect(cloudFront).toHaveLength(1);
    expect(asList(cloudFront[0].Action)).toEqual(['s3:GetObject']);
    expect(references(cloudFront[0].Condition).has(logicalId(demo.web.distribution))).toBe(true);
  });

  it('is served at /media/* by the same distribution, through Origin Access Control, cached, GET and HEAD only', () => {
    const distribution = t.Resources[logicalId(demo.web.distribution)].Properties.DistributionConfig;
    const media = distribution.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/media/*');
    expect(media).toMatchObject({ CachePolicyId: CACHING_OPTIMIZED, ViewerProtocolPolicy: 'https-only', AllowedMethods: ['GET', 'HEAD'], Compress: false });
    const origin = distribution.Origins.find((o: { Id: string }) => o.Id === media.TargetOriginId);
    expect(references(origin.DomainName).has(logicalId(demo.web.mediaBucket))).toBe(true);
    expect(origin.OriginAccessControlId).toBeDefined();
    expect(origin.OriginPath ?? '').toBe(''); // /media/<key> is the bucket's media/<key>: uploads/ is never reachable
    expect(media.ResponseHeadersPolicyId).toEqual(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId);
  });
});

describe('the functions that use it', () => {
  it('let the staff-admin role sign uploads to uploads/* and invoke the resize function, and nothing more in S3', () => {
    const staffAdmin = s3Statements('staff-admin');
    expect(staffAdmin).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Effect: 'Allow', Resource: objects('uploads/*') }),
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [fnId('media'), 'Arn'] } }),
    ]);
    const env = t.Resources[fnId('staff-admin')].Properties.Environment.Variables;
    expect(env.MEDIA_BUCKET).toEqual({ Ref: logicalId(demo.web.mediaBucket) });
    expect(env.MEDIA_RESIZE_FUNCTION).toEqual({ Ref: fnId('media') });
    expect(references(env.MEDIA_UPLOAD_URL).has(logicalId(demo.web.mediaBucket))).toBe(true);
  });

  it('let the resize function read and delete uploads and write media/*, with no MongoDB, secret or table', () => {
    expect(s3Statements('media')).toEqual([
      expect.objectContaining({ Action: ['s3:GetObject', 's3:DeleteObject'], Resource: objects('uploads/*') }),
      expect.objectContaining({ Action: 's3:PutObject', Resource: objects('media/*') }),
    ]);
    const fn = t.Resources[fnId('media')].Properties;
    expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: FUNCTION_GROUPS.media.memoryMb, Timeout: FUNCTION_GROUPS.media.timeoutSeconds });
    expect(Object.keys(fn.Environment.Variables).filter((name) => /MONGODB|SECRET|TABLE/.test(name))).toEqual([]);
    expect(functionGroups().get('media')!.httpRoutes).toEqual([]); // invoked by staff-admin only, never by a route
  });

  it('give no other function access to the bucket', () => {
    for (const group of functionGroups().keys()) {
      if (group === 'media' || group === 'staff-admin') continue;
      expect(s3Statements(group), group).toEqual([]);
    }
  });
});
