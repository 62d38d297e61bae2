/**
 * sharp for the media function (Lambda: Linux, arm64, glibc), whatever machine synthesizes.
 *
 * sharp stays out of the esbuild bundle (it loads a native library) and is copied beside it from
 * lib/bundling/sharp-linux-arm64/node_modules. That folder has its own package.json and lockfile (exact
 * versions and integrity hashes of sharp, @img/sharp-linux-arm64 and @img/sharp-libvips-linux-arm64)
 * and is installed by the root `postinstall` with npm's `--os=linux --cpu=arm64 --libc=glibc`: the root
 * lockfile cannot carry them, as `npm ci` skips optional packages built for another platform, and
 * a required one would fail on every other machine. So synth needs no network and no npm cache, and
 * installs exactly what the lockfile pins.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

export const SHARP_ARM64_DIR = path.join('lib', 'bundling', 'sharp-linux-arm64');
export const SHARP_ARM64_INSTALL = `npm ci --prefix ${SHARP_ARM64_DIR} --os=linux --cpu=arm64 --libc=glibc --no-audit --no-fund`;

const readVersion = (file: string): string | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version : undefined;

/** sharp's version, pinned exactly in package.json. */
export const sharpVersion = (projectRoot: string): string => {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const version = pkg.dependencies.sharp;
  if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) throw new Error('package.json must pin sharp to an exact version');
  return version;
};

/** The installed linux-arm64 node_modules, checked against the root pin; a clear error when missing or stale. */
export const sharpArm64Modules = (projectRoot: string): string => {
  const modules = path.join(projectRoot, SHARP_ARM64_DIR, 'node_modules');
  const want = sharpVersion(projectRoot);
  const problem = (found: string) =>
    new Error(`${found}: the media function needs sharp ${want} for linux-arm64 there. Run \`npm ci\` (its postinstall runs \`${SHARP_ARM64_INSTALL}\`).`);
  const have = readVersion(path.join(modules, 'sharp', 'package.json'));
  if (have !== want) throw problem(have ? `${SHARP_ARM64_DIR} holds sharp ${have}` : `${SHARP_ARM64_DIR}/node_modules has no sharp`);
  if (!existsSync(path.join(modules, '@img', 'sharp-linux-arm64')) || !existsSync(path.join(modules, '@img', 'sharp-libvips-linux-arm64'))) {
    throw problem(`${SHARP_ARM64_DIR}/node_modules lacks @img/sharp-linux-arm64 or @img/sharp-libvips-linux-arm64`);
  }
  return modules;
};

/** Copies the installed linux-arm64 sharp beside the bundle: no npm, no network. */
export const sharpBundlingHooks = (projectRoot: string): ICommandHooks => {
  const modules = sharpArm64Modules(projectRoot);
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) => [
      `cp -R "${modules}" "${outputDir}/node_modules"`,
      `rm -rf "${outputDir}/node_modules/.package-lock.json" "${outputDir}/node_modules/.bin"`,
    ],
  };
};
