/**
 * The layering of functions/ and lib/, read from the real imports of their source files:
 *  - core/ is the pure domain: no MongoDB driver, nothing of data/, http/ or platform/;
 *  - realtime/ delivers messages and knows no use case: it imports nothing of services/;
 *  - contract/ (the edge contract the web apps read) imports neither the MongoDB driver nor data/, services/ or http/;
 *  - HTTP statuses live at the edge (http/), never in core/;
 *  - web/ imports nothing under functions/ other than contract/ and core/;
 *  - no circular imports among the files of functions/ and lib/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph, importsOf, ROOT, sourceFiles } from './import-graph.ts';

const FUNCTIONS = sourceFiles('functions');
const LIB = sourceFiles('lib');
const WEB = sourceFiles('web');
const under = (folder: string) => (file: string) => file.startsWith(`functions/${folder}/`);

describe('the import graph reader', () => {
  it('sees the files and the imports it judges', () => {
    expect(FUNCTIONS.filter(under('core')).length).toBeGreaterThan(20);
    expect(importsOf('functions/services/orders.ts').files).toContain('functions/core/order-building.ts');
    expect(importsOf('functions/data/documents.ts').packages).toContain('mongodb');
    expect(importsOf('lib/plato-stack.ts').files).toContain('lib/nag.ts');
  });

  it('finds a circle, however long, and only circles', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
      ['e', ['e']],
    ]);
    expect(importCircles(graph)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(importCircles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });
});

describe('functions/ layering', () => {
  it('core/ imports neither the MongoDB driver nor data/, http/ or platform/', () => {
    const offences = FUNCTIONS.filter(under('core')).flatMap((file) => {
      const { files, packages } = importsOf(file);
      return [
        ...packages.filter((name) => name === 'mongodb' || name.startsWith('mongodb/')),
        ...files.filter((target) => /^functions\/(data|http|platform)\//.test(target)),
      ].map((target) => `${file} -> ${target}`);
    });
    expect(offences).toEqual([]);
  });

  it('realtime/ imports nothing of services/', () => {
    const offences = FUNCTIONS.filter(under('realtime')).flatMap((file) =>
      importsOf(file)
        .files.filter(under('services'))
        .map((target) => `${file} -> ${target}`),
    );
    expect(offences).toEqual([]);
  });
});

describe('the edge contract', () => {
  it('contract/ imports neither the MongoDB driver nor data/, services/, http/, realtime/ or platform/', () => {
    const offences = FUNCTIONS.filter(under('contract')).flatMap((file) => {
      const { files, packages } = importsOf(file);
      return [
        ...packages.filter((name) => name !== 'zod'),
        ...files.filter((target) => !/^functions\/(contract|core)\//.test(target)),
      ].map((target) => `${file} -> ${target}`);
    });
    expect(FUNCTIONS.filter(under('contract')).length).toBeGreaterThan(5);
    expect(offences).toEqual([]);
  });

  it('web/ imports nothing under functions/ other than contract/ and core/', () => {
    const offences = WEB.flatMap((file) =>
      importsOf(file)
        .files.filter((target) => target.startsWith('functions/') && !/^functions\/(contract|core)\//.test(target))
        .map((target) => `${file} -> ${target}`),
    );
    expect(WEB.some((file) => importsOf(file).files.some((target) => target.startsWith('functions/contract/')))).toBe(true);
    expect(offences).toEqual([]);
  });

  it('core/ carries no HTTP status: the statuses of error codes are http/error-status.ts', () => {
    for (const file of FUNCTIONS.filter(under('core'))) {
      expect(readFileSync(path.join(ROOT, file), 'utf8'), file).not.toMatch(/ERROR_STATUS|statusCode|\b(?:status|Status)\s*\(\)/);
    }
  });
});

describe('no circular imports', () => {
  it('among the files of functions/ and lib/', () => {
    expect(importCircles(importGraph([...FUNCTIONS, ...LIB]))).toEqual([]);
  });

  it('among the files of functions/contract/', () => {
    expect(importCircles(importGraph(FUNCTIONS.filter(under('contract'))))).toEqual([]);
  });
});
