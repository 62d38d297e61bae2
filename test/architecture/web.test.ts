/**
 * The web apps' import graph, read from the real files: no file of web/ takes part in a circular
 * import (a circle makes module order decide what is initialised, and ties every file in it to all
 * the others).
 */
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph, importsOf, sourceFiles } from './import-graph.ts';

const WEB = sourceFiles('web');

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
});
