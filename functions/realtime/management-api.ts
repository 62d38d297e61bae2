/**
 * The two calls of the API Gateway Management API that pushes need (PostToConnection and
 * DeleteConnection), as SigV4-signed HTTP requests on one keep-alive agent per container.
 *
 * Why not the SDK client: every push paid for its whole middleware stack (endpoint resolution,
 * serialisation, user agent, retries, signing through layers of providers, deserialisation), and a
 * kitchen change fans out to dozens of sockets. bench/push.ts measures the CPU per push of both side
 * by side. The method, path, body and content type are the SDK's, and the signature is the one
 * AWS's own signer computes for the request (test/unit/management-api.test.ts checks both on the wire).
 *
 * Credentials come from the environment, where Lambda puts the function role's (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), read on every call (cheap, and never stale).
 */
import { createHash, createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A failed call, shaped like the SDK's errors where push.ts reads them (`$metadata.httpStatusCode`, `name`). */
export class ManagementApiError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(status: number, name: string, message: string) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

export interface SignedRequest {
  method: 'POST' | 'DELETE';
  protocol: string;
  hostname: string;
  port: string;
  path: string;
  headers: Record<string, string>;
}

const SERVICE = 'execute-api';
const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 escaping as the SDK does it for URI labels and SigV4 path segments. */
const escapeUri = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** One derived signing key per day, region and secret (the derivation is 4 HMACs). */
let cachedKey: { scope: string; secret: string; key: Buffer } | undefined;
function signingKey(secret: string, day: string, region: string): Buffer {
  const scope = `${day}/${region}`;
  if (cachedKey?.scope === scope && cachedKey.secret === secret) return cachedKey.key;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), SERVICE), 'aws4_request');
  cachedKey = { scope, secret, key };
  return key;
}

/**
 * The signed request for `method` on `/@connections/<connectionId>` under `endpoint` (the stage's
 * callback URL, its path kept as a prefix), at `now`.
 */
export function signedRequest(
  method: 'POST' | 'DELETE',
  endpoint: URL,
  connectionId: string,
  body: Buffer | undefined,
  region: string,
  credentials: Credentials,
  now = new Date(),
): SignedRequest {
  const prefix = endpoint.pathname.replace(/\/+$/, '');
  const path = `${prefix}/@connections/${escapeUri(connectionId)}`;
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(body ?? '');
  const headers: Record<string, string> = { host: endpoint.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  if (body) {
    headers['content-type'] = 'application/octet-stream';
    headers['content-length'] = String(body.length);
  }
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonical = [
    method,
    path.split('/').map(escapeUri).join('/'),
    '',
    ...names.map((name) => `${name}:${headers[name]}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${SERVICE}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
  const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day, region)).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { method, protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port, path, headers };
}

export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw new Error('No AWS credentials in the environment for the @connections API');
  return { accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined };
}

export interface ManagementApi {
  post(connectionId: string, data: Buffer, signal?: AbortSignal): Promise<void>;
  delete(connectionId: string, signal?: AbortSignal): Promise<void>;
}

/**
 * How long a kept-alive socket may sit idle in the pool before the client closes it. It must stay
 * below the server's own idle limit (Node's default server keepAliveTimeout, which the local gateway
 * keeps, is 5 s; API Gateway's is longer): otherwise the server closes a pooled socket just as a push
 * is written to it and that push fails with "socket hang up". Node only applies a server's
 * `Keep-Alive: timeout=` hint when the agent has a timeout of its own, so this one is always set.
 */
export const IDLE_SOCKET_MS = 4_000;

/** The server closed a reused keep-alive socket before answering: the request never reached it. */
const isStaleSocket = (error: NodeJS.ErrnoException, reusedSocket: boolean, answered: boolean): boolean =>
  reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');

/** A client for one endpoint: sockets kept alive between calls and between invocations of a warm container. */
export function managementApi(endpointUrl: string, region: string, maxSockets = 64, idleSocketMs = IDLE_SOCKET_MS): ManagementApi {
  const endpoint = new URL(endpointUrl);
  const secure = endpoint.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets, timeout: idleSocketMs };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);

  /**
   * One attempt. A stale pooled socket (closed by the server as the request went out, before any
   * response) is the one failure known to be safe to repeat: it is sent once more on a fresh
   * connection (`agent: false`). Anything else (a status, a timeout, a reset after the request was
   * answered or on a new socket) is reported to the caller as it is.
   */
  const attempt = (signed: SignedRequest, body: Buffer | undefined, fresh: boolean, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const options = { method: signed.method, hostname: signed.hostname, port: signed.port || undefined, path: signed.path, headers: signed.headers, agent: fresh ? false : agent, signal };
      let answered = false;
      const onResponse = (res: IncomingMessage) => {
        answered = true;
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          res.resume();
          res.once('end', resolve);
          res.once('error', reject);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => {
          const type = String(res.headers['x-amzn-errortype'] ?? '').split(':')[0] || (status === 410 ? 'GoneException' : `Http${status}`);
          reject(new ManagementApiError(status, type, Buffer.concat(chunks).toString('utf8').slice(0, 200) || type));
        });
      };
      const req = secure ? httpsRequest(options, onResponse) : httpRequest(options, onResponse);
      req.once('error', (error: NodeJS.ErrnoException) => {
        if (!fresh && isStaleSocket(error, req.reusedSocket, answered)) attempt(signed, body, true, signal).then(resolve, reject);
        else reject(error);
      });
      req.end(body);
    });

  const send = (method: 'POST' | 'DELETE', connectionId: string, body: Buffer | undefined, signal?: AbortSignal) =>
    attempt(signedRequest(method, endpoint, connectionId, body, region, credentialsFromEnv()), body, false, signal);
  return {
    post: (connectionId, data, signal) => send('POST', connectionId, data, signal),
    delete: (connectionId, signal) => send('DELETE', connectionId, undefined, signal),
  };
}
