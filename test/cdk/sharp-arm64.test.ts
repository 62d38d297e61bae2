/**
 * The media function's linux-arm64 sharp comes from a lockfile (lib/bundling/sharp.ts), installed by
 * `npm ci`'s postinstall: checked here without synthesizing (bundles.test.ts bundles it offline).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/app.ts';
import { SHARP_ARM64_DIR, SHARP_ARM64_INSTALL, sharpArm64Modules, sharpVersion } from '../../lib/bundling/sharp.ts';

type Lock = { packages: Record<string, { version?: string; integrity?: string; dependencies?: Record<string, string> }> };
const readJson = <T>(...parts: string[]) => JSON.parse(readFileSync(path.join(...parts), 'utf8')) as T;
const rootLock = readJson<Lock>(PROJECT_ROOT, 'package-lock.json');
const arm64Lock = readJson<Lock>(PROJECT_ROOT, SHARP_ARM64_DIR, 'package-lock.json');

describe('sharp for linux-arm64', () => {
  it('is installed by `npm ci` itself (the root postinstall), for Linux arm64 glibc whatever the machine', () => {
    const pkg = readJson<{ scripts: Record<string, string> }>(PROJECT_ROOT, 'package.json');
    expect(pkg.scripts.postinstall).toBe(SHARP_ARM64_INSTALL);
    expect(SHARP_ARM64_INSTALL).toMatch(/^npm ci .*--os=linux --cpu=arm64 --libc=glibc/);
  });

  it('is pinned by its lockfile at the root sharp version, with the same integrity hashes as the root lockfile', () => {
    const version = sharpVersion(PROJECT_ROOT);
    expect(arm64Lock.packages['']?.dependencies).toEqual({ sharp: version });
    for (const name of ['sharp', '@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64']) {
      const pinned = arm64Lock.packages[`node_modules/${name}`];
      expect(pinned?.integrity, name).toMatch(/^sha512-/);
      expect(pinned, name).toEqual(expect.objectContaining({ version: rootLock.packages[`node_modules/${name}`]?.version, integrity: rootLock.packages[`node_modules/${name}`]?.integrity }));
    }
    expect(arm64Lock.packages['node_modules/sharp']?.version).toBe(version);
  });

  it('is installed here: the arm64 addon (ELF machine AArch64) and libvips, no other platform', () => {
    const modules = sharpArm64Modules(PROJECT_ROOT);
    const addonDir = path.join(modules, '@img', 'sharp-linux-arm64', 'lib');
    const addon = readdirSync(addonDir).find((name) => name.endsWith('.node'));
    expect(addon).toBeDefined();
    expect(readFileSync(path.join(addonDir, addon!)).readUInt16LE(18)).toBe(183);
    expect(readJson<{ version: string }>(modules, '@img', 'sharp-libvips-linux-arm64', 'package.json').version).toBe(
      rootLock.packages['node_modules/@img/sharp-libvips-linux-arm64']?.version,
    );
    const img = readdirSync(path.join(modules, '@img'));
    expect(img.filter((name) => name.startsWith('sharp-') && !name.endsWith('linux-arm64'))).toEqual([]);
  });
});
