/**
 * Bundling alias for `@mongodb-js/saslprep` (the mongodb driver's SCRAM-SHA-256 password
 * preparation, RFC 4013). The package builds its Unicode tables when it is imported: a gunzip of
 * its code-point data and six bitfields (memory-pager, sparse-bitfield), 2–5 % of a MongoDB
 * function's module init (bench/init-profile.ts), and loads zlib. The driver imports it at the top
 * of its SCRAM module, so every MongoDB function paid for it at init.
 *
 * SASLprep leaves a string of printable ASCII (U+0020–U+007E) unchanged: no such character is mapped
 * (RFC 3454 B.1 and C.1.2 hold none), NFKC leaves it as it is, none is prohibited, unassigned or
 * bidirectional RandALCat. Such a password (what Atlas generates, and our MONGODB_URI's) is returned
 * as it is; any other input goes to the package, whose code stays in the bundle and runs on first
 * use (esbuild evaluates a bundled CommonJS module at its first require). test/unit/saslprep-shim.test.ts
 * checks both paths against the package.
 *
 * The package is required by its file, not its name: an esbuild alias also rewrites the name's subpaths.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

let full;

function saslprep(input, opts) {
  if (typeof input === 'string' && PRINTABLE_ASCII.test(input)) return input;
  full ??= require('../../node_modules/@mongodb-js/saslprep/dist/node.js');
  return full(input, opts);
}

saslprep.saslprep = saslprep;
saslprep.default = saslprep;
module.exports = saslprep;
