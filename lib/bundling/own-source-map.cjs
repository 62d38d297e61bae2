'use strict';
/**
 * A bundle's source map cut down to our own code (#18, session 11; bench/README.md).
 *
 * Every function runs with `--enable-source-maps` (FUNCTION_NODE_OPTIONS), so Node reads and parses the
 * bundle's whole .map at module load, and nearly all of its mappings are for node_modules code (the MongoDB
 * driver, the AWS SDK, zod) whose frames nobody needs mapped. This keeps the segments whose source is not
 * under node_modules and prunes `sources` and `names` to those they use. Where a dropped run of segments
 * begins, a one-field segment (a generated column with no source) is left, so a frame in dependency code
 * stays unmapped (minified) instead of taking the nearest own-code mapping before it.
 *
 * Plain CommonJS so the stack's afterBundling hook runs it with plain `node` (lib/functions.ts):
 *   node lib/bundling/own-source-map.cjs <dir>/index.mjs.map [...]
 */
const { readFileSync, writeFileSync } = require('node:fs');

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** One segment's VLQ fields, relative as written. */
function decodeSegment(text) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`source map: bad VLQ character ${JSON.stringify(c)}`);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  if (shift) throw new Error('source map: truncated VLQ');
  return fields;
}

function encodeValue(n) {
  let vlq = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = vlq & 31;
    vlq >>>= 5;
    if (vlq) digit |= 32;
    out += BASE64[digit];
  } while (vlq);
  return out;
}

/** `mappings` → lines of segments with absolute fields: [column] or [column, source, line, column(, name)]. */
function decodeMappings(mappings) {
  const state = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line ? line.split(',').map((text) => {
      const fields = decodeSegment(text);
      return fields.map((delta, i) => (state[i] += delta));
    }) : [];
  });
}

function encodeMappings(lines) {
  const state = [0, 0, 0, 0, 0];
  return lines.map((segments) => {
    state[0] = 0;
    return segments.map((segment) => segment.map((value, i) => {
      const delta = value - state[i];
      state[i] = value;
      return encodeValue(delta);
    }).join('')).join(',');
  }).join(';');
}

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
  const lines = decodeMappings(map.mappings).map((segments) => {
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
  const result = { ...map, sources, names, mappings: encodeMappings(lines) };
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

module.exports = { ownSourceMap, rewriteSourceMapFile, decodeMappings, encodeMappings };

if (require.main === module) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node lib/bundling/own-source-map.cjs <file.map> [...]');
    process.exit(2);
  }
  for (const file of files) rewriteSourceMapFile(file);
}
