/**
 * The lean @connections client (functions/realtime/management-api.ts) against the SDK client it
 * replaced, both captured on the wire by a local server: the same method, path (a stage prefix and a
 * connection id that needs escaping), body and content type; and a signature equal to what AWS's own
 * signer (@smithy/signature-v4, the SDK's) computes for the request it sent, with and without a
 * session token. Errors keep the shape push.ts reads (410 → gone).
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { managementApi } from '../../functions/realtime/management-api.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let seen: Seen[] = [];
let status = 200;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      if (status === 410) res.writeHead(410, { 'x-amzn-ErrorType': 'GoneException', 'content-type': 'application/json' });
      else res.writeHead(status);
      res.end(status === 410 ? '{"message":"Gone"}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(() => {
  seen = [];
  status = 200;
  delete process.env.AWS_SESSION_TOKEN;
});

class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === 'string' ? secret : Buffer.from(secret instanceof ArrayBuffer ? new Uint8Array(secret) : new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength));
    this.hash = key ? createHmac('sha256', key) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

/** What AWS's signer says the Authorization header of this captured request must be. */
async function expectedAuthorization(request: Seen, region: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (name !== 'authorization' && name !== 'connection' && typeof value === 'string') headers[name] = value;
  const [path, query] = request.url.split('?');
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: NodeSha256 });
  const amzDate = headers['x-amz-date'];
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: '127.0.0.1', path, query: query ? Object.fromEntries(new URLSearchParams(query)) : {}, headers, body: request.body.length ? request.body : undefined } as never,
    { signingDate },
  );
  return (signed as unknown as { headers: Record<string, string> }).headers.authorization;
}

const CONNECTION_ID = 'Xy/z+Ab=';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('the lean @connections client', () => {
  for (const sessionToken of [undefined, 'FwoGZXIvYXdzEXAMPLETOKEN']) {
    it(`sends what the SDK sends, signed as AWS's signer signs it${sessionToken ? ' (with a session token)' : ''}`, async () => {
      process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
      if (sessionToken) process.env.AWS_SESSION_TOKEN = sessionToken;
      const credentials = { ...CREDENTIALS, sessionToken };
      const data = Buffer.from(JSON.stringify({ type: 'order.updated', note: 'ünïcode ✓' }));

      const sdk = new ApiGatewayManagementApiClient({ endpoint: `${base}/prod`, region: 'ap-south-1', credentials });
      await sdk.send(new PostToConnectionCommand({ ConnectionId: CONNECTION_ID, Data: data }));
      await sdk.send(new DeleteConnectionCommand({ ConnectionId: CONNECTION_ID }));
      const lean = managementApi(`${base}/prod`, 'ap-south-1');
      await lean.post(CONNECTION_ID, data);
      await lean.delete(CONNECTION_ID);

      const [sdkPost, sdkDelete, leanPost, leanDelete] = seen;
      for (const [ours, theirs] of [
        [leanPost, sdkPost],
        [leanDelete, sdkDelete],
      ]) {
        expect(ours.method).toBe(theirs.method);
        expect(ours.url).toBe(theirs.url);
        expect(ours.body.equals(theirs.body)).toBe(true);
        expect(ours.headers['content-type']).toBe(theirs.headers['content-type']);
        expect(ours.headers['x-amz-security-token']).toBe(theirs.headers['x-amz-security-token']);
        expect(ours.headers.authorization).toBe(await expectedAuthorization(ours, 'ap-south-1', credentials));
        // The SDK's own request checks out with the same verifier: the verifier is not lenient.
        expect(theirs.headers.authorization).toBe(await expectedAuthorization(theirs, 'ap-south-1', credentials));
      }
      expect(leanPost.url).toBe('/prod/@connections/Xy%2Fz%2BAb%3D');
    });
  }

  it('a signature made with another secret does not verify', async () => {
    process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = 'another-secret';
    await managementApi(base, 'ap-south-1').post(CONNECTION_ID, Buffer.from('{}'));
    expect(seen[0].headers.authorization).not.toBe(await expectedAuthorization(seen[0], 'ap-south-1', CREDENTIALS));
  });

  it('reports a gone connection as the SDK does (410, GoneException)', async () => {
    process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
    status = 410;
    const error = await managementApi(base, 'ap-south-1')
      .post(CONNECTION_ID, Buffer.from('{}'))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'GoneException', $metadata: { httpStatusCode: 410 } });
  });

  it('keeps one socket alive across calls', async () => {
    process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
    const ports = new Set<number>();
    server.on('connection', (socket) => ports.add(socket.remotePort!));
    const lean = managementApi(base, 'ap-south-1');
    for (let i = 0; i < 5; i++) await lean.post(CONNECTION_ID, Buffer.from('{}'));
    expect(seen).toHaveLength(5);
    expect(ports.size).toBe(1);
  });
});
