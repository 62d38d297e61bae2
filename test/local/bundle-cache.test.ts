// local/bundle-cache.ts: a bundle is rebuilt when one of its inputs changes, and esbuild is not run
// again while none did (the manifest of input sizes and mtimes answers first).
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleToCache, REPO_ROOT } from '../../local/bundle-cache.ts';

const dir = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache', 'bundle-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cacheName = `bundle-cache-test-${process.pid}`;
afterAll(() => rmSync(path.join(REPO_ROOT, 'node_modules', '.cache', cacheName), { recursive: true, force: true }));

describe('bundleToCache', () => {
  it('rebuilds when an input changes, and answers from its manifest while none did', async () => {
    const entry = path.join(dir, 'entry.ts');
    const dependency = path.join(dir, 'dependency.ts');
    writeFileSync(entry, "import { word } from './dependency.ts';\nconsole.log(word);\n");
    writeFileSync(dependency, "export const word: string = 'first';\n");
    // Edited a while ago: a file changed while its bundle is being built gets no manifest (rebuilt next time).
    const earlier = (seconds: number) => new Date(Date.now() - seconds * 1000);
    for (const file of [entry, dependency]) utimesSync(file, earlier(20), earlier(20));
    const options = { entryPoints: [entry] };

    const first = await bundleToCache(cacheName, options);
    expect(await readFile(first, 'utf8')).toContain('first');
    expect(await bundleToCache(cacheName, options)).toBe(first);

    // A dependency edited: a new bundle with the new text.
    writeFileSync(dependency, "export const word: string = 'second';\n");
    utimesSync(dependency, earlier(10), earlier(10));
    const second = await bundleToCache(cacheName, options);
    expect(second).not.toBe(first);
    expect(await readFile(second, 'utf8')).toContain('second');

    // Same size and mtime as when it was built: the manifest answers without running esbuild (a
    // build would have picked up the new text).
    const { mtime } = statSync(dependency);
    writeFileSync(dependency, "export const word: string = 'thirds';\n");
    utimesSync(dependency, mtime, mtime);
    expect(await bundleToCache(cacheName, options)).toBe(second);
  });
});
