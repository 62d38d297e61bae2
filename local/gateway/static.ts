/**
 * Serves the built web apps the way the CloudFront distribution does: the diner app at `/`, the
 * kitchen display at `/kitchen`, the staff console at `/staff` (both falling back to their
 * index.html for client-side routes), hashed assets cached forever, HTML never cached, and
 * `/config.json`.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from '../../lib/csp.ts';
import type { PublicConfig } from '../../web/shared/public-config.ts';

export type { PublicConfig };

export interface StaticOptions {
  /** The Vite build output (web/dist). */
  root: string;
  publicConfig: () => Promise<PublicConfig>;
  log: (message: string, error?: unknown) => void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
};

export const contentTypeOf = (file: string): string =>
  CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';
/** Vite names built assets `name-<hash>.ext` under assets/. */
const isHashedAsset = (relative: string): boolean =>
  relative.startsWith('assets/') && /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/i.test(relative);

/** The apps with client-side routes under their prefix (SPA_APPS in lib/spa-routing.ts). */
const APPS = ['kitchen', 'staff'] as const;

function missingBuildPage(res: ServerResponse, head: boolean): void {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plato: web apps not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The web apps are not built yet</h1>
<p>Run <code>npm run build:web</code> (or start with <code>npm start</code>, which builds them), then reload.</p>
<p>The API is running: try <a href="/api/health">/api/health</a>.</p>
</body></html>
`;
  res.writeHead(503, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': '30',
    'content-length': String(Buffer.byteLength(page)),
  });
  res.end(head ? undefined : page);
}

async function fileAt(file: string) {
  try {
    const info = await stat(file);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

export function createStaticSite(options: StaticOptions) {
  const root = path.resolve(options.root);

  async function serveFile(req: IncomingMessage, res: ServerResponse, relative: string, status = 200): Promise<boolean> {
    const file = path.join(root, relative);
    if (file !== root && !file.startsWith(root + path.sep)) return false;
    const info = await fileAt(file);
    if (!info) return false;
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers: Record<string, string> = {
      'content-type': contentTypeOf(file),
      'cache-control': isHashedAsset(relative) ? IMMUTABLE : NO_CACHE,
      etag,
      'last-modified': info.mtime.toUTCString(),
      'x-content-type-options': 'nosniff',
    };
    // The pages get the distribution's CSP, naming this server's own (plain ws locally) socket origin.
    if (contentTypeOf(file).startsWith('text/html')) {
      headers['content-security-policy'] = contentSecurityPolicy(req.headers.host ? `ws://${req.headers.host}` : undefined);
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    headers['content-length'] = String(info.size);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await new Promise<void>((resolve) => {
      createReadStream(file)
        .on('error', (error) => {
          options.log(`static: could not read ${relative}`, error);
          res.destroy();
          resolve();
        })
        .on('end', resolve)
        .pipe(res);
    });
    return true;
  }

  async function serveConfig(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = JSON.stringify(await options.publicConfig());
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': NO_CACHE,
        'content-length': String(Buffer.byteLength(body)),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      options.log('static: /config.json unavailable', error);
      const body = JSON.stringify({ message: 'Service Unavailable' });
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5', 'content-length': String(body.length) });
      res.end(body);
    }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method Not Allowed\n');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad Request\n');
      return;
    }
    if (pathname === '/config.json') return serveConfig(req, res);
    if (!(await fileAt(path.join(root, 'index.html')))) return missingBuildPage(res, head);

    const relative = path.posix.normalize(pathname).replace(/^\/+/, '');
    if (relative.split('/').includes('..')) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Bad Request\n');
      return;
    }
    // The CloudFront Function's rewrite (lib/spa-routing.ts): `/` is the diner app; `/kitchen` and
    // `/staff` paths without a file extension are their app's client-side routes. Anything else is
    // a file of the bucket, or 404 (the distribution has no error-page fallback).
    const app = APPS.find((name) => relative === name || relative.startsWith(`${name}/`));
    const hasExtension = /\.[A-Za-z0-9]+$/.test(relative);
    const target = relative === '' ? 'index.html' : app && !hasExtension ? `${app}/index.html` : relative;
    if (!target.endsWith('/') && (await serveFile(req, res, target))) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': NO_CACHE });
    res.end(head ? undefined : 'Not Found\n');
  };
}
