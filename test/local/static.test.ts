/** The web apps and /config.json as the local gateway serves them (CloudFront's role in AWS). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway, type PublicConfig } from '../../local/gateway/index.ts';
import { httpRequest } from './helpers.ts';

const PUBLIC_CONFIG: PublicConfig = {
  restaurantId: 'demo',
  name: 'Plato Demo Kitchen',
  currency: 'INR',
  locale: 'en-IN',
  timeZone: 'Asia/Kolkata',
  apiBase: '/api',
  wsUrl: '/ws',
};

let root: string;
let gateway: Gateway;
let base: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'plato-web-'));
  gateway = createGateway({
    httpRoutes: [],
    httpDefaultRoute: null,
    wsRoutes: [],
    web: { root: path.join(root, 'dist'), publicConfig: async () => PUBLIC_CONFIG },
  });
  const { port } = await gateway.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await gateway?.close();
  await rm(root, { recursive: true, force: true });
});

describe('before the apps are built', () => {
  it('answers 503 with a page that says how to build them, and still serves /config.json', async () => {
    const res = await httpRequest(`${base}/?table=abc`);
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('npm run build:web');
    expect((await httpRequest(`${base}/kitchen`)).status).toBe(503);
    const config = await httpRequest(`${base}/config.json`);
    expect(config.status).toBe(200);
    expect(JSON.parse(config.text)).toEqual(PUBLIC_CONFIG);
  });
});

describe('the built apps', () => {
  beforeAll(async () => {
    const dist = path.join(root, 'dist');
    await mkdir(path.join(dist, 'assets'), { recursive: true });
    await mkdir(path.join(dist, 'kitchen'), { recursive: true });
    await mkdir(path.join(dist, 'staff'), { recursive: true });
    await writeFile(path.join(dist, 'index.html'), '<html>diner</html>');
    await writeFile(path.join(dist, 'kitchen', 'index.html'), '<html>kitchen</html>');
    await writeFile(path.join(dist, 'staff', 'index.html'), '<html>staff</html>');
    await writeFile(path.join(dist, 'assets', 'diner-B2x9QkLm.js'), 'console.log(1)');
    await writeFile(path.join(dist, 'assets', 'diner-C3d4E5f6.css'), 'body{}');
    await writeFile(path.join(dist, 'favicon.svg'), '<svg/>');
  });

  it('serves each app at its path, uncached, with client-side routes falling back to its index.html', async () => {
    for (const [url, body] of [
      ['/?table=6650f0c2a1b2c3d4e5f60718', 'diner'],
      ['/kitchen', 'kitchen'],
      ['/kitchen/', 'kitchen'],
      ['/kitchen/station/GRILL', 'kitchen'],
      ['/staff', 'staff'],
      ['/staff/tables/T-4', 'staff'],
      ['/index.html', 'diner'],
    ]) {
      const res = await httpRequest(`${base}${url}`);
      expect(res.status, url).toBe(200);
      expect(res.text, url).toBe(`<html>${body}</html>`);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      // The CSP names this server's own socket origin, never a scheme wildcard.
      expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://${new URL(base).host};`);
      expect(res.headers['content-security-policy']).not.toMatch(/wss?:(\s|;)/);
    }
  });

  it('caches hashed assets forever, with the right content types', async () => {
    const js = await httpRequest(`${base}/assets/diner-B2x9QkLm.js`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.text).toBe('console.log(1)');
    const css = await httpRequest(`${base}/assets/diner-C3d4E5f6.css`);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await httpRequest(`${base}/favicon.svg`);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('answers 304 to a matching ETag, 404 for missing files, and never leaves the root', async () => {
    const first = await httpRequest(`${base}/assets/diner-B2x9QkLm.js`);
    const again = await httpRequest(`${base}/assets/diner-B2x9QkLm.js`, { headers: { 'If-None-Match': String(first.headers.etag) } });
    expect(again.status).toBe(304);
    expect((await httpRequest(`${base}/assets/missing-AAAAAAAA.js`)).status).toBe(404);
    expect((await httpRequest(`${base}/kitchen/missing.js`)).status).toBe(404);
    // Like the distribution: only / , /kitchen… and /staff… are app routes (no error-page fallback).
    expect((await httpRequest(`${base}/menu/starters`)).status).toBe(404);
    expect((await httpRequest(`${base}/assets/`)).status).toBe(404);
    await writeFile(path.join(root, 'secret.txt'), 'outside the web root');
    for (const url of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const traversal = await httpRequest(`${base}${url}`);
      expect(traversal.status, url).toBe(404);
      expect(traversal.text).not.toContain('outside the web root');
    }
  });

  it('serves /config.json uncached and refuses other methods', async () => {
    const config = await httpRequest(`${base}/config.json`);
    expect(config.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(config.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(config.text)).toEqual(PUBLIC_CONFIG);
    expect((await httpRequest(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers a plain GET /ws with 426 and /api without routes with API Gateway 404', async () => {
    expect((await httpRequest(`${base}/ws`)).status).toBe(426);
    const api = await httpRequest(`${base}/api/anything`);
    expect(api.status).toBe(404);
    expect(JSON.parse(api.text)).toEqual({ message: 'Not Found' });
  });
});
