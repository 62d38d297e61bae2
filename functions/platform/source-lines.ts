/**
 * Stack traces of logged errors mapped to our .ts lines, on demand (#18, session 12).
 *
 * Functions run without `--enable-source-maps`: with it, Node scans the whole bundle for its map at
 * module load (a JS loop over every character, 10–20 ms of a cold start, bench/README.md), whether or
 * not an error is ever logged. Instead the logger (platform/logger.ts) hands every error it logs to
 * `withSourceLines`, which reads the bundle's `index.mjs.map` (beside it, as the stack's build writes it:
 * our own code's mappings only, lib/bundling/own-source-map.cjs) the first time, and rewrites each frame
 * in the bundle the way Node's flag would: `functions/orders/orders.ts:234:7` for our code, the minified
 * position for a dependency's. A frame's function name is taken from its caller's call site, as Node
 * does when the enclosing function has no name of its own in the map.
 *
 * Without a map (the local runtime's containers, the tests' sources run by tsx) a stack is left as it is.
 */
import { readFileSync } from 'node:fs';
import type { SourceMap as NodeSourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// `at name (file:///…/index.mjs:1:234)` or `at file:///…/index.mjs:1:234`.
const FRAME = /^(\s*at (?:async )?)(?:(.+?) \()?((?:file:\/\/|\/)[^()\s]+?):(\d+):(\d+)(\)?)$/;

const maps = new Map<string, NodeSourceMap | null>();

function sourceMapFor(file: string): NodeSourceMap | null {
  if (!/\.[cm]?js$/.test(file)) return null;
  let map = maps.get(file);
  if (map === undefined) {
    try {
      const path = file.startsWith('file://') ? fileURLToPath(file) : file;
      const { SourceMap } = process.getBuiltinModule('node:module') as typeof import('node:module');
      const payload = JSON.parse(readFileSync(`${path}.map`, 'utf8'));
      // Sources are relative to the map; Node's flag prints them as absolute paths.
      const base = pathToFileURL(path);
      payload.sources = (payload.sources as string[]).map((source) => fileURLToPath(new URL(source, base)));
      map = new SourceMap(payload);
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

interface Frame {
  prefix: string;
  name?: string;
  file: string;
  line: number;
  column: number;
  suffix: string;
}

/** What `SourceMap.findEntry` answers for a mapped position (0-based), with the name at it when the map has one. */
interface OriginalPosition {
  originalSource: string;
  originalLine: number;
  originalColumn: number;
  name?: string;
}

function parseFrame(text: string): Frame | undefined {
  const match = FRAME.exec(text);
  if (!match) return undefined;
  return { prefix: match[1], name: match[2], file: match[3], line: Number(match[4]), column: Number(match[5]), suffix: match[6] };
}

/** The stack with each frame in a bundle that has a map rewritten to its original source, line and column. */
export function mapStack(stack: string): string {
  const lines = stack.split('\n');
  const frames = lines.map(parseFrame);
  const entries = frames.map((frame): OriginalPosition | undefined => {
    if (!frame) return undefined;
    const entry = sourceMapFor(frame.file)?.findEntry(frame.line - 1, frame.column - 1) as Partial<OriginalPosition> | undefined;
    return entry?.originalSource ? (entry as OriginalPosition) : undefined;
  });
  return lines
    .map((text, i) => {
      const frame = frames[i];
      const entry = entries[i];
      if (!frame || !entry) return text;
      const name = entries[i + 1]?.name ?? frame.name;
      const location = `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
      return name ? `${frame.prefix}${name} (${location})` : `${frame.prefix}${location}`;
    })
    .join('\n');
}

/** A copy of the error (and of its causes) whose stack names our .ts lines; the error itself is left as it is. */
export function withSourceLines<T extends Error>(error: T): T {
  const copy = Object.create(Object.getPrototypeOf(error)) as T;
  for (const key of Reflect.ownKeys(error)) Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(error, key)!);
  if (typeof error.stack === 'string') Object.defineProperty(copy, 'stack', { value: mapStack(error.stack), writable: true, configurable: true });
  if (error.cause instanceof Error) Object.defineProperty(copy, 'cause', { value: withSourceLines(error.cause), writable: true, configurable: true });
  return copy;
}
