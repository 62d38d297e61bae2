/**
 * The restaurant stack learns its web ACL's ARN from the edge stack's SSM parameter in us-east-1:
 * the setup function answers the `Custom::PlatoEdgeWebAcl` resource with it (platform/edge-web-acl.ts).
 * A real HTTP server stands in for SSM's endpoint (AWS_ENDPOINT_URL_SSM, the SDK's own setting) and
 * for CloudFormation's presigned ResponseURL.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { setup } from '../../../functions/admin/handlers/setup.ts';

const ACL = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/plato-demo/0a1b2c3d-1111-2222-3333-444455556666';
let server: Server;
let base: string;
let parameterValue: string | undefined;
const ssmCalls: { headers: IncomingHttpHeaders; body: any }[] = [];
const responses: any[] = [];

beforeAll(async () => {
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'SILENT', RESTAURANT_ID: 'demo', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (req.url?.startsWith('/response')) {
        responses.push(body);
        res.end();
        return;
      }
      ssmCalls.push({ headers: req.headers, body });
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (parameterValue === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: '' }));
        return;
      }
      res.end(JSON.stringify({ Parameter: { Name: body.Name, Type: 'String', Value: parameterValue, Version: 1 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ENDPOINT_URL_SSM = base;
});
afterAll(() => {
  delete process.env.AWS_ENDPOINT_URL_SSM;
  return new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  ssmCalls.length = 0;
  responses.length = 0;
});

const event = (RequestType: 'Create' | 'Update') => ({
  RequestType,
  ResponseURL: `${base}/response?X-Amz-Signature=x`,
  StackId: 'arn:aws:cloudformation:ap-south-1:111111111111:stack/Plato-demo/1',
  RequestId: 'r-1',
  LogicalResourceId: 'EdgeWebAclArn',
  ResourceType: 'Custom::PlatoEdgeWebAcl',
});
const context = { getRemainingTimeInMillis: () => 60_000 } as Context;

it('answers the web ACL resource with the ARN the edge stack published for this restaurant, read in us-east-1', async () => {
  parameterValue = ACL;
  await setup(event('Update'), context);
  expect(ssmCalls).toHaveLength(1);
  expect(ssmCalls[0].headers['x-amz-target']).toBe('AmazonSSM.GetParameter');
  expect(ssmCalls[0].body).toEqual({ Name: '/plato/demo/web-acl-arn' });
  expect(String(ssmCalls[0].headers.authorization)).toContain('/us-east-1/ssm/aws4_request');
  expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', Data: { WebAclArn: ACL } })]);
});

it('fails the deploy, saying what to do, when the edge stack has not published an ACL', async () => {
  parameterValue = undefined;
  await setup(event('Create'), context);
  expect(responses.at(-1)).toMatchObject({ Status: 'FAILED' });
  parameterValue = 'not-an-arn';
  await setup(event('Create'), context);
  expect(responses.at(-1)).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('deploy PlatoEdge-demo first') });
});
