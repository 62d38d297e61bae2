/**
 * esbuild bundles cached in node_modules/.cache/<name>, named by their content: an unchanged bundle
 * is written once, and parallel test processes share the same file (written under a temporary name,
 * then renamed, so no process ever loads a half-written one). The bundles stay inside the
 * repository so their bare imports (mongodb, the AWS SDK) resolve from node_modules.
 *
 * Each build also leaves a manifest: the options it was built from and every input file's size and
 * mtime. While none of those changed, the next call returns the bundle without running esbuild: a
 * restart of the local runtime (the crash test restarts it ~50 times) then spends no build on its
 * containers.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Manifest {
  file: string;
  /** Absolute input path -> [size, mtimeMs]. */
  inputs: Record<string, [number, number]>;
}

const stamp = (file: string): [number, number] | undefined => {
  try {
    const stat = statSync(file);
    return [stat.size, stat.mtimeMs];
  } catch {
    return undefined;
  }
};

/** The bundle a manifest names, if it exists and none of its inputs changed since. */
function upToDate(manifestPath: string): string | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (!existsSync(manifest.file)) return undefined;
  for (const [input, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
    const now = stamp(input);
    if (!now || now[0] !== size || now[1] !== mtimeMs) return undefined;
  }
  return manifest.file;
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

/** Bundles `options` (an ESM bundle for Node with packages left external unless the options say otherwise) and returns the cached file's path. */
export async function bundleToCache(cacheName: string, options: BuildOptions): Promise<string> {
  const directory = path.join(REPO_ROOT, 'node_modules', '.cache', cacheName);
  const workingDir = options.absWorkingDir ?? process.cwd();
  const key = JSON.stringify({ ...options, plugins: options.plugins?.map((p) => p.name), workingDir });
  const manifestPath = path.join(directory, `manifest-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`);
  const cached = upToDate(manifestPath);
  if (cached) return cached;

  const started = Date.now();
  // Loaded only to build: a start whose bundles are all up to date spends nothing on esbuild's module.
  const { build } = await import('esbuild');
  const result = await build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent', ...options, metafile: true, write: false });
  const code = result.outputFiles[0].contents;
  const file = path.join(directory, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.${options.format === 'cjs' ? 'cjs' : 'mjs'}`);
  await mkdir(directory, { recursive: true });
  if (!existsSync(file)) await writeAtomically(file, code);
  const inputs: Manifest['inputs'] = {};
  for (const input of Object.keys(result.metafile!.inputs)) {
    const now = stamp(path.resolve(workingDir, input));
    if (!now) continue; // <stdin> (its contents are part of the key), or a module esbuild left out ("(disabled):…")
    if (now[1] >= started) return file; // changed while it was being built: no manifest, build again next time
    inputs[path.resolve(workingDir, input)] = now;
  }
  await writeAtomically(manifestPath, JSON.stringify({ file, inputs } satisfies Manifest));
  return file;
}
