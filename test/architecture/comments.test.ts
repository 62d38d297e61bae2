/**
 * Comments that name a source file name one that exists: after a move (services/ and handlers/ into
 * the slices, a module renamed), a comment that still points to the old place sends the reader
 * nowhere. Every `.ts`, `.tsx`, `.cjs` or `.mjs` name in a comment of functions/, web/, lib/, local/,
 * bin/ or bench/ must be a project file, read as the comments write them: from the project root
 * (`functions/http/route.ts`), from functions/ (`auth/staff-session.ts`, the kernel's habit), from a
 * folder the commenting file sits in (`../shared/ws.ts`), or a bare file name (`kitchen-beat.ts`) that
 * some project file has.
 * Comments are read with the TypeScript scanner, so strings and code are not mistaken for them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './import-graph.ts';

const COMMENTED = ['functions', 'web', 'lib', 'local', 'bin', 'bench'];
/** Every file a comment may name: the source folders and the tests (`test/support/stack.ts`). */
const PROJECT = new Set([...COMMENTED, 'test'].flatMap((dir) => sourceFiles(dir, /\.(?:tsx?|cjs|mjs)$/)));
/** Files that only a build writes: a Lambda bundle is its function's `index.mjs`. */
const BUILT = ['index.mjs'];
const BASENAMES = new Set([...[...PROJECT].map((file) => path.posix.basename(file)), ...BUILT]);

/** A file name in a comment: path segments and a source extension (`{…}`, `<…>` and `*` make it a pattern, not a name). */
const FILE_NAME = /(?<![\w@.\/-])((?:\.\.?\/)*[\w.-]+(?:\/[\w.-]+)*\.(?:tsx?|cjs|mjs))(?![\w/-])/g;

/** The text of every comment in a source file: the trivia around each of its tokens, as the parser reads them (a bare scanner would lose its way in template literals). */
function commentsOf(file: string, text: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const starts = new Set<number>();
  const comments: { line: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    for (const range of [...(ts.getLeadingCommentRanges(text, node.pos) ?? []), ...(ts.getTrailingCommentRanges(text, node.end) ?? [])]) {
      if (starts.has(range.pos)) continue;
      starts.add(range.pos);
      comments.push({ line: source.getLineAndCharacterOfPosition(range.pos).line + 1, text: text.slice(range.pos, range.end) });
    }
    node.getChildren(source).forEach(visit);
  };
  visit(source);
  return comments.sort((a, b) => a.line - b.line);
}

/** Whether a name written in `file`'s comment points to a project file. */
function namesAFile(file: string, name: string, project: ReadonlySet<string> = PROJECT, basenames: ReadonlySet<string> = BASENAMES): boolean {
  if (!name.includes('/')) return basenames.has(name);
  const folders = path.posix.dirname(file).split('/');
  const bases = ['', 'functions', ...folders.map((_, i) => folders.slice(0, i + 1).join('/'))];
  return bases.some((base) => project.has(path.posix.normalize(path.posix.join(base, name))));
}

describe('file names in comments', () => {
  it('are read from comments only, and judged as the comments write them', () => {
    const text = "// See http/route.ts and kitchen-beat.ts.\nconst a = `${'services/orders.ts'}`; /* gone/away.ts */\nconst b = [\n  // last/one.ts\n];\n";
    expect(commentsOf('functions/x/y.ts', text).map((c) => [...c.text.matchAll(FILE_NAME)].map((m) => m[1]))).toEqual([['http/route.ts', 'kitchen-beat.ts'], ['gone/away.ts'], ['last/one.ts']]);
    expect(namesAFile('functions/gateway/handlers/ws.ts', 'http/route.ts')).toBe(true);
    expect(namesAFile('functions/gateway/handlers/ws.ts', '../socket-connect.ts')).toBe(true);
    expect(namesAFile('functions/gateway/handlers/ws.ts', 'functions/realtime/push.ts')).toBe(true);
    expect(namesAFile('bin/staff-user.ts', 'auth/staff-session.ts')).toBe(true);
    expect(namesAFile('functions/gateway/handlers/ws.ts', 'services/orders.ts')).toBe(false);
    expect(namesAFile('functions/gateway/handlers/ws.ts', 'no-such-module.ts')).toBe(false);
  });

  it(`name files that exist, in every comment of ${COMMENTED.join('/, ')}/`, () => {
    const files = COMMENTED.flatMap((dir) => sourceFiles(dir, /\.(?:tsx?|cjs|mjs)$/));
    expect(files.length).toBeGreaterThan(300);
    const stale = files.flatMap((file) =>
      commentsOf(file, readFileSync(path.join(ROOT, file), 'utf8')).flatMap(({ line, text }) =>
        [...text.matchAll(FILE_NAME)]
          .filter((match) => !namesAFile(file, match[1]))
          .map((match) => `${file}:${line + text.slice(0, match.index).split('\n').length - 1} ${match[1]}`),
      ),
    );
    expect(stale).toEqual([]);
  });
});
