/**
 * The local runtime's stand-ins for the media bucket and for invoking the resize function, as
 * local/sms-outbox.ts stands in for SNS. The functions reach them over the wire like AWS
 * (functions/platform/media.ts): MEDIA_UPLOAD_URL → `POST /__local/s3/<bucket>` (a browser's presigned
 * POST upload, whose policy and signature are checked as S3 does), S3_ENDPOINT → path-style
 * GetObject/PutObject/DeleteObject under `/__local/s3/<bucket>/<key>`, and LAMBDA_ENDPOINT → the
 * Lambda Invoke API under `/__local/lambda`, which runs the named function's task in its container.
 * Objects are files in the data directory; `GET /media/*` serves media/* from it as CloudFront does
 * in AWS. None of it is in the route table or deployed.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { PHOTO_MAX_BYTES } from '../functions/core/photos.ts';
import { signPolicy } from '../functions/platform/media.ts';
import { TASK_HANDLERS, type HandlerRef } from '../functions/routes.ts';

export const LOCAL_S3_PREFIX = '/__local/s3';
export const LOCAL_LAMBDA_PREFIX = '/__local/lambda';
export const MEDIA_PREFIX = '/media';
export const LOCAL_MEDIA_BUCKET = 'plato-media';

type Handle = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
type Invoke = (ref: HandlerRef, event: unknown) => Promise<unknown>;

/** Form fields and the file of a POST upload: the policy may allow PHOTO_MAX_BYTES, plus room for the fields. */
const MAX_POST_BYTES = PHOTO_MAX_BYTES + 64 * 1024;
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;
const KEY = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_.-]+)*$/;

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const s3Error = (res: ServerResponse, status: number, code: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`);
};

const CONTENT_TYPES: Record<string, string> = { '.webp': 'image/webp', '.jpg': 'image/jpeg', '.png': 'image/png' };

export interface MediaStore {
  /** Where the objects are: <dir>/<bucket>/<key>. */
  dir: string;
  bucket: string;
  mounts: { prefix: string; handle: Handle }[];
  /** Writes an object directly (the demo seed's photos). */
  put(key: string, body: Buffer, contentType: string): void;
  /** True when the object is stored whole: `size` bytes, with its content type (a put cut short by a crash is not). */
  holds(key: string, size: number): boolean;
}

export function createMediaStore(options: { dir: string; credentials: () => { secret: string; region: string }; invoke: Invoke }): MediaStore {
  const bucket = LOCAL_MEDIA_BUCKET;
  const root = path.join(options.dir, bucket);
  const fileOf = (key: string) => path.join(root, key);
  const metaOf = (key: string) => `${fileOf(key)}.__type`;

  const put = (key: string, body: Buffer, contentType: string) => {
    mkdirSync(path.dirname(fileOf(key)), { recursive: true });
    writeFileSync(fileOf(key), body);
    writeFileSync(metaOf(key), contentType);
  };
  const holds = (key: string, size: number) => {
    try {
      return statSync(fileOf(key)).size === size && existsSync(metaOf(key));
    } catch {
      return false;
    }
  };
  const typeOf = (key: string) => {
    try {
      return readFileSync(metaOf(key), 'utf8');
    } catch {
      return CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream';
    }
  };
  const sizeOf = (key: string): number | undefined => {
    try {
      const stat = statSync(fileOf(key));
      return stat.isFile() ? stat.size : undefined;
    } catch {
      return undefined;
    }
  };

  /** A browser's presigned POST upload, checked against its policy as S3 does. */
  async function postUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let form: FormData;
    try {
      const body = await readBody(req, MAX_POST_BYTES);
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    } catch (error) {
      if (error instanceof TooLarge) return s3Error(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
      return s3Error(res, 400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    }
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const file = form.get('file');
    const policy = field('Policy');
    const signature = field('X-Amz-Signature');
    const credential = field('X-Amz-Credential');
    if (!(file instanceof Blob) || !policy || !signature || !credential) return s3Error(res, 400, 'InvalidArgument', 'file, Policy, X-Amz-Credential and X-Amz-Signature are required');
    const { secret, region } = options.credentials();
    const [, day, credRegion] = credential.split('/');
    const expected = Buffer.from(signPolicy(policy, secret, day ?? '', credRegion ?? region));
    const given = Buffer.from(signature);
    if (credRegion !== region || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return s3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    let parsed: { expiration: string; conditions: unknown[] };
    try {
      parsed = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
    } catch {
      return s3Error(res, 400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
    }
    if (!(Date.parse(parsed.expiration) > Date.now())) return s3Error(res, 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    const values: Record<string, string | undefined> = { bucket };
    for (const [name, value] of form.entries()) if (typeof value === 'string') values[name] = value;
    for (const condition of parsed.conditions) {
      if (Array.isArray(condition) && condition[0] === 'content-length-range') {
        if (file.size < Number(condition[1]) || file.size > Number(condition[2])) {
          return s3Error(res, 400, file.size > Number(condition[2]) ? 'EntityTooLarge' : 'EntityTooSmall', 'Your proposed upload is outside the allowed size range');
        }
      } else if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
        for (const [name, value] of Object.entries(condition)) {
          if (values[name] !== value) return s3Error(res, 403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${value}"]`);
        }
      } else {
        return s3Error(res, 400, 'InvalidPolicyDocument', 'Only eq and content-length-range conditions are served locally');
      }
    }
    const key = values.key ?? '';
    if (!KEY.test(key)) return s3Error(res, 400, 'InvalidArgument', 'Invalid key');
    put(key, Buffer.from(await file.arrayBuffer()), values['Content-Type'] ?? 'application/octet-stream');
    res.writeHead(204, { etag: `"${randomUUID()}"`, location: `/${bucket}/${key}` });
    res.end();
  }

  const s3: Handle = async (req, res) => {
    const pathname = decodeURIComponent((req.url ?? '/').split('?')[0]).slice(LOCAL_S3_PREFIX.length + 1);
    const [name, ...rest] = pathname.split('/');
    const key = rest.join('/');
    if (name !== bucket) return s3Error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (req.method === 'POST' && key === '') return postUpload(req, res);
    if (!KEY.test(key) || key.split('/').includes('..')) return s3Error(res, 400, 'InvalidArgument', 'Invalid key');
    if (req.method === 'PUT') {
      let body: Buffer;
      try {
        body = await readBody(req, MAX_OBJECT_BYTES);
      } catch {
        return s3Error(res, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
      }
      put(key, body, String(req.headers['content-type'] ?? 'application/octet-stream'));
      res.writeHead(200, { etag: `"${randomUUID()}"` });
      res.end();
      return;
    }
    if (req.method === 'DELETE') {
      rmSync(fileOf(key), { force: true });
      rmSync(metaOf(key), { force: true });
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const size = sizeOf(key);
      if (size === undefined) return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, { 'content-type': typeOf(key), 'content-length': size });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(fileOf(key)).pipe(res);
      return;
    }
    s3Error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  };

  /** GET /media/<path>: media/<path> of the bucket, as CloudFront's /media/* behaviour serves it. */
  const media: Handle = async (req, res) => {
    const key = decodeURIComponent((req.url ?? '/').split('?')[0]).slice(1);
    const size = KEY.test(key) && !key.split('/').includes('..') ? sizeOf(key) : undefined;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || size === undefined || key.endsWith('.__type')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not Found\n');
      return;
    }
    res.writeHead(200, { 'content-type': typeOf(key), 'content-length': size, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(fileOf(key)).pipe(res);
  };

  /** The Lambda Invoke API (RequestResponse) for functions that have an on-demand task. */
  const lambda: Handle = async (req, res) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec((req.url ?? '/').split('?')[0].slice(LOCAL_LAMBDA_PREFIX.length));
    const task = match && TASK_HANDLERS.find((candidate) => candidate.onDemand && `plato-${candidate.group}` === decodeURIComponent(match[1]));
    if (req.method !== 'POST' || !task) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
      res.end(JSON.stringify({ Type: 'User', message: 'Function not found' }));
      return;
    }
    const payload = JSON.parse((await readBody(req, 256 * 1024)).toString('utf8') || 'null');
    try {
      const result = await options.invoke(task, payload);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result ?? null));
    } catch (error) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
      res.end(JSON.stringify({ errorType: (error as Error).name, errorMessage: (error as Error).message }));
    }
  };

  return {
    dir: options.dir,
    bucket,
    put,
    holds,
    mounts: [
      { prefix: LOCAL_S3_PREFIX, handle: s3 },
      { prefix: LOCAL_LAMBDA_PREFIX, handle: lambda },
      { prefix: MEDIA_PREFIX, handle: media },
    ],
  };
}
