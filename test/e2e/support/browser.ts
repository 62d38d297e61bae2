/**
 * The real browser for the end-to-end tests: the system Chromium (CHROME_PATH or /usr/bin/chromium)
 * driven by playwright-core, headless. Every phone or tablet is its own browser context, so each
 * has its own cookies and localStorage, exactly like separate devices.
 *
 *   const browser = await launchChromium();
 *   const phone = await newDevice(browser, t.baseUrl, 'phone');     // 360×640, touch
 *   await phone.page.goto(`/?table=${tableCode}`);
 *   await shot(phone.page, 'diner-menu');                           // test-artifacts/screenshots/diner-menu.png
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../../test-artifacts/screenshots');

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`No Chromium found (tried ${candidates.join(', ')}): apt-get install -y chromium, or set CHROME_PATH`);
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

export type DeviceKind = 'phone' | 'tablet' | 'desktop';

const VIEWPORTS: Record<DeviceKind, { width: number; height: number }> = {
  phone: { width: 360, height: 640 },
  tablet: { width: 1280, height: 800 },
  desktop: { width: 1280, height: 800 },
};

export interface Device {
  context: BrowserContext;
  page: Page;
  /** Every console error and uncaught exception on the page, for a test to assert there were none. */
  errors: string[];
}

/** A new device (own cookies and storage) with one page on the stack's origin, in English. */
export async function newDevice(browser: Browser, baseUrl: string, kind: DeviceKind): Promise<Device> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: VIEWPORTS[kind],
    deviceScaleFactor: 1,
    isMobile: kind === 'phone',
    hasTouch: kind !== 'desktop',
    locale: 'en-IN',
    timezoneId: 'Asia/Kolkata',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A failed request is reported below with its URL (a 401 from /api/sessions/me on a first visit is normal).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    const expected = response.status() === 401 && /\/api\/(sessions|staff)\/me$/.test(response.url());
    if (response.status() >= 400 && !expected) errors.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return { context, page, errors };
}

/**
 * The page's viewport as test-artifacts/screenshots/<name>.png (git-ignored); returns its path.
 * `hideToasts` leaves the diner's passing notices out of a picture meant for the docs.
 */
export async function shot(page: Page, name: string, options: { fullPage?: boolean; hideToasts?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // No caret blinking or running animations in the picture.
  await page.screenshot({
    path: file,
    fullPage: options.fullPage ?? false,
    animations: 'disabled',
    caret: 'hide',
    ...(options.hideToasts ? { style: '.toast-region { visibility: hidden !important; }' } : {}),
  });
  return file;
}

const WEB_DIST = path.resolve(import.meta.dirname, '../../../web/dist');
const APP_PAGES = ['index.html', 'kitchen/index.html', 'staff/index.html'];

/** The /assets/... files a built page loads. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1]);
}

function completeBuildIn(dir: string): boolean {
  return APP_PAGES.every((page) => {
    const file = path.join(dir, page);
    return existsSync(file) && assetsOf(readFileSync(file, 'utf8')).every((asset) => existsSync(path.join(dir, asset)));
  });
}

/**
 * A private copy of web/dist (built by `npm run test:e2e`) for one test file to serve: on a shared
 * machine another `npm run build:web` empties web/dist while it rebuilds, which would turn pages
 * into 404s in the middle of a test. Waits (bounded) for a complete build to copy.
 */
export async function snapshotWebDist(): Promise<{ root: string; remove: () => void }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (completeBuildIn(WEB_DIST)) {
      const root = mkdtempSync(path.join(tmpdir(), 'plato-e2e-web-'));
      cpSync(WEB_DIST, root, { recursive: true });
      if (completeBuildIn(root)) return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
      rmSync(root, { recursive: true, force: true });
    }
    if (Date.now() > deadline) throw new Error('web/dist has no complete build: run `npm run build:web` (npm run test:e2e does)');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const AXE_SOURCE = path.resolve(import.meta.dirname, '../../../node_modules/axe-core/axe.min.js');
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules, colour contrast included) on what the page shows now;
 * returns the violations, each with the selectors of the offending elements.
 */
export async function axeViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  // Evaluated, not added as a <script>: the apps' CSP (script-src 'self') refuses inline scripts, as it should.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate((axeSource ??= readFileSync(AXE_SOURCE, 'utf8')));
  return page.evaluate(async (scope) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(scope ? { include: [scope] } : document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  }, include);
}

/**
 * Whether a control can be tapped where it stands, without scrolling anything: wholly inside the
 * viewport and inside every scrolling or clipping ancestor, at least `minSize` px tall, and the
 * topmost element at its centre. Returns what is wrong ("" when nothing), for a readable failure.
 */
export async function notTappableInView(locator: Locator, minSize = 44): Promise<string> {
  return locator.evaluate((el, min) => {
    const box = el.getBoundingClientRect();
    const name = (el.textContent ?? '').trim() || el.outerHTML.slice(0, 60);
    if (box.height < min) return `${name}: ${Math.round(box.height)} px tall`;
    if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight) return `${name}: outside the ${innerWidth}×${innerHeight} viewport at ${Math.round(box.left)},${Math.round(box.top)}–${Math.round(box.right)},${Math.round(box.bottom)}`;
    for (let parent = el.parentElement; parent; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const clip = parent.getBoundingClientRect();
      if (box.left < clip.left - 0.5 || box.right > clip.right + 0.5 || box.top < clip.top - 0.5 || box.bottom > clip.bottom + 0.5) return `${name}: clipped by its scrolling container ${parent.className}`;
    }
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    if (!top || !(el === top || el.contains(top))) return `${name}: covered by ${top?.outerHTML.slice(0, 60)}`;
    return '';
  }, minSize);
}
