/**
 * The diner app on a phone: its initial transfer size (web/dist/index.html + the JS and CSS it needs
 * before the first screen, gzip -9 each, as web/scripts/check-size.ts counts them, plus the HTML) and a
 * Lighthouse mobile performance score for the menu page and the cart (three dishes in it), served by the
 * local stack with a joined and identified guest (the guest cookie is sent as an extra header), driving the system Chromium headless.
 * Lighthouse's default config is the mobile one (Moto G Power emulation, simulated slow 4G), so the
 * score does not depend on this machine's loopback speed, only (a little) on its CPU.
 *
 *   npx tsx bench/web.ts [--runs=3]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { GUEST_COOKIE } from '../functions/auth/cookies.ts';
import { startTestStack } from '../test/support/stack.ts';
import { initialAssets, staticImports } from '../web/scripts/check-size.ts';
import { formatTable } from './lib/table.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(PROJECT_ROOT, 'web', 'dist');
export const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** One page's Lighthouse runs: the median score and metrics, with each run's score. */
export interface LighthousePage {
  page: 'menu' | 'cart';
  url: string;
  scores: number[];
  /** The median run's score (runs sorted by score). */
  score: number;
  /** Medians over the runs. */
  metrics: Record<string, number>;
  /** Every run saw the page's API calls answer 200: the menu and the session (the cart comes in the socket's sync). */
  apiLoaded: boolean;
}

export interface WebResult {
  transfer: { files: { file: string; raw: number; gzip: number; brotli: number }[]; raw: number; gzip: number; brotli: number };
  lighthouse: { ok: true; version: string; chromium: string; pages: LighthousePage[] } | { ok: false; reason: string };
}

export function dinerTransferSize(): WebResult['transfer'] {
  const htmlPath = path.join(DIST, 'index.html');
  const files: WebResult['transfer']['files'] = [];
  const add = (file: string, content: Buffer) =>
    files.push({ file, raw: content.length, gzip: gzipSync(content, { level: 9 }).length, brotli: brotliCompressSync(content).length });
  add('/index.html', readFileSync(htmlPath));
  const queue = initialAssets(readFileSync(htmlPath, 'utf8')).filter((url) => url.startsWith('/'));
  const seen = new Set<string>();
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const content = readFileSync(path.join(DIST, url));
    add(url, content);
    if (url.endsWith('.js')) {
      for (const spec of staticImports(content.toString('utf8'))) {
        if (spec.startsWith('.')) queue.push(path.posix.join(path.posix.dirname(url), spec));
        else if (spec.startsWith('/')) queue.push(spec);
      }
    }
  }
  const total = (key: 'raw' | 'gzip' | 'brotli') => files.reduce((n, f) => n + f[key], 0);
  return { files, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') };
}

/** Starts Chromium with a DevTools port; resolves with the port once it listens. */
function launchChromium(executable: string, userDataDir: string): Promise<{ port: number; process: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, [...CHROME_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Chromium did not open its DevTools port within 30 s: ${stderr.slice(-500)}`));
    }, 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), process: child });
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited with ${code} before opening its DevTools port: ${stderr.slice(-500)}`));
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

/**
 * Lighthouse on the menu page (`/?table=…`) and the cart (`/?table=…#cart`, three dishes in it), `runs`
 * times each, the pages alternating so that the machine's load falls on both alike.
 */
async function lighthousePages(runs: number): Promise<WebResult['lighthouse']> {
  const executable = process.env.CHROME_PATH || '/usr/bin/chromium';
  if (!existsSync(executable)) return { ok: false, reason: `no Chromium at ${executable} (set CHROME_PATH)` };
  let lighthouse: typeof import('lighthouse').default;
  try {
    lighthouse = (await import('lighthouse')).default;
  } catch (error) {
    return { ok: false, reason: `the lighthouse package cannot be loaded: ${(error as Error).message}` };
  }
  const version = spawnSync(executable, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const t = await startTestStack({ quiet: true });
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'plato-lighthouse-'));
  let chromium: ChildProcess | undefined;
  try {
    const table = await t.openTable('T-4', 'FAMILY');
    const guest = await t.joinTable(table.tableId, table.pin);
    const named = await t.api.post('/api/customers/identify', { name: 'Asha', phone: '9876543210' }, { token: guest.sessionToken });
    if (named.status !== 200) throw new Error(`identify: ${named.status} ${JSON.stringify(named.body)}`);
    await t.addToCart(guest, 'Dal Makhani', 2);
    await t.addToCart(guest, 'Gulab Jamun', 3);
    await t.addToCart(guest, 'Masala Chai', 1);
    const base = `${t.baseUrl}/?table=${table.code}`;
    const launched = await launchChromium(executable, userDataDir);
    chromium = launched.process;
    const pages = { menu: { hash: '', needs: ['/api/menu', '/api/sessions/me'] }, cart: { hash: '#cart', needs: ['/api/menu', '/api/sessions/me'] } } as const;
    let lighthouseVersion = 'unknown';
    const results = new Map<keyof typeof pages, { score: number; metrics: Record<string, number>; apiLoaded: boolean }[]>([['menu', []], ['cart', []]]);
    for (let run = 0; run < runs; run++) {
      for (const page of ['menu', 'cart'] as const) {
        const result = await lighthouse(base + pages[page].hash, {
          port: launched.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance'],
          extraHeaders: { Cookie: `${GUEST_COOKIE}=${guest.sessionToken}` },
        });
        if (!result) return { ok: false, reason: 'Lighthouse returned no result' };
        const lhr = result.lhr;
        if (lhr.runtimeError) return { ok: false, reason: `Lighthouse runtime error: ${lhr.runtimeError.code} ${lhr.runtimeError.message}` };
        lighthouseVersion = lhr.lighthouseVersion;
        const requests = (lhr.audits['network-requests']?.details as { items?: { url: string; statusCode: number }[] } | undefined)?.items ?? [];
        const metric = (id: string) => Math.round(lhr.audits[id]?.numericValue ?? Number.NaN);
        results.get(page)!.push({
          score: Math.round((lhr.categories.performance.score ?? 0) * 100),
          metrics: {
            firstContentfulPaintMs: metric('first-contentful-paint'),
            largestContentfulPaintMs: metric('largest-contentful-paint'),
            totalBlockingTimeMs: metric('total-blocking-time'),
            speedIndexMs: metric('speed-index'),
            cumulativeLayoutShiftX1000: Math.round((lhr.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN) * 1000),
          },
          apiLoaded: pages[page].needs.every((need) => requests.some((r) => new URL(r.url).pathname === need && r.statusCode === 200)),
        });
      }
    }
    return {
      ok: true,
      version: lighthouseVersion,
      chromium: version,
      pages: [...results].map(([page, list]) => ({
        page,
        url: `/?table=<table code>${pages[page].hash}`,
        scores: list.map((r) => r.score),
        score: median(list.map((r) => r.score)),
        metrics: Object.fromEntries(Object.keys(list[0]!.metrics).map((key) => [key, median(list.map((r) => r.metrics[key]!))])),
        apiLoaded: list.every((r) => r.apiLoaded),
      })),
    };
  } catch (error) {
    return { ok: false, reason: String((error as Error).message ?? error) };
  } finally {
    if (chromium && chromium.exitCode === null) {
      const exited = new Promise((resolve) => chromium!.once('exit', resolve));
      chromium.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (chromium.exitCode === null) chromium.kill('SIGKILL');
    }
    rmSync(userDataDir, { recursive: true, force: true });
    await t.stop();
  }
}

export async function runWebBench(options: { lighthouse?: boolean; runs?: number } = {}): Promise<WebResult> {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    const built = spawnSync('npm', ['run', 'build:web'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build:web failed');
  }
  const transfer = dinerTransferSize();
  return { transfer, lighthouse: options.lighthouse === false ? { ok: false, reason: 'skipped' } : await lighthousePages(options.runs ?? 3) };
}

export function printWeb(r: WebResult): string {
  const kb = (b: number) => Math.round((b / 1024) * 10) / 10;
  const lines = [
    'Diner app initial transfer (HTML + the JS and CSS needed before the first screen; KB)',
    formatTable(['file', 'raw', 'gzip -9', 'brotli'], [...r.transfer.files.map((f) => [f.file, kb(f.raw), kb(f.gzip), kb(f.brotli)]), ['total', kb(r.transfer.raw), kb(r.transfer.gzip), kb(r.transfer.brotli)]]),
  ];
  const lh = r.lighthouse;
  if (lh.ok) {
    lines.push(`Lighthouse ${lh.version} mobile performance (${lh.chromium}), median of ${lh.pages[0]?.scores.length ?? 0} runs each, the pages alternating`);
    for (const p of lh.pages) {
      const m = p.metrics;
      lines.push(
        `  ${p.page} ${p.url}: ${p.score}/100 (runs ${p.scores.join(', ')})${p.apiLoaded ? '' : ' — WARNING: not every API call of the page was seen'}`,
        `    FCP ${m.firstContentfulPaintMs} ms, LCP ${m.largestContentfulPaintMs} ms, TBT ${m.totalBlockingTimeMs} ms, Speed Index ${m.speedIndexMs} ms, CLS ${((m.cumulativeLayoutShiftX1000 ?? 0) / 1000).toFixed(3)}`,
      );
    }
  } else {
    lines.push(`Lighthouse: not run — ${lh.reason}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runsArg = process.argv.find((arg) => arg.startsWith('--runs='));
  const result = await runWebBench({ runs: runsArg ? Number(runsArg.slice('--runs='.length)) : 3 });
  console.log(printWeb(result));
  process.exit(0);
}
