/**
 * esbuild bundles cached in node_modules/.cache/<name>, named by their content: an unchanged bundle
 * is written once, and parallel test processes share the same file (written under a temporary name,
 * then renamed, so no process ever loads a half-written one). The bundles stay inside the
 * repository so their bare imports (mongodb, the AWS SDK) resolve from node_modules.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Bundles `options` (an ESM bundle for Node with packages left external) and returns the cached file's path. */
export async function bundleToCache(cacheName: string, options: BuildOptions): Promise<string> {
  const result = await build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent', ...options, write: false });
  const code = result.outputFiles[0].contents;
  const directory = path.join(REPO_ROOT, 'node_modules', '.cache', cacheName);
  const file = path.join(directory, `${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    await mkdir(directory, { recursive: true });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, code);
    await rename(temporary, file);
  }
  return file;
}
