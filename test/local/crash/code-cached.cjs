/**
 * `node code-cached.cjs BUNDLE ARGS…`: runs the crash test's CommonJS child bundle (crash/runtime.ts)
 * with V8's code cache kept beside it (BUNDLE.v8cache). Node 20 has no compile cache of its own, and
 * compiling the 3 MB bundle again was a fifth of each restart's CPU to READY. The cache is written
 * once the child says it is up (the `crash-child-ready` process event), so it also holds the
 * functions the start compiled lazily; V8 checks it against the source and its flags and rejects a
 * stale one, which is then written again. The bundle's name is its content's hash, so is the cache's.
 */
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const bundle = path.resolve(process.argv[2]);
const cacheFile = `${bundle}.v8cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The wrapper Node itself puts around a CommonJS module.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`, {
  filename: bundle,
  cachedData,
});
if (!cachedData || script.cachedDataRejected) {
  process.once('crash-child-ready', () => {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile); // whole or not at all: a kill may land at any moment
  });
}
process.argv.splice(1, 1); // the bundle sees its own arguments where it would as `node BUNDLE ARGS…`
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, createRequire(bundle), module_, bundle, path.dirname(bundle));
