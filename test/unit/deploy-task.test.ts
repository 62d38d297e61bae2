/**
 * The setup task answers CloudFormation itself (functions/platform/deploy-task.ts): a real HTTP server
 * stands in for the presigned ResponseURL and records what the task PUTs there.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployTask } from '../../functions/platform/deploy-task.ts';

let server: Server;
let url: string;
const received: { method?: string; contentType?: string; body: any }[] = [];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/response?X-Amz-Signature=x`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const event = (RequestType: 'Create' | 'Update' | 'Delete') => ({
  RequestType,
  ResponseURL: url,
  StackId: 'arn:aws:cloudformation:ap-south-1:111111111111:stack/Plato-demo/1',
  RequestId: `r-${received.length}`,
  LogicalResourceId: 'RunSetup',
  ResourceType: 'Custom::PlatoSetup',
});
const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as Context;

describe('a deploy task run by CloudFormation', () => {
  it('runs on Create and Update and PUTs SUCCESS with its result to the ResponseURL', async () => {
    const task = deployTask(async () => ({ ok: true }));
    await task(event('Update'), context(60_000));
    expect(received.at(-1)).toMatchObject({ method: 'PUT', contentType: '', body: { Status: 'SUCCESS', RequestId: 'r-0', LogicalResourceId: 'RunSetup', PhysicalResourceId: 'RunSetup', Data: { ok: 'true' } } });
  });

  it('PUTs FAILED with the reason when the task throws, and when it would outlive the function', async () => {
    await deployTask(async () => {
      throw new Error('indexes could not be built');
    })(event('Create'), context(60_000));
    expect(received.at(-1)!.body).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('indexes could not be built') });
    await deployTask(() => new Promise<Record<string, unknown>>(() => undefined))(event('Create'), context(5_100));
    expect(received.at(-1)!.body).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('did not finish in time') });
  });

  it('does nothing on Delete but answer SUCCESS, and runs plainly when not invoked by CloudFormation', async () => {
    let runs = 0;
    const task = deployTask(async () => ({ runs: ++runs }));
    await task(event('Delete'), context(60_000));
    expect(received.at(-1)!.body.Status).toBe('SUCCESS');
    expect(runs).toBe(0);
    expect(await task({})).toEqual({ runs: 1 });
  });
});
