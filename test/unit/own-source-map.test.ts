/**
 * The bundle's source map cut down to our own code (lib/bundling/own-source-map.cjs, run by the stack's
 * afterBundling hook): a tiny bundle built the stack's way (ESM, minified, zod inside) has its map
 * rewritten, then runs in a child `node --enable-source-maps`. A frame in our code still maps to its .ts
 * file and line; a frame in zod stays in the minified bundle; the map names no node_modules source.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/app.ts';
import { ESM_REQUIRE_BANNER } from '../../lib/bundling/options.ts';
import { decode } from '@jridgewell/sourcemap-codec';
import { rewriteSourceMapFile, type SourceMapV3 } from '../../lib/bundling/own-source-map.cjs';

const run = promisify(execFile);

// Line numbers below are asserted: `boom` throws on line 6; zod calls it back from line 3; `check` calls zod on line 9.
const ENTRY = `import { label } from './label.ts';
import { z } from 'zod';
const Input = z.string().transform(() => boom(label));

export function boom(what = 'own code'): never {
  throw new Error(what);
}
export function check(input: unknown) {
  return Input.parse(input);
}
`;
// Imported before zod, so esbuild puts it before zod's code: without the unmapped markers, zod's frames would take its mapping.
const LABEL = `export const label = ['own', 'code'].join(' ');
`;
const RUNNER = `import { boom, check } from './index.mjs';
const stack = (f) => { try { f(); } catch (error) { return error.stack; } };
process.stdout.write(JSON.stringify({ own: stack(boom), through: stack(() => check('x')) }));
`;

let dir: string;
let entry: string;
let fullMap: SourceMapV3;
let sizes: { before: number; after: number };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'plato-own-map-'));
  entry = path.join(dir, 'src', 'entry.ts');
  mkdirSync(path.dirname(entry));
  writeFileSync(entry, ENTRY);
  writeFileSync(path.join(dir, 'src', 'label.ts'), LABEL);
  await build({
    entryPoints: [entry],
    outfile: path.join(dir, 'out', 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    nodePaths: [path.join(PROJECT_ROOT, 'node_modules')],
    logLevel: 'warning',
  });
  const mapFile = path.join(dir, 'out', 'index.mjs.map');
  fullMap = JSON.parse(readFileSync(mapFile, 'utf8'));
  sizes = rewriteSourceMapFile(mapFile);
  writeFileSync(path.join(dir, 'out', 'runner.mjs'), RUNNER);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('own-code source map', () => {
  it('keeps our sources only, and is smaller', () => {
    expect(fullMap.sources.some((s) => s.includes('node_modules/zod/'))).toBe(true);
    const own: SourceMapV3 = JSON.parse(readFileSync(path.join(dir, 'out', 'index.mjs.map'), 'utf8'));
    expect(own.sources).toEqual(['../src/label.ts', '../src/entry.ts']);
    expect(own.names.length).toBeLessThan(fullMap.names.length);
    expect(sizes.after).toBeLessThan(sizes.before / 5);
    // Every mapped segment points at a kept source and name.
    for (const segment of decode(own.mappings).flat()) {
      expect([1, 4, 5]).toContain(segment.length);
      if (segment.length >= 4) expect(own.sources[segment[1]!]).toBeDefined();
      if (segment.length === 5) expect(own.names[segment[4]!]).toBeDefined();
    }
  });

  it('maps a frame in our code to its .ts line, and leaves a frame in a dependency minified', async () => {
    const { stdout } = await run(process.execPath, ['runner.mjs'], { cwd: path.join(dir, 'out'), env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: '--enable-source-maps' } });
    const { own, through } = JSON.parse(stdout) as { own: string; through: string };
    const frames = (stack: string) => stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
    expect(frames(own)[0]).toContain(`${entry}:6:`);
    // Our code → zod → our callback: ours mapped, zod's left in the minified bundle (not in node_modules, not in ours).
    const [thrown, callback, ...rest] = frames(through);
    expect(thrown).toContain(`${entry}:6:`);
    expect(callback).toContain(`${entry}:3:`);
    const zodFrames = rest.slice(0, rest.findIndex((line) => line.includes(entry)));
    expect(zodFrames.length).toBeGreaterThan(0);
    for (const line of zodFrames) expect(line).toContain(path.join(dir, 'out', 'index.mjs'));
    expect(rest.find((line) => line.includes(entry))).toContain(`${entry}:9:`);
    expect(through).not.toContain('node_modules');
    expect(through).not.toContain('label.ts');
  });
});
