/**
 * The layering of functions/ and lib/, read from the real imports of their source files:
 *  - core/ is the pure domain: no MongoDB driver, nothing of data/, http/ or platform/;
 *  - functions/ is sliced by capability (routes.ts SLICE_OF_GROUP): a slice reaches another only through
 *    its index.ts, and the kernel (every other folder) imports no slice, but for the effects pipeline
 *    (effects.ts and its push modules under effects/);
 *  - realtime/ delivers messages and knows no use case: it imports nothing of the slices;
 *  - no module outside data/ reaches MongoDB but through data/'s store modules (none imports data/mongo.ts);
 *  - audit entries and pushes after a change go through the one effects pipeline (effects.ts);
 *  - contract/ (the edge contract the web apps read) imports only zod and core/;
 *  - HTTP statuses live at the edge (http/), never in core/;
 *  - web/ imports nothing under functions/ other than contract/ and core/;
 *  - no circular imports among the files of functions/ and lib/;
 *  - handlers are thin: no function a <slice>/handlers/ module exports is over 30 lines;
 *  - no source file of functions/ is over 400 lines (web/'s files: web.test.ts);
 *  - tests mirror the slices: a unit or integration test that imports a slice's modules sits in that slice's folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportedFunctionLengths } from './function-length.ts';
import { SLICE_OF_GROUP } from '../../functions/routes.ts';
import { ROOT, importCircles, importGraph, importsOf, sourceFiles } from './import-graph.ts';

const FUNCTIONS = sourceFiles('functions');
const LIB = sourceFiles('lib');
const WEB = sourceFiles('web');
const under = (folder: string) => (file: string) => file.startsWith(`functions/${folder}/`);
const SLICES = [...new Set(Object.values(SLICE_OF_GROUP))];
/** The slice a file of functions/ belongs to; undefined for the kernel. */
const sliceOf = (file: string): string | undefined => SLICES.find((slice) => under(slice)(file));
const inSlices = (file: string): boolean => sliceOf(file) !== undefined;
/** The effects pipeline: effects.ts and its push modules (effects/). */
const inPipeline = (file: string): boolean => file === 'functions/effects.ts' || under('effects')(file);
const isHandler = (file: string): boolean => /^functions\/[^/]+\/handlers\//.test(file);

describe('the import graph reader', () => {
  it('sees the files and the imports it judges', () => {
    expect(FUNCTIONS.filter(under('core')).length).toBeGreaterThan(20);
    expect(importsOf('functions/orders/orders.ts').files).toContain('functions/core/order-building.ts');
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

  it('realtime/ imports nothing of the slices', () => {
    const offences = FUNCTIONS.filter(under('realtime')).flatMap((file) =>
      importsOf(file)
        .files.filter(inSlices)
        .map((target) => `${file} -> ${target}`),
    );
    expect(offences).toEqual([]);
  });
});

describe('slices by capability', () => {
  it('every slice holds handlers, and no use case is left outside a slice or the kernel', () => {
    for (const slice of SLICES) expect(FUNCTIONS.filter(under(slice)).some(isHandler), slice).toBe(true);
    expect(FUNCTIONS.filter((file) => under('handlers')(file) || under('services')(file))).toEqual([]);
  });

  it('a slice reaches another slice only through its index.ts', () => {
    const offences = FUNCTIONS.filter(inSlices).flatMap((file) =>
      importsOf(file)
        .files.filter((target) => inSlices(target) && sliceOf(target) !== sliceOf(file) && target !== `functions/${sliceOf(target)}/index.ts`)
        .map((target) => `${file} -> ${target}`),
    );
    expect(offences).toEqual([]);
  });

  it('the kernel imports no slice, but for the effects pipeline (effects.ts, effects/) that reads their views and pushes', () => {
    const offences = FUNCTIONS.filter((file) => !inSlices(file) && !inPipeline(file)).flatMap((file) =>
      importsOf(file)
        .files.filter(inSlices)
        .map((target) => `${file} -> ${target}`),
    );
    expect(offences).toEqual([]);
  });
});

const source = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

describe('tests mirror the slices', () => {
  const TESTS = [...sourceFiles('test/unit'), ...sourceFiles('test/integration')];

  it('a unit or integration test that imports modules of a slice sits in test/<unit|integration>/<that slice>/ (of one of them, when it reaches several)', () => {
    const offences = TESTS.flatMap((file) => {
      const slices = [...new Set(importsOf(file).files.map(sliceOf).filter((slice) => slice !== undefined))];
      const folder = file.split('/')[2];
      return slices.length > 0 && !slices.includes(folder) ? [`${file} -> ${slices.join(', ')}`] : [];
    });
    expect(TESTS.filter((file) => /^test\/integration\/[^/]+\/[^/]+$/.test(file)).length).toBeGreaterThan(40);
    expect(offences).toEqual([]);
  });

  it('no test is named after where its bug was found (e2e-found-*) rather than what it tests', () => {
    expect(sourceFiles('test').filter((file) => /(?:^|\/)[^/]*found[^/]*\.test\.tsx?$/.test(file))).toEqual([]);
  });

  it("integration tests sit in a slice's folder or the kernel's", () => {
    const folders = new Set(TESTS.filter((file) => file.startsWith('test/integration/')).map((file) => file.split('/')[2]));
    expect([...folders].filter((folder) => !(SLICES as string[]).includes(folder) && folder !== 'kernel')).toEqual([]);
  });
});


describe('stores behind ports', () => {
  it('no module outside data/ calls collections() or imports data/mongo.ts: every filter, projection and transaction is a store\'s', () => {
    const outside = FUNCTIONS.filter((file) => !under('data')(file));
    const offences = outside.flatMap((file) =>
      importsOf(file)
        .files.filter((target) => target === 'functions/data/mongo.ts')
        .map((target) => `${file} -> ${target}`),
    );
    const calls = outside.filter((file) => /\bcollections\(\)/.test(source(file)));
    expect(FUNCTIONS.filter(under('data')).filter((file) => importsOf(file).files.includes('functions/data/mongo.ts')).length).toBeGreaterThan(10);
    expect(offences).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('the after-commit effects pipeline', () => {
  /** Services whose audit entries and order pushes the pipeline now delivers. */
  const ON_PIPELINE = ['kitchen/kitchen', 'orders/orders', 'floor/staff-orders', 'bill/payments', 'bill/payment-settlement', 'sessions/table-sessions', 'sessions/guest-sessions', 'bill/bill', 'sessions/customers', 'sessions/phone-verification', 'bill/payment-intents', 'bill/payment-webhooks', 'bill/payment-admin', 'cart/cart', 'sessions/pin-guard'].map(
    (name) => `functions/${name}.ts`,
  );

  it('they push to no socket themselves', () => {
    expect(ON_PIPELINE.every((file) => FUNCTIONS.includes(file))).toBe(true);
    const offences = ON_PIPELINE.flatMap((file) => [
      ...importsOf(file)
        .files.filter((target) => target === 'functions/realtime/push.ts' || target === 'functions/realtime/connections.ts')
        .map((target) => `${file} -> ${target}`),
    ]);
    expect(offences).toEqual([]);
  });

  /** The slices' push tables, handed to the pipeline by the use cases that emit their events. */
  const PUSH_TABLES = ['admin/admin-pushes', 'kitchen/kitchen-pushes', 'cart/cart-views', 'bill/payment-views', 'sessions/table-pushes'].map((name) => `functions/${name}.ts`);

  it('in the slices only the push tables reach sockets (the gateway, which speaks the socket protocol, apart)', () => {
    const reachesSockets = (file: string) =>
      importsOf(file).files.some((target) => target === 'functions/realtime/push.ts' || target === 'functions/realtime/connections.ts');
    const sliceFiles = FUNCTIONS.filter((file) => inSlices(file) && !under('gateway')(file));
    expect(PUSH_TABLES.every((file) => sliceFiles.includes(file) && reachesSockets(file))).toBe(true);
    expect(sliceFiles.filter((file) => reachesSockets(file) && !PUSH_TABLES.includes(file))).toEqual([]);
  });

  it('no module but the pipeline writes an audit entry quietly: use cases hand it their events', () => {
    const pipeline = ['functions/effects.ts', 'functions/data/audit.ts'];
    const offences = FUNCTIONS.filter((file) => !pipeline.includes(file) && source(file).includes('auditQuietly'));
    expect(FUNCTIONS.filter((file) => source(file).includes('auditQuietly')).length).toBeGreaterThan(1);
    expect(offences).toEqual([]);
  });

  it('one order fan-out: no service but the pipeline looks up an order\'s audience', () => {
    const offences = FUNCTIONS.filter(inSlices)
      .filter((file) => source(file).includes('orderAudience('));
    expect(offences).toEqual([]);
  });
});

/** Every package a file reaches through its imports, however deep. */
function packagesReached(file: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  if (seen.has(file)) return found;
  seen.add(file);
  const { files, packages } = importsOf(file);
  packages.forEach((name) => found.add(name));
  for (const target of files) packagesReached(target, seen).forEach((name) => found.add(name));
  return found;
}

describe('unit tests of the pure rules', () => {
  it('reach no MongoDB driver, Powertools or AWS SDK, however deep their imports go', () => {
    const pure = ['order-pricing', 'kitchen/kitchen-ticket', 'domain-events', 'pricing', 'cart-rules', 'split', 'order-status', 'kitchen-timings', 'pin'].map((name) => `test/unit/${name}.test.ts`);
    const io = (name: string) => /^(?:mongodb|bson|@aws-lambda-powertools|@aws-sdk)(?:\/|$)/.test(name);
    const offences = pure.flatMap((file) => [...packagesReached(file)].filter(io).map((name) => `${file} -> ${name}`));
    expect(offences).toEqual([]);
  });
});

describe('the edge contract', () => {
  it('contract/ imports only zod and core/ (no MongoDB driver, no slice, no kernel module but core/)', () => {
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

/** Handlers hold the edge (parse, authenticate, call a use case, answer): anything longer is logic that belongs in the slice's use cases or core/. */
const HANDLER_MAX_LINES = 30;

describe('thin handlers', () => {
  it('the length reader measures each exported function, wrapped or not, from its first to its last line', () => {
    const text = [
      'const helper = () => 1;',
      'export const a = staffRoute(schemas, async ({ staff }) => {',
      '  const x = () => 2;',
      '  return x();',
      '});',
      'export async function b(): Promise<void> {}',
      'export const c = 3, d = async () =>',
      '  4;',
    ].join('\n');
    expect(exportedFunctionLengths('x.ts', text)).toEqual([
      { name: 'a', lines: 4 },
      { name: 'b', lines: 1 },
      { name: 'd', lines: 2 },
    ]);
  });

  it(`no function a handlers/ module exports is over ${HANDLER_MAX_LINES} lines`, () => {
    const handlers = FUNCTIONS.filter(isHandler);
    const offences = handlers.flatMap((file) =>
      exportedFunctionLengths(file, source(file))
        .filter(({ lines }) => lines > HANDLER_MAX_LINES)
        .map(({ name, lines }) => `${file} ${name}: ${lines} lines`),
    );
    expect(handlers.length).toBeGreaterThan(20);
    expect(offences).toEqual([]);
  });
});

const MAX_FILE_LINES = 400;

describe('file size', () => {
  it(`no source file of functions/ is over ${MAX_FILE_LINES} lines`, () => {
    const long = FUNCTIONS.map((file) => ({ file, lines: source(file).split('\n').length })).filter(({ lines }) => lines > MAX_FILE_LINES);
    expect(FUNCTIONS.length).toBeGreaterThan(100);
    expect(long.map(({ file, lines }) => `${file}: ${lines} lines`)).toEqual([]);
  });
});

describe('rules that live once', () => {
  const rules = [
    { rule: 'the ObjectId hex pattern', home: 'functions/core/ids.ts', text: /\[(?:a-f0-9|0-9a-f)\]\{24\}|ObjectId\.isValid\([^)]*\)\s*&&\s*\S+\.length === 24/ },
    { rule: 'the station pattern', home: 'functions/core/kitchen-board.ts', text: /\[A-Z\]\[A-Z0-9_\]\{0,23\}/ },
    { rule: 'the role ranking', home: 'functions/core/roles.ts', text: /ROLE_RANK|KITCHEN: 0, WAITER: 1/ },
    { rule: "a modifier group's min/max bounds", home: 'functions/core/modifier-groups.ts', text: /\bmax\s*<\s*(?:\w+\.)?min\b|\bmin\s*>\s*(?:\w+\.)?max\b|max must be at least min/ },
  ];

  it.each(rules)('$rule is written only in $home', ({ home, text }) => {
    const copies = [...FUNCTIONS, ...WEB].filter((file) => file !== home && text.test(source(file)));
    expect(copies).toEqual([]);
  });
});
