/**
 * The API Gateway emulator through the local stack, with fixture routes and handlers (no MongoDB):
 * HTTP payload 2.0 events and responses, the WebSocket API, and the @connections management API
 * through the real AWS SDK clients, with connection records in dynalite.
 */
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { FIXTURE_ROUTES, fixtureLoader } from './fixtures/routes.ts';
import { moduleLoads, recorded, waitForRecord } from './fixtures/recorder.ts';
import { httpRequest, openSocket, refusedStatus, type TestSocket } from './helpers.ts';

let stack: LocalStack;
let management: ApiGatewayManagementApiClient;
let documents: DynamoDBDocumentClient;

const GATEWAY_ID = /^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/;
const CLF_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

beforeAll(async () => {
  stack = await startLocalStack({ mongo: false, routes: FIXTURE_ROUTES, loadHandler: fixtureLoader(), quiet: true });
  management = new ApiGatewayManagementApiClient({
    endpoint: process.env.WS_MANAGEMENT_ENDPOINT,
    region: 'ap-south-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  documents = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'ap-south-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
});

afterAll(async () => {
  management?.destroy();
  documents?.destroy();
  await stack?.stop();
});

/** Opens a socket tagged with a unique device id and returns it with the connectionId API Gateway gave it. */
async function connect(extraQuery = ''): Promise<TestSocket & { connectionId: string }> {
  const device = `dev-${Math.random().toString(36).slice(2)}`;
  const socket = await openSocket(`${stack.wsUrl}?device=${device}${extraQuery}`);
  const connected = await waitForRecord((r) => r.handler === 'connect' && r.event.queryStringParameters?.device === device);
  return { ...socket, connectionId: connected.event.requestContext.connectionId };
}

describe('HTTP API (payload format 2.0)', () => {
  it('reaches the route handler with the event AWS builds', async () => {
    const started = Date.now();
    const res = await httpRequest(`${stack.baseUrl}/api/echo/T%2D7/sessions?b=2&a=1&a=x%20y`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Multi': ['one', 'two'],
        Cookie: 'c1=v1; c2=v2',
        'User-Agent': 'plato-test/1.0',
      },
      body: JSON.stringify({ guests: 4 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers['apigw-requestid']).toMatch(GATEWAY_ID);
    const { event, context } = JSON.parse(res.text);

    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /api/echo/{tableId}/sessions');
    expect(event.rawPath).toBe('/api/echo/T%2D7/sessions');
    expect(event.rawQueryString).toBe('b=2&a=1&a=x%20y');
    expect(event.queryStringParameters).toEqual({ b: '2', a: '1,x y' });
    expect(event.pathParameters).toEqual({ tableId: 'T-7' });
    expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['user-agent']).toBe('plato-test/1.0');
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(Object.keys(event.headers).every((name: string) => name === name.toLowerCase())).toBe(true);
    expect(event.body).toBe('{"guests":4}');
    expect(event.isBase64Encoded).toBe(false);

    const rc = event.requestContext;
    expect(rc.accountId).toMatch(/^\d{12}$/);
    expect(rc.apiId).toEqual(expect.any(String));
    expect(rc.domainName).toBe(`127.0.0.1:${stack.port}`);
    expect(rc.domainPrefix).toBe('127');
    expect(rc.http).toEqual({
      method: 'POST',
      path: '/api/echo/T%2D7/sessions',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'plato-test/1.0',
    });
    expect(rc.requestId).toMatch(GATEWAY_ID);
    expect(rc.requestId).toBe(res.headers['apigw-requestid']);
    expect(rc.routeKey).toBe('POST /api/echo/{tableId}/sessions');
    expect(rc.stage).toBe('$default');
    expect(rc.time).toMatch(CLF_TIME);
    expect(rc.timeEpoch).toBeGreaterThanOrEqual(started);
    expect(rc.timeEpoch).toBeLessThanOrEqual(Date.now());

    expect(context.functionName).toBe('plato-echo');
    expect(context.functionVersion).toBe('$LATEST');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:ap-south-1:000000000000:function:plato-echo');
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(context.logGroupName).toBe('/aws/lambda/plato-echo');
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remainingMs).toBeGreaterThan(5000);
    expect(context.remainingMs).toBeLessThanOrEqual(7000);
    expect(context.callbackWaitsForEmptyEventLoop).toBe(true);
  });

  it('leaves out what the request does not have', async () => {
    const { event } = JSON.parse((await httpRequest(`${stack.baseUrl}/api/echo`)).text);
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    for (const absent of ['body', 'cookies', 'queryStringParameters', 'pathParameters']) {
      expect(Object.keys(event)).not.toContain(absent);
    }
  });

  it('base64-encodes bodies that are not text, as AWS does', async () => {
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    const binary = JSON.parse(
      (await httpRequest(`${stack.baseUrl}/api/echo/t/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes })).text,
    ).event;
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body, 'base64')).toEqual(bytes);

    const form = JSON.parse(
      (await httpRequest(`${stack.baseUrl}/api/echo/t/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' })).text,
    ).event;
    expect(form.isBase64Encoded).toBe(true);
    expect(Buffer.from(form.body, 'base64').toString()).toBe('a=1');

    const text = JSON.parse(
      (await httpRequest(`${stack.baseUrl}/api/echo/t/sessions`, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'héllo' })).text,
    ).event;
    expect(text).toMatchObject({ isBase64Encoded: false, body: 'héllo' });
  });

  it('imports each handler module once and keeps it warm', async () => {
    const first = JSON.parse((await httpRequest(`${stack.baseUrl}/api/echo`)).text);
    const second = JSON.parse((await httpRequest(`${stack.baseUrl}/api/echo`)).text);
    expect(second.invocations).toBe(first.invocations + 1);
    expect(moduleLoads().http).toBe(1);
  });

  it('matches literal segments before parameters, and greedy parameters last', async () => {
    expect(JSON.parse((await httpRequest(`${stack.baseUrl}/api/items/special`)).text)).toEqual({ hello: 'world', n: 1 });
    const param = JSON.parse((await httpRequest(`${stack.baseUrl}/api/items/abc123`)).text).event;
    expect(param).toMatchObject({ routeKey: 'GET /api/items/{itemId}', pathParameters: { itemId: 'abc123' } });
    const greedy = JSON.parse((await httpRequest(`${stack.baseUrl}/api/files/a/b/c.txt`)).text).event;
    expect(greedy).toMatchObject({ routeKey: 'GET /api/files/{path+}', pathParameters: { path: 'a/b/c.txt' } });
  });

  it('sends unmatched paths and methods to the $default route', async () => {
    const unknown = await httpRequest(`${stack.baseUrl}/api/nowhere/1`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({ routeKey: '$default', rawPath: '/api/nowhere/1', pathParameters: null });
    const wrongMethod = await httpRequest(`${stack.baseUrl}/api/echo`, { method: 'DELETE' });
    expect(JSON.parse(wrongMethod.text)).toMatchObject({ routeKey: '$default', rawPath: '/api/echo' });
  });

  it("honours API Gateway's shorthand for results without statusCode", async () => {
    const object = await httpRequest(`${stack.baseUrl}/api/shorthand/object`);
    expect(object.status).toBe(200);
    expect(object.headers['content-type']).toBe('application/json');
    expect(JSON.parse(object.text)).toEqual({ hello: 'world', n: 1 });
    const text = await httpRequest(`${stack.baseUrl}/api/shorthand/string`);
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('application/json');
    expect(text.text).toBe('plain words');
  });

  it('maps statusCode, headers, cookies and base64 bodies onto the response', async () => {
    const res = await httpRequest(`${stack.baseUrl}/api/cookies`, { method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.headers['x-custom']).toBe('yes');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; SameSite=Strict']);
    expect(res.text).toBe('created');

    const binary = await httpRequest(`${stack.baseUrl}/api/binary`);
    expect(binary.headers['content-type']).toBe('application/octet-stream');
    expect(binary.body).toEqual(Buffer.from([0, 1, 2, 250, 251, 252]));

    const callback = await httpRequest(`${stack.baseUrl}/api/callback`);
    expect(callback.status).toBe(202);
    expect(callback.text).toBe('via callback');
  });

  it('answers 500 Internal Server Error for a failing, malformed, missing or timed-out handler', async () => {
    for (const path of ['/api/boom', '/api/malformed', '/api/missing']) {
      const res = await httpRequest(`${stack.baseUrl}${path}`);
      expect(res.status, path).toBe(500);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.text)).toEqual({ message: 'Internal Server Error' });
    }
    const started = Date.now();
    const slow = await httpRequest(`${stack.baseUrl}/api/slow`);
    expect(slow.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(2500); // the 1 s function timeout, not the 3 s handler
  });

  it('refuses bodies over 10 MB with 413', async () => {
    const res = await httpRequest(`${stack.baseUrl}/api/echo/t/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ message: 'Request Entity Too Large' });
  });
});

describe('WebSocket API', () => {
  it('builds the $connect event as AWS does', async () => {
    const socket = await connect('&table=T-3&table=T-4');
    const { event } = await waitForRecord((r) => r.handler === 'connect' && r.event.requestContext.connectionId === socket.connectionId);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers).toMatchObject({ Host: `127.0.0.1:${stack.port}`, 'User-Agent': 'plato-test/1.0', Origin: `http://127.0.0.1:${stack.port}`, 'Sec-WebSocket-Version': '13' });
    expect(event.multiValueHeaders.Origin).toEqual([`http://127.0.0.1:${stack.port}`]);
    expect(event.queryStringParameters.table).toBe('T-4');
    expect(event.multiValueQueryStringParameters.table).toEqual(['T-3', 'T-4']);
    const rc = event.requestContext;
    expect(rc).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      stage: 'ws',
      domainName: `127.0.0.1:${stack.port}`,
      identity: { sourceIp: '127.0.0.1', userAgent: 'plato-test/1.0' },
    });
    expect(rc.connectionId).toMatch(GATEWAY_ID);
    expect(rc.requestId).toMatch(GATEWAY_ID);
    expect(rc.extendedRequestId).toMatch(GATEWAY_ID);
    expect(rc.requestTime).toMatch(CLF_TIME);
    expect(rc.connectedAt).toBeLessThanOrEqual(rc.requestTimeEpoch);
    socket.ws.close();
  });

  it('refuses the handshake with the status $connect returns, and 500 when it throws', async () => {
    expect(await refusedStatus(`${stack.wsUrl}?deny=401`)).toBe(401);
    expect(await refusedStatus(`${stack.wsUrl}?deny=403`)).toBe(403);
    expect(await refusedStatus(`${stack.wsUrl}?throw=1`)).toBe(500);
  });

  it('routes {"action":"ping"} to the ping route, whose push reaches the client as a pong', async () => {
    const socket = await connect();
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    expect(JSON.parse(await socket.next())).toEqual({ type: 'pong' });
    const { event } = await waitForRecord((r) => r.handler === 'ping' && r.event.requestContext.connectionId === socket.connectionId);
    expect(event.body).toBe('{"action":"ping"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({ routeKey: 'ping', eventType: 'MESSAGE', messageDirection: 'IN', stage: 'ws' });
    expect(event.requestContext.messageId).toMatch(GATEWAY_ID);
    socket.ws.close();
  });

  it('routes unknown actions and non-JSON messages to $default', async () => {
    const socket = await connect();
    socket.ws.send(JSON.stringify({ action: 'dance' }));
    expect(JSON.parse(await socket.next())).toEqual({ type: 'unknown-action', received: '{"action":"dance"}' });
    socket.ws.send('not json');
    expect(JSON.parse(await socket.next())).toEqual({ type: 'unknown-action', received: 'not json' });
    socket.ws.send(JSON.stringify({ action: '$connect' }));
    expect(JSON.parse(await socket.next())).toMatchObject({ type: 'unknown-action' });
    socket.ws.close();
  });

  it('returns the integration body only on a route with a route response', async () => {
    const socket = await connect();
    socket.ws.send(JSON.stringify({ action: 'echo', n: 7 }));
    expect(JSON.parse(await socket.next())).toEqual({ type: 'echoed', body: { action: 'echo', n: 7 } });
    socket.ws.close();
  });

  it('accepts only the subprotocol $connect returns', async () => {
    const socket = await openSocket(`${stack.wsUrl}?device=proto`, { protocols: ['plato.v1', 'other'] });
    expect(socket.ws.protocol).toBe('plato.v1');
    socket.ws.close();
  });

  it("delivers a handler's PostToConnection (real SDK client) to the socket", async () => {
    const socket = await connect();
    const res = await httpRequest(`${stack.baseUrl}/api/push/${encodeURIComponent(socket.connectionId)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'table ready',
    });
    expect(JSON.parse(res.text)).toEqual({ found: true, outcome: { sent: 1, gone: 0, failed: 0 } });
    expect(JSON.parse(await socket.next())).toEqual({ type: 'notice', text: 'table ready' });
    socket.ws.close();
  });

  it('a push to a closed connection gets 410 and deletes that connection record', async () => {
    const socket = await connect();
    const other = await connect();
    socket.ws.close(1000, 'bye');
    const { event } = await waitForRecord((r) => r.handler === 'disconnect' && r.event.requestContext.connectionId === socket.connectionId);
    expect(event.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: 1000, disconnectReason: 'bye' });

    const key = (connectionId: string) => ({ TableName: process.env.CONNECTIONS_TABLE, Key: { connectionId } });
    expect((await documents.send(new GetCommand(key(socket.connectionId)))).Item).toBeDefined(); // the fixture leaves it
    const res = await httpRequest(`${stack.baseUrl}/api/push/${encodeURIComponent(socket.connectionId)}`, { method: 'POST' });
    expect(JSON.parse(res.text)).toEqual({ found: true, outcome: { sent: 0, gone: 1, failed: 0 } });
    expect((await documents.send(new GetCommand(key(socket.connectionId)))).Item).toBeUndefined();
    expect((await documents.send(new GetCommand(key(other.connectionId)))).Item).toBeDefined();
    other.ws.close();
  });

  it('closes a message over 128 KB with 1009 and runs $disconnect', async () => {
    const socket = await connect();
    socket.ws.send('x'.repeat(128 * 1024 + 1));
    expect((await socket.closed).code).toBe(1009);
    const { event } = await waitForRecord((r) => r.handler === 'disconnect' && r.event.requestContext.connectionId === socket.connectionId);
    expect(event.requestContext.disconnectStatusCode).toBe(1009);
  });

  it('closes on a binary frame with 1003', async () => {
    const socket = await connect();
    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await socket.closed).code).toBe(1003);
  });
});

describe('@connections management API (real SDK client)', () => {
  it('GetConnection describes a live connection', async () => {
    const before = Date.now();
    const socket = await connect();
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    await socket.next();
    const info = await management.send(new GetConnectionCommand({ ConnectionId: socket.connectionId }));
    expect(info.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'plato-test/1.0' });
    expect(info.ConnectedAt).toBeInstanceOf(Date);
    expect(info.ConnectedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(info.ConnectedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    // lastActiveAt moved on with the ping message
    expect(info.LastActiveAt!.getTime()).toBeGreaterThan(info.ConnectedAt!.getTime());
    socket.ws.close();
  });

  it('PostToConnection sends the raw data as a text frame', async () => {
    const socket = await connect();
    await management.send(new PostToConnectionCommand({ ConnectionId: socket.connectionId, Data: Buffer.from('{"type":"hello"}') }));
    expect(await socket.next()).toBe('{"type":"hello"}');
    socket.ws.close();
  });

  it('DeleteConnection closes the socket and runs $disconnect; the connection is then gone', async () => {
    const socket = await connect();
    await management.send(new DeleteConnectionCommand({ ConnectionId: socket.connectionId }));
    await socket.closed;
    await waitForRecord((r) => r.handler === 'disconnect' && r.event.requestContext.connectionId === socket.connectionId);
    const error = await management.send(new GetConnectionCommand({ ConnectionId: socket.connectionId })).catch((e) => e);
    expect(error.$metadata.httpStatusCode).toBe(410);
  });

  it('answers 410 GoneException for an unknown connection, as the SDK sees it', async () => {
    for (const command of [
      new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: Buffer.from('x') }),
      new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' }),
      new DeleteConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' }),
    ]) {
      const error = await management.send(command as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(410);
      expect((error as Error).name).toBe('GoneException');
    }
    const raw = await httpRequest(`${stack.baseUrl}/@connections/nope`, { method: 'POST', body: 'x' });
    expect(raw.status).toBe(410);
    expect(raw.headers['x-amzn-errortype']).toBe('GoneException');
    expect(JSON.parse(raw.text)).toEqual({ message: 'Gone' });
  });

  it('a refused $connect never became a connection and gets no $disconnect', async () => {
    const before = recorded().length;
    expect(await refusedStatus(`${stack.wsUrl}?deny=401&device=refused`)).toBe(401);
    const refused = recorded().slice(before).find((r) => r.handler === 'connect' && r.event.queryStringParameters?.device === 'refused');
    const id = refused!.event.requestContext.connectionId;
    const error = await management.send(new GetConnectionCommand({ ConnectionId: id })).catch((e) => e);
    expect(error.$metadata.httpStatusCode).toBe(410);
    await new Promise((r) => setTimeout(r, 100));
    expect(recorded().some((r) => r.handler === 'disconnect' && r.event.requestContext.connectionId === id)).toBe(false);
  });
});
