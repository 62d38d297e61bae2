/**
 * The local runtime as a child process on a data directory, for the crash test: start it, read its
 * URLs from the `READY {json}` line, SIGKILL it. See test/local/crash-safety.test.ts.
 *
 * The child runs from one plain-JS bundle of test/local/fixtures/crash-child.ts, the local
 * runtime and the packages it loads (the mongodb driver, mingo, the AWS SDK, ...), built once per
 * test run: a restart then costs no TypeScript loader and no resolving of packages file by file,
 * which is most of what a start spends before the stack itself runs (CPU to READY per restart:
 * ~2.1 s through tsx, ~1.2 s with packages outside the bundle, ~1.0 s with them inside, ~0.7 s since
 * a restart skips the setup task it already ran and hashes the demo password once: bench/crash-restart.ts).
 * The bundle is CommonJS, run by crash/code-cached.cjs with V8's code cache of it: the main thread's
 * CPU to READY no longer compiles 3 MB (0.77 -> 0.67 s per start, side by side).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { bundleToCache, REPO_ROOT } from '../../../local/bundle-cache.ts';
import { FORM_DATA_ALIAS, MONGODB_OPTIONAL_MODULES, WHATWG_URL_ALIAS } from '../../../lib/bundling/options.ts';

export interface RuntimeUrls {
  baseUrl: string;
  mongoUri: string;
  dynamoEndpoint: string;
}

export interface Runtime {
  child: ChildProcess;
  /** Resolves with the URLs once the stack is up; rejects if the process ends first. */
  ready: Promise<RuntimeUrls>;
  /** Resolves when the process has ended. */
  exited: Promise<void>;
  /** The end of its stderr, for failure messages. */
  stderr(): string;
  kill(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../fixtures/crash-child.ts', import.meta.url));
export const JWT_SECRET = 'crash-test-jwt-secret-0123456789abcdefghijklmnop';
export const STAFF_PASSWORD = 'crash-test-password-1';

/**
 * Each bundled module keeps its own `import.meta.url` (the local runtime finds the handlers, the
 * containers' worker module and the web apps relative to its source files).
 */
const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/**
 * Left outside the child's bundle: native modules (classic-level, sharp), esbuild (it runs its own
 * binary; the containers' bundles are built with it), dynalite (it require()s its actions by computed
 * names) and the driver's optional modules (absent, required inside try/catch).
 */
const CHILD_EXTERNAL = ['classic-level', 'sharp', 'esbuild', 'dynalite', ...MONGODB_OPTIONAL_MODULES];
/** Runs the bundle with V8's code cache beside it. */
const LAUNCHER = fileURLToPath(new URL('./code-cached.cjs', import.meta.url));

let bundled: Promise<string> | undefined;

/** Builds the child's bundle (once per process; named by content, so parallel runs share the file). */
export function buildRuntime(): Promise<string> {
  bundled ??= bundleToCache('plato-crash-child', {
    entryPoints: [CHILD],
    plugins: [ownImportMetaUrl],
    packages: 'bundle',
    format: 'cjs', // V8 caches a script's compiled code (crash/code-cached.cjs), not an ES module's, on Node 20
    // import() of a package left outside (esbuild, sharp) becomes require(): Node 20 drops a script's
    // dynamic-import callback when the script comes from a code cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING).
    supported: { 'dynamic-import': false },
    external: CHILD_EXTERNAL,
    alias: { 'whatwg-url': WHATWG_URL_ALIAS, 'form-data': FORM_DATA_ALIAS },
    absWorkingDir: REPO_ROOT,
  });
  return bundled;
}

/** Starts the runtime on `dataDir` from the bundle `buildRuntime()` made. */
export function startRuntime(bundle: string, dataDir: string, options: { nodeArgs?: string[]; env?: Record<string, string> } = {}): Runtime {
  const env: NodeJS.ProcessEnv = { ...process.env, JWT_SECRET, DEMO_PASSWORD: STAFF_PASSWORD, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env };
  delete env.MONGODB_URI; // always the embedded server on the data directory
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), LAUNCHER, bundle, dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (chunk) => (err = (err + chunk).slice(-4000)));
  // CRASH_LOG=file: every child's output, whole, for a failure the last 4,000 characters do not explain.
  const log = process.env.CRASH_LOG;
  if (log) for (const [name, stream] of [['err', child.stderr!], ['out', child.stdout!]] as const) stream.on('data', (chunk) => appendFileSync(log, `[${child.pid} ${name} ${dataDir}] ${chunk}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<RuntimeUrls>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice(6)) as RuntimeUrls);
    });
    void exited.then(() => reject(new Error(`the runtime ended before it was ready (exit ${child.exitCode ?? child.signalCode}):\n${err}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    exited,
    stderr: () => err,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
