/**
 * Post-deploy smoke check: proves a deployed restaurant answers as it should, through its public
 * URL, in about ten requests. One line per check; exit code 1 when any check fails.
 *
 *   npm run smoke -- --url https://d123.cloudfront.net --username owner     # STAFF_PASSWORD in the env
 *   npm run smoke -- --url https://… --stack Plato-demo                     # execute-api URLs from the stack outputs
 *
 * Flags (or environment): --url (SMOKE_URL), --username (STAFF_USERNAME), --password (STAFF_PASSWORD),
 * --http-api-url / --ws-api-url (the execute-api addresses; or --stack NAME [--region R] to read the
 * outputs HttpApiDirectUrl and WebSocketApiDirectUrl with `aws cloudformation describe-stacks`).
 * Without a login the WebSocket acceptance check fails; without execute-api URLs that check is skipped.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

export interface SmokeOptions {
  /** The distribution's origin, e.g. https://d123.cloudfront.net (or the local runtime's). */
  url: string;
  username?: string;
  password?: string;
  /** The HTTP API's own https://<id>.execute-api.<region>.amazonaws.com address. */
  httpApiUrl?: string;
  /** The WebSocket API's own wss://<id>.execute-api.<region>.amazonaws.com/ws address. */
  wsApiUrl?: string;
  timeoutMs?: number;
}

export interface CheckResult {
  name: string;
  ok: boolean;
  skipped?: boolean;
  detail: string;
}

/** The headers the distribution's response headers policy puts on every page (lib/web-distribution.ts). */
export const PAGE_SECURITY_HEADERS: Record<string, (value: string) => boolean> = {
  'content-security-policy': (v) => v.includes('default-src'),
  'strict-transport-security': (v) => /max-age=\d+/.test(v),
  'x-frame-options': (v) => v.toUpperCase() === 'DENY',
  'x-content-type-options': (v) => v.toLowerCase() === 'nosniff',
  'referrer-policy': (v) => v.length > 0,
};

class CheckFailed extends Error {}
const fail = (message: string): never => {
  throw new CheckFailed(message);
};

function wsUrlOf(base: string, pathname: string): URL {
  const url = new URL(pathname, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}

/** Opens a WebSocket: `{ status: 101 }` when accepted (then closed), else the handshake's status. */
function tryWebSocket(url: URL, origin: string | undefined, timeoutMs: number): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: origin ? { origin } : {}, handshakeTimeout: timeoutMs });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('open', () => {
      resolve({ status: 101 });
      ws.close();
    });
    ws.once('error', reject);
  });
}

export async function runSmoke(options: SmokeOptions, report: (result: CheckResult) => void = () => undefined): Promise<CheckResult[]> {
  const base = new URL(options.url).origin;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const results: CheckResult[] = [];
  const request = (url: string, init: RequestInit = {}) => fetch(url, { redirect: 'manual', ...init, signal: AbortSignal.timeout(timeoutMs) });

  const check = async (name: string, run: () => Promise<string | { skipped: string }>) => {
    let result: CheckResult;
    try {
      const outcome = await run();
      result = typeof outcome === 'string' ? { name, ok: true, detail: outcome } : { name, ok: true, skipped: true, detail: outcome.skipped };
    } catch (error) {
      result = { name, ok: false, detail: error instanceof CheckFailed ? error.message : `${(error as Error).name}: ${(error as Error).message}` };
    }
    results.push(result);
    report(result);
  };

  await check('health', async () => {
    const response = await request(`${base}/api/health`);
    const body = (await response.json().catch(() => ({}))) as { status?: string; stores?: unknown; version?: string };
    if (response.status !== 200 || body.status !== 'ok') fail(`GET /api/health: ${response.status} ${JSON.stringify(body)}`);
    return `200, stores ${JSON.stringify(body.stores)}, version ${body.version ?? '?'}`;
  });

  await check('config.json', async () => {
    const response = await request(`${base}/config.json`);
    const body = (await response.json().catch(() => ({}))) as { restaurantId?: string; apiBase?: string; wsUrl?: string };
    if (response.status !== 200 || !body.restaurantId || !body.apiBase || !body.wsUrl) fail(`GET /config.json: ${response.status} ${JSON.stringify(body)}`);
    return `restaurant ${body.restaurantId}`;
  });

  await check('menu, ETag and 304', async () => {
    const response = await request(`${base}/api/menu`);
    const body = (await response.json().catch(() => ({}))) as { categories?: { items: unknown[] }[] };
    const etag = response.headers.get('etag');
    if (response.status !== 200 || !Array.isArray(body.categories)) fail(`GET /api/menu: ${response.status}`);
    if (!etag) fail('GET /api/menu: no ETag');
    const again = await request(`${base}/api/menu`, { headers: { 'if-none-match': etag! } });
    if (again.status !== 304) fail(`GET /api/menu with If-None-Match: ${again.status}, expected 304`);
    const items = body.categories!.reduce((sum, category) => sum + category.items.length, 0);
    return `${items} dishes, ETag ${etag}, 304 on If-None-Match`;
  });

  for (const [name, pathname] of [['diner page', '/'], ['kitchen page', '/kitchen'], ['staff page', '/staff']] as const) {
    await check(`${name} and its security headers`, async () => {
      const response = await request(`${base}${pathname}`);
      const type = response.headers.get('content-type') ?? '';
      if (response.status !== 200 || !type.startsWith('text/html')) fail(`GET ${pathname}: ${response.status} ${type}`);
      const missing = Object.entries(PAGE_SECURITY_HEADERS)
        .filter(([header, valid]) => !valid(response.headers.get(header) ?? ''))
        .map(([header]) => `${header}: ${response.headers.get(header) ?? '(none)'}`);
      if (missing.length > 0) fail(`GET ${pathname}: missing or wrong ${missing.join('; ')}`);
      return `200 text/html, ${Object.keys(PAGE_SECURITY_HEADERS).length} security headers`;
    });
  }

  await check('WebSocket refused without credentials', async () => {
    const { status } = await tryWebSocket(wsUrlOf(base, '/ws'), base, timeoutMs);
    if (status !== 401 && status !== 403) fail(`/ws without credentials: ${status}, expected 401 or 403`);
    return `handshake refused (${status})`;
  });

  await check('WebSocket accepted with a staff login', async () => {
    if (!options.username || !options.password) fail('no staff login: pass --username and STAFF_PASSWORD (or --password)');
    const login = await request(`${base}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: options.username, password: options.password }),
    });
    const body = (await login.json().catch(() => ({}))) as { token?: string; role?: string };
    if (login.status !== 200 || !body.token) fail(`POST /api/staff/login: ${login.status}`);
    const url = wsUrlOf(base, '/ws');
    url.searchParams.set('token', body.token!);
    url.searchParams.set('channel', body.role === 'KITCHEN' ? 'kitchen' : 'staff');
    const { status } = await tryWebSocket(url, base, timeoutMs);
    if (status !== 101) fail(`/ws as ${options.username}: handshake ${status}`);
    return `connected as ${options.username} (${body.role})`;
  });

  await check('execute-api refuses requests without the origin header', async () => {
    if (!options.httpApiUrl && !options.wsApiUrl) return { skipped: 'no execute-api URLs (--stack, or --http-api-url and --ws-api-url)' };
    const seen: string[] = [];
    if (options.httpApiUrl) {
      const response = await request(`${options.httpApiUrl.replace(/\/$/, '')}/api/health`);
      if (response.status !== 403) fail(`HTTP API GET /api/health directly: ${response.status}, expected 403`);
      seen.push('HTTP API 403');
    }
    if (options.wsApiUrl) {
      const { status } = await tryWebSocket(new URL(options.wsApiUrl), undefined, timeoutMs);
      if (status !== 403) fail(`WebSocket API directly: ${status}, expected 403`);
      seen.push('WebSocket API 403');
    }
    return seen.join(', ');
  });

  return results;
}

/** The execute-api URLs from the stack's outputs, through the AWS CLI (its credentials and region). */
function stackOutputs(stack: string, region?: string): { httpApiUrl?: string; wsApiUrl?: string } {
  const args = ['cloudformation', 'describe-stacks', '--stack-name', stack, '--query', 'Stacks[0].Outputs', '--output', 'json'];
  if (region) args.push('--region', region);
  const outputs = JSON.parse(execFileSync('aws', args, { encoding: 'utf8' })) as { OutputKey: string; OutputValue: string }[];
  const value = (key: string) => outputs.find((output) => output.OutputKey === key)?.OutputValue;
  return { httpApiUrl: value('HttpApiDirectUrl'), wsApiUrl: value('WebSocketApiDirectUrl') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      'http-api-url': { type: 'string' },
      'ws-api-url': { type: 'string' },
      stack: { type: 'string' },
      region: { type: 'string' },
    },
  });
  const url = values.url ?? process.env.SMOKE_URL;
  if (!url) {
    console.error('Usage: npm run smoke -- --url https://<distribution> [--username U] [--stack Plato-<slug>]   (STAFF_PASSWORD in the environment)');
    process.exit(2);
  }
  const fromStack = values.stack ? stackOutputs(values.stack, values.region) : {};
  const results = await runSmoke(
    {
      url,
      username: values.username ?? process.env.STAFF_USERNAME,
      password: values.password ?? process.env.STAFF_PASSWORD,
      httpApiUrl: values['http-api-url'] ?? fromStack.httpApiUrl,
      wsApiUrl: values['ws-api-url'] ?? fromStack.wsApiUrl,
    },
    (result) => console.log(`${result.ok ? (result.skipped ? 'SKIP' : 'ok  ') : 'FAIL'}  ${result.name}: ${result.detail}`),
  );
  const failed = results.filter((result) => !result.ok).length;
  console.log(failed === 0 ? `smoke: all ${results.length} checks passed` : `smoke: ${failed} of ${results.length} checks failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
