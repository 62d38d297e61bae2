/**
 * The one test that bundles for real: synthesizes Plato-demo with esbuild and checks every function
 * bundle against its budgets (bench/bundles.ts prints the same figures as a report).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionGroups } from '../../functions/routes.ts';
import { buildApp, PROJECT_ROOT } from '../../lib/app.ts';
import { ESM_REQUIRE_BANNER, WHATWG_URL_ALIAS } from '../../lib/functions.ts';
import { BUNDLE_BUDGET_BYTES, NATIVE_BUDGET_BYTES, budgetProblems, bundleReports, kb, type BundleReport } from '../../bench/bundle-report.ts';

let outdir: string;
let reports: BundleReport[];

// Synth must need no network: every npm the bundling might start finds an empty cache, offline, and a
// registry nobody listens on (the bundling's commands inherit this environment).
const NO_NETWORK = { npm_config_offline: 'true', npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: '' };
const savedEnv: Record<string, string | undefined> = {};

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'plato-bundles-'));
  for (const [name, value] of Object.entries({ ...NO_NETWORK, npm_config_cache: path.join(outdir, 'empty-npm-cache') })) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
  const { app } = buildApp({ outdir, webDistDir: path.join(outdir, 'no-web-dist'), context: { restaurant: 'demo', deployStamp: 'test' } });
  app.synth();
  reports = bundleReports(outdir, 'Plato-demo');
}, 600_000);

afterAll(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(outdir, { recursive: true, force: true });
});

describe('function bundles', () => {
  it('exist for every function group, as minified ESM with source maps', () => {
    expect(reports.map((r) => r.key).sort()).toEqual([...functionGroups().keys()].sort());
    for (const report of reports) {
      const code = readFileSync(path.join(report.assetDir, 'index.mjs'), 'utf8');
      expect(code.startsWith(ESM_REQUIRE_BANNER), report.key).toBe(true);
      expect(code, report.key).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      // Nearly all of it on very long lines. (Not the mean line length: in a small bundle the banner, the
      // source-map comment, license comments and zod's multi-line code templates outnumber the code lines.)
      const onLongLines = code.split('\n').filter((line) => line.length > 1000).reduce((sum, line) => sum + line.length, 0);
      expect(onLongLines / code.length, `${report.key} is minified`).toBeGreaterThan(0.9);
      // The map cut down to our own code by the afterBundling hook (lib/bundling/own-source-map.cjs).
      const map = JSON.parse(readFileSync(path.join(report.assetDir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      expect(map.sources.filter((source) => source.includes('node_modules')), report.key).toEqual([]);
      expect(map.sources.some((source) => source.includes('functions/')), report.key).toBe(true);
    }
  });

  it('bundle the AWS SDK inside every function but the resize one (env credentials only), and leave the driver optional modules external', () => {
    for (const report of reports) {
      const sdkPackages = Object.keys(report.packages).filter((name) => name.startsWith('@aws-sdk/'));
      // Bundled measured faster to import than the runtime's copy (lib/bundling/options.ts externalModulesFor).
      if (report.spec.needs.media === 'resize') expect(sdkPackages, report.key).toEqual([]);
      else {
        expect(sdkPackages, report.key).toEqual(expect.arrayContaining(['@aws-sdk/core', '@aws-sdk/credential-provider-env']));
        if (report.spec.needs.tables.length) expect(sdkPackages, report.key).toEqual(expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']));
      }
      // Lambda gives credentials in the environment: the default chain's other links stay out (lib/bundling/aws-env-credentials.ts).
      for (const unused of ['@aws-sdk/credential-provider-node', '@aws-sdk/credential-provider-ini', '@aws-sdk/credential-provider-sso', '@aws-sdk/credential-provider-process', '@aws-sdk/credential-provider-web-identity', '@aws-sdk/nested-clients', '@smithy/credential-provider-imds']) {
        expect(report.packages[unused], `${report.key} bundles ${unused}`).toBeUndefined();
      }
      for (const optional of ['kerberos', 'snappy', 'socks', 'mongodb-client-encryption', '@mongodb-js/zstd', 'gcp-metadata', 'whatwg-url', 'tr46']) {
        expect(report.packages[optional], `${report.key} bundles ${optional}`).toBeUndefined();
      }
    }
  });

  it('load Node built-ins through process.getBuiltinModule, never as ES module imports (whose facade runs every lazy getter)', () => {
    for (const report of reports) {
      const code = readFileSync(path.join(report.assetDir, 'index.mjs'), 'utf8');
      const builtinImports = [...code.matchAll(/\bfrom\s*["'](node:[\w/]+|(?:http|https|crypto|stream|zlib|net|fs|os|path|util|tls|buffer|events)(?:\/\w+)?)["']/g)].map((m) => m[1]);
      expect([...new Set(builtinImports)], report.key).toEqual([]);
    }
  });

  it(`stay within budget: at most ${kb(BUNDLE_BUDGET_BYTES)} each, and no mongodb driver in a function none of whose routes needs MongoDB`, () => {
    const problems = budgetProblems(reports).map(({ key, problem }) => `${key}: ${problem}`);
    expect(problems).toEqual([]);
  });

  it('carry sharp for linux-arm64 (from its lockfile, with no network) beside the resize function only, its native library counted apart from the JS budget', () => {
    for (const report of reports) {
      const hasSharp = existsSync(path.join(report.assetDir, 'node_modules', 'sharp'));
      expect(hasSharp, report.key).toBe(report.spec.needs.media === 'resize');
      if (!hasSharp) {
        expect(report.nativeBytes, report.key).toBe(0);
        continue;
      }
      expect(report.packages.sharp, 'sharp stays out of the esbuild bundle').toBeUndefined();
      const addonDir = path.join(report.assetDir, 'node_modules', '@img', 'sharp-linux-arm64', 'lib');
      const addon = readdirSync(addonDir).find((name) => name.endsWith('.node'))!;
      // ELF e_machine 183 = AArch64: the build for the function's architecture, not this machine's.
      expect(readFileSync(path.join(addonDir, addon)).readUInt16LE(18)).toBe(183);
      expect(existsSync(path.join(report.assetDir, 'node_modules', '@img', 'sharp-libvips-linux-arm64'))).toBe(true);
      expect(existsSync(path.join(report.assetDir, 'node_modules', '@img', 'sharp-linux-x64'))).toBe(false);
      console.log(`${report.key}: ${kb(report.bytes)} JS, ${kb(report.nativeBytes)} native packages (budget ${kb(NATIVE_BUDGET_BYTES)})`);
      expect(report.nativeBytes).toBeLessThanOrEqual(NATIVE_BUDGET_BYTES);
    }
  });

  it('never bundle the mongodb driver into a function whose route-table needs say it does not use MongoDB', () => {
    const offenders = reports.filter((r) => !r.spec.needs.mongo && r.mongodbBytes > 0).map((r) => `${r.key} (${kb(r.mongodbBytes)})`);
    expect(offenders).toEqual([]);
  });
});

describe('whatwg-url bundled as the built-in URL', () => {
  // Bundle the driver's connection-string parser with and without the alias and parse the same URIs.
  const bundleParser = async (alias: boolean) => {
    const result = await build({
      stdin: { contents: "export { default as ConnectionString } from 'mongodb-connection-string-url';", resolveDir: PROJECT_ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      absWorkingDir: PROJECT_ROOT,
      alias: alias ? { 'whatwg-url': WHATWG_URL_ALIAS } : {},
      logLevel: 'silent',
    });
    const module = { exports: {} as { ConnectionString: new (uri: string) => any } };
    new Function('module', 'exports', 'require', result.outputFiles![0].text)(module, module.exports, require);
    return module.exports.ConnectionString;
  };

  it('parses connection strings exactly as the whatwg-url package does', async () => {
    const [native, packaged] = await Promise.all([bundleParser(true), bundleParser(false)]);
    const uris = [
      'mongodb+srv://plato:p%40ss%3Aword@cluster0.abcde.mongodb.net/plato?retryWrites=true&w=majority&appName=Plato',
      'mongodb://user:pw@host-a:27017,host-b:27018,[::1]:27019/db?replicaSet=rs0&authSource=admin&tls=true',
      'mongodb://127.0.0.1:27017/?directConnection=true',
      'mongodb://localhost/plato?readPreference=secondaryPreferred&maxPoolSize=10',
      'mongodb+srv://cluster0.ünïcode.example/db',
    ];
    const view = (cs: any) => ({
      text: cs.toString(),
      hosts: cs.hosts,
      username: cs.username,
      password: cs.password,
      pathname: cs.pathname,
      search: [...cs.searchParams.entries()],
      redacted: cs.redact().toString(),
    });
    for (const uri of uris) expect(view(new native(uri)), uri).toEqual(view(new packaged(uri)));
    for (const bad of ['http://host/db', 'mongodb://', 'mongodb://user@:pass@host', 'REPLACE_WITH_MONGODB_ATLAS_URI']) {
      expect(() => new native(bad), bad).toThrow();
      expect(() => new packaged(bad), bad).toThrow();
    }
  });
});
