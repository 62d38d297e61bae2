/**
 * Size budget for the diner app: the JS and CSS a phone must download before the first screen
 * (the entry script, its static imports and modulepreloads, and the stylesheets linked by
 * web/dist/index.html), gzip-compressed, must stay ≤ 60 KB. Lazy chunks (dynamic import()) and
 * images are not initial and are not counted. Exits 1 over budget, so `npm run build:web` fails.
 */
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 60 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** URL paths (`/assets/x.js`) of the initial JS and CSS referenced by an HTML page. */
export function initialAssets(html: string): string[] {
  const found: string[] = [];
  const scripts = /<script\b[^>]*\bsrc="([^"]+)"/g;
  const links = /<link\b[^>]*>/g;
  for (const match of html.matchAll(scripts)) found.push(match[1]);
  for (const match of html.matchAll(links)) {
    const tag = match[0];
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href && /\brel="(stylesheet|modulepreload)"/.test(tag)) found.push(href);
  }
  return found;
}

/** Static imports of a built ES module (`import{a}from"./x.js"`, `import"./y.js"`), not import(). */
export function staticImports(code: string): string[] {
  const out: string[] = [];
  for (const match of code.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+\.(?:js|css))["']/g)) {
    out.push(match[1]);
  }
  return out;
}

function main(): void {
  const htmlPath = join(dist, 'index.html');
  if (!existsSync(htmlPath)) {
    console.error(`check-size: ${htmlPath} not found; run vite build first`);
    process.exit(1);
  }
  const queue = initialAssets(readFileSync(htmlPath, 'utf8')).filter((url) => url.startsWith('/'));
  const seen = new Set<string>();
  const rows: { file: string; raw: number; gzip: number }[] = [];
  while (queue.length) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const file = join(dist, url);
    if (!existsSync(file)) {
      console.error(`check-size: ${url} is referenced by index.html but missing from web/dist`);
      process.exit(1);
    }
    const content = readFileSync(file);
    rows.push({ file: url, raw: content.length, gzip: gzipSync(content, { level: 9 }).length });
    if (url.endsWith('.js')) {
      for (const spec of staticImports(content.toString('utf8'))) {
        if (spec.startsWith('.')) queue.push(posix.join(posix.dirname(url), spec));
        else if (spec.startsWith('/')) queue.push(spec);
      }
    }
  }
  const total = rows.reduce((sum, row) => sum + row.gzip, 0);
  for (const row of rows) console.log(`  ${row.file.padEnd(48)} ${(row.raw / 1024).toFixed(1).padStart(7)} KB raw ${(row.gzip / 1024).toFixed(1).padStart(6)} KB gzip`);
  const verdict = total <= BUDGET_BYTES ? 'OK' : 'OVER BUDGET';
  console.log(`diner initial JS + CSS: ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_BYTES / 1024} KB) — ${verdict}`);
  if (total > BUDGET_BYTES) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
