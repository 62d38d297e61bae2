/**
 * The web apps' shape, read from the real files: no file of web/ takes part in a circular import (a
 * circle makes module order decide what is initialised, and ties every file in it to all the
 * others), and no file is over 400 lines (the message catalogues excepted: one line per phrase).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, importCircles, importGraph, importsOf, sourceFiles } from './import-graph.ts';

const WEB = sourceFiles('web');
const MAX_LINES = 400;
const lineCount = (file: string) => readFileSync(path.join(ROOT, file), 'utf8').split('\n').length;

describe('web/ architecture', () => {
  it('reads the real graph: every app and its imports, type-only ones too', () => {
    expect(importsOf('web/staff/main.tsx').files).toContain('web/staff/app.tsx');
    expect(importsOf('web/diner/main.tsx').files).toContain('web/diner/app.tsx');
    expect(importsOf('web/kitchen/main.tsx').files).toContain('web/kitchen/app.tsx');
    expect(importsOf('web/shared/config.ts').files).toContain('web/shared/types.ts');
  });

  it('has no circular import among web/ files', () => {
    expect(importCircles(importGraph(WEB))).toEqual([]);
  });

  it(`has no file over ${MAX_LINES} lines but the message catalogues`, () => {
    expect(WEB.length).toBeGreaterThan(50);
    const long = WEB.filter((file) => !file.endsWith('/messages.ts') && lineCount(file) > MAX_LINES);
    expect(long.map((file) => `${file}: ${lineCount(file)} lines`)).toEqual([]);
  });
});
