/**
 * Logged errors name our .ts lines without `--enable-source-maps` (functions/platform/source-lines.ts):
 * a tiny bundle built the stack's way (ESM, minified, the stack's aliases, the logger and zod inside, the
 * map cut down to our own code) runs in a child with the deployed NODE_OPTIONS, throws from our code through
 * zod, and logs the error wrapped in another. In the logged JSON, frames in our code name the entry's .ts
 * lines, zod's stay in the minified bundle, the cause is mapped too, and `location` is the .ts line.
 * (Powertools logs to stderr.)
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/app.ts';
import { BUNDLE_ALIASES, ESM_REQUIRE_BANNER, FUNCTION_NODE_OPTIONS } from '../../lib/bundling/options.ts';
import { rewriteSourceMapFile } from '../../lib/bundling/own-source-map.cjs';
import { mapStack } from '../../functions/platform/source-lines.ts';

const run = promisify(execFile);
const LOGGER = path.join(PROJECT_ROOT, 'functions', 'platform', 'logger.ts');

// Line numbers below are asserted: `boom` throws on line 6; zod calls it back from line 3; `check` calls zod on line 9; the wrapper is made on line 13.
const ENTRY = `import { logger } from ${JSON.stringify(LOGGER)};
import { z } from 'zod';
const Input = z.string().transform(() => boom());

export function boom(): never {
  throw new Error('own code');
}
export function check(input: unknown) {
  return Input.parse(input);
}
try {
  check('x');
} catch (cause) { const error = new Error('wrapped', { cause });
  logger.error('Unhandled error', { error });
  process.stdout.write(JSON.stringify({ unchanged: (error.cause as Error).stack }));
}
`;

let dir: string;
let entry: string;
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'plato-source-lines-'));
  entry = path.join(dir, 'src', 'entry.ts');
  mkdirSync(path.dirname(entry));
  writeFileSync(entry, ENTRY);
  bundle = path.join(dir, 'out', 'index.mjs');
  await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entry],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: ESM_REQUIRE_BANNER },
    alias: BUNDLE_ALIASES,
    nodePaths: [path.join(PROJECT_ROOT, 'node_modules')],
    logLevel: 'warning',
  });
  rewriteSourceMapFile(`${bundle}.map`);
}, 60_000);

afterAll(() => (process.env.KEEP ? console.log(dir) : rmSync(dir, { recursive: true, force: true })));

const frames = (stack: string) => stack.split('\n').filter((line) => line.trimStart().startsWith('at '));

describe('logged errors name our .ts lines, without --enable-source-maps', () => {
  it('is how functions run', () => {
    expect(FUNCTION_NODE_OPTIONS).not.toContain('--enable-source-maps');
  });

  it('maps our frames in a logged error and its cause, and leaves a dependency frame minified', async () => {
    const { stdout, stderr } = await run(process.execPath, [bundle], { cwd: path.dirname(bundle), env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: FUNCTION_NODE_OPTIONS, POWERTOOLS_LOG_LEVEL: 'INFO' } });
    const logged = JSON.parse(stderr.trim().split('\n').at(-1)!) as { message: string; error: { location: string; stack: string; cause: { message: string; location: string; stack: string } } };
    expect(logged.message).toBe('Unhandled error');
    expect(frames(logged.error.stack)[0]).toContain(`${entry}:13:`);
    // Our code → zod → our callback: ours mapped, zod's left in the minified bundle (not in node_modules, not in ours).
    const { cause } = logged.error;
    expect(cause.message).toBe('own code');
    expect(cause.location).toBe(`${entry}:6`);
    const [thrown, callback, ...rest] = frames(cause.stack);
    expect(thrown).toContain(`${entry}:6:`);
    expect(thrown).toContain('boom');
    expect(callback).toContain(`${entry}:3:`);
    const zodFrames = rest.slice(0, rest.findIndex((line) => line.includes(entry)));
    expect(zodFrames.length).toBeGreaterThan(0);
    for (const line of zodFrames) expect(line).toContain(path.join(dir, 'out', 'index.mjs'));
    expect(rest.find((line) => line.includes(entry))).toContain(`${entry}:9:`);
    expect(cause.stack).not.toContain('node_modules');
    // The logged error itself is left as it was thrown.
    const { unchanged } = JSON.parse(stdout) as { unchanged: string };
    expect(unchanged).not.toContain(entry);
    expect(frames(unchanged)[0]).toContain(path.join(dir, 'out', 'index.mjs'));
  });

  it('leaves a stack with no map beside its file as it is', () => {
    const stack = `Error: x\n    at f (${path.join(dir, 'nowhere.mjs')}:1:2)\n    at node:internal/main:3:4\n    at async Promise.all (index 0)`;
    expect(mapStack(stack)).toBe(stack);
  });
});
