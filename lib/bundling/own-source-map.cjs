'use strict';
/**
 * A bundle's source map cut down to our own code (#18, session 11; bench/README.md).
 *
 * A logged error's frames are mapped through the bundle's .map (functions/platform/source-lines.ts, on the
 * first logged error; with `--enable-source-maps`, Node's flag, at module load), and nearly all of its mappings
 * are for node_modules code (the MongoDB driver, the AWS SDK, zod) whose frames nobody needs mapped. This keeps the segments whose source is not
 * under node_modules and prunes `sources` and `names` to those they use. Where a dropped run of segments
 * begins, a one-field segment (a generated column with no source) is left, so a frame in dependency code
 * stays unmapped (minified) instead of taking the nearest own-code mapping before it.
 *
 * Plain CommonJS so the stack's afterBundling hook runs it with plain `node` (lib/functions.ts):
 *   node lib/bundling/own-source-map.cjs <dir>/index.mjs.map [...]
 */
const { readFileSync, writeFileSync } = require('node:fs');
// The VLQ codec of the @jridgewell family (the one Babel, Vite and Rollup use): segments with absolute fields.
const { decode, encode } = require('@jridgewell/sourcemap-codec');

const isDependency = (source) => /(^|[\\/])node_modules[\\/]/.test(source);

/** The map with only our own code's mappings, sources and names (a new object; `map` is left as it was). */
function ownSourceMap(map) {
  const sourceIndex = new Map();
  const sources = [];
  map.sources.forEach((source, i) => {
    if (isDependency(source)) return;
    sourceIndex.set(i, sources.length);
    sources.push(source);
  });
  const nameIndex = new Map();
  const names = [];
  const lines = decode(map.mappings).map((segments) => {
    const kept = [];
    let inDroppedRun = false;
    for (const segment of segments) {
      const source = segment.length > 1 ? sourceIndex.get(segment[1]) : undefined;
      if (source === undefined) {
        // Dependency code or already unmapped: one marker at the start of the run.
        if (!inDroppedRun) kept.push([segment[0]]);
        inDroppedRun = true;
        continue;
      }
      inDroppedRun = false;
      const out = [segment[0], source, segment[2], segment[3]];
      if (segment.length > 4) {
        if (!nameIndex.has(segment[4])) {
          nameIndex.set(segment[4], names.length);
          names.push(map.names[segment[4]]);
        }
        out.push(nameIndex.get(segment[4]));
      }
      kept.push(out);
    }
    return kept;
  });
  const result = { ...map, sources, names, mappings: encode(lines) };
  if (Array.isArray(map.sourcesContent)) result.sourcesContent = [...sourceIndex.keys()].map((i) => map.sourcesContent[i]);
  return result;
}

/** Rewrites a .map file in place; returns its size before and after. */
function rewriteSourceMapFile(file) {
  const before = readFileSync(file, 'utf8');
  const after = JSON.stringify(ownSourceMap(JSON.parse(before)));
  writeFileSync(file, after);
  return { before: Buffer.byteLength(before), after: Buffer.byteLength(after) };
}

module.exports = { ownSourceMap, rewriteSourceMapFile };

if (require.main === module) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node lib/bundling/own-source-map.cjs <file.map> [...]');
    process.exit(2);
  }
  for (const file of files) rewriteSourceMapFile(file);
}
