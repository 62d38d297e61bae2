/**
 * Bundling alias for `whatwg-url` (used by the mongodb driver's mongodb-connection-string-url for
 * its `URL` class only). Node's built-in URL implements the same WHATWG URL standard; the package's
 * pure-JS copy plus its Unicode tables (tr46) add ~280 KB to every function that talks to MongoDB.
 * test/cdk/bundles.test.ts checks that connection strings parse the same with both.
 */
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
