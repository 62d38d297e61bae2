// How a Lambda bundle is built, shared by the CDK stack (lib/functions.ts) and the local runtime's
// containers (local/gateway/containers.ts), which build their bundles the same way. No CDK imports here.
import type { HandlerNeeds } from '../../functions/routes.ts';

/**
 * The mongodb driver's optional dependencies: it require()s them inside try/catch only when a
 * feature needs them (Kerberos, zstd/snappy compression, AWS/GCP auth, SOCKS proxies, client-side
 * encryption). None is installed; left external they fail softly at runtime instead of at bundling.
 * `aws4` is the pre-v6 driver's name for AWS auth, kept so an older lockfile still bundles.
 */
export const MONGODB_OPTIONAL_MODULES = [
  'kerberos',
  '@mongodb-js/zstd',
  '@aws-sdk/credential-providers',
  'gcp-metadata',
  'snappy',
  'socks',
  'aws4',
  'mongodb-client-encryption',
];

/** The AWS SDK left to the Node.js 22 Lambda runtime's copy (the resize function, the local runtime's containers). */
export const EXTERNAL_MODULES = ['@aws-sdk/*', ...MONGODB_OPTIONAL_MODULES];

/**
 * What a group's bundle leaves external. Every function but the resize one bundles the AWS SDK inside:
 * importing it from the one minified file measured faster in every group than resolving the runtime's
 * SDK from node_modules, file by file (`npx tsx bench/init-time.ts --sdk=both`; bench/README.md, #18
 * stage 4), at the price of ~300–400 KB more per bundle (test/cdk/bundles.test.ts's budget). The resize
 * function keeps it external (its S3 client is loaded lazily, and bundled measured slower) and has
 * sharp copied beside the bundle.
 */
export function externalModulesFor(spec: { needs: Pick<HandlerNeeds, 'mongo' | 'media'> }): string[] {
  if (spec.needs.media === 'resize') return [...EXTERNAL_MODULES, 'sharp'];
  return MONGODB_OPTIONAL_MODULES;
}

/** Resolved from the project root (esbuild resolves alias targets in its working directory). */
export const WHATWG_URL_ALIAS = './lib/bundling/whatwg-url.ts';
export const FORM_DATA_ALIAS = './lib/bundling/form-data.cjs';
export const AWS_CREDENTIALS_ALIAS = './lib/bundling/aws-env-credentials.ts';
export const SASLPREP_ALIAS = './lib/bundling/saslprep.cjs';

/**
 * Node built-ins that bundled ES modules import (the AWS SDK's and Powertools' ESM builds, bson, our
 * code). An ESM `import … from 'node:http'` makes Node build the module's ESM facade, which reads every
 * export, lazy getters included: on Node 22 `http`'s getters load undici (fetch, WebSocket) and
 * `crypto`'s load WebCrypto, tens of milliseconds of module init per function that never uses them
 * (bench/init-profile.ts). Each is aliased to a one-line CommonJS file in lib/bundling/node-builtins/
 * returning `process.getBuiltinModule(name)` (Node ≥ 20.16), which loads the module as require() does,
 * getters untouched. test/cdk/bundles.test.ts checks no bundle imports a built-in as ESM.
 */
export const NODE_BUILTIN_SHIMS = [
  'assert', 'async_hooks', 'buffer', 'child_process', 'console', 'crypto', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'querystring', 'readline', 'stream',
  'stream/promises', 'stream/web', 'string_decoder', 'timers', 'timers/promises', 'tls', 'url', 'util',
  'worker_threads', 'zlib',
];

/** Every alias a Lambda bundle is built with (the stack, the local runtime's containers, the benches). */
export const BUNDLE_ALIASES: Record<string, string> = {
  'whatwg-url': WHATWG_URL_ALIAS,
  'form-data': FORM_DATA_ALIAS,
  // The driver's SCRAM-SHA-256 password preparation: its Unicode tables built on first non-ASCII password, not at import.
  '@mongodb-js/saslprep': SASLPREP_ALIAS,
  // Only reached where the SDK is bundled (externalModulesFor): Lambda's credentials are in the environment.
  '@aws-sdk/credential-provider-node': AWS_CREDENTIALS_ALIAS,
  ...Object.fromEntries(
    NODE_BUILTIN_SHIMS.flatMap((name) => {
      const shim = `./lib/bundling/node-builtins/${name.replace('/', '-')}.cjs`;
      return [[name, shim], [`node:${name}`, shim]];
    }),
  ),
};

/** The same aliases as esbuild command-line arguments (CDK's NodejsFunction runs the esbuild CLI). */
export const BUNDLE_ALIAS_ARGS: Record<string, string> = Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([from, to]) => [`--alias:${from}`, to]));

/**
 * NODE_OPTIONS of every deployed function (lib/functions.ts; none when empty). Not `--enable-source-maps`:
 * with it Node scans the whole bundle for its map at module load, 10–20 ms of CPU per cold start whether or
 * not an error is ever logged (bench/README.md, #18 sessions 11 and 12). The logger maps a logged error's
 * frames through the bundle's map on demand instead (functions/platform/source-lines.ts); the map keeps our
 * own code's mappings only (lib/bundling/own-source-map.cjs). bench/init-time.ts gives its children the same.
 */
export const FUNCTION_NODE_OPTIONS = '';

/** ESM bundles still contain CommonJS code (the mongodb driver) that calls require(). */
// (Spelt in two pieces: the crash test's child bundle rewrites every `import.meta` + `.url` in our sources to the file's own URL.)
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta" + '.url);';
