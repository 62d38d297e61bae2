/**
 * The setup task on a kept data directory runs once per version (local/setup-once.ts): a restart
 * with the same code and settings skips it, a changed setting or source file runs it again. The demo
 * logins are rewritten only when they no longer match the password. The runtime runs as a child
 * process (one local stack per process), as in the crash test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_RECORD_COLLECTION, setupVersion } from '../../local/setup-once.ts';
import { buildRuntime, startRuntime, type Runtime } from './crash/runtime.ts';

const dirs: string[] = [];
const temporaryDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
let bundle = '';
beforeAll(async () => {
  bundle = await buildRuntime();
}, 60_000);
const running = new Set<Runtime>();
afterAll(async () => {
  await Promise.all([...running].map((r) => r.kill()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('setupVersion', () => {
  it('changes with a source file and with a setting, not with what differs on every start', async () => {
    const codeDir = temporaryDir('plato-setup-code-');
    mkdirSync(path.join(codeDir, 'handlers'));
    writeFileSync(path.join(codeDir, 'handlers', 'setup.ts'), 'export const setup = () => 1;\n');
    const env = { RESTAURANT_NAME: 'A', DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567', JWT_SECRET: 'x'.repeat(40), _: '/usr/bin/npm' };
    const base = await setupVersion(codeDir, env);
    expect(await setupVersion(codeDir, { ...env, DYNAMODB_ENDPOINT: 'http://127.0.0.1:9999', JWT_SECRET: 'y'.repeat(40), _: '/usr/bin/node' })).toBe(base);
    expect(await setupVersion(codeDir, { ...env, RESTAURANT_NAME: 'B' })).not.toBe(base);
    writeFileSync(path.join(codeDir, 'handlers', 'setup.ts'), 'export const setup = () => 2;\n');
    expect(await setupVersion(codeDir, env)).not.toBe(base);
  });
});

describe('the local runtime restarted on a kept data directory', () => {
  /** Starts the runtime, reads what the checks need, kills it. */
  async function run(dataDir: string, env?: Record<string, string>) {
    const runtime = startRuntime(bundle, dataDir, { env });
    running.add(runtime);
    const urls = await runtime.ready;
    const client = new MongoClient(urls.mongoUri);
    try {
      const db = client.db(process.env.MONGODB_DB || 'plato');
      return {
        record: await db.collection<{ _id: string; version: string; appliedAt: Date }>(SETUP_RECORD_COLLECTION).findOne({ _id: 'setup' }),
        logins: (await db.collection('users').find({}, { projection: { username: 1, passwordHash: 1, updatedAt: 1 } }).sort({ username: 1 }).toArray()).map(
          (user) => `${user.username} ${user.passwordHash} ${user.updatedAt.toISOString()}`,
        ),
      };
    } finally {
      await client.close();
      await runtime.kill();
      running.delete(runtime);
    }
  }

  it('runs setup on the first start, skips it on a restart, runs it again when a setting changed', async () => {
    const dataDir = temporaryDir('plato-setup-once-');
    const first = await run(dataDir);
    expect(first.record?.version).toMatch(/^[0-9a-f]{64}$/);
    expect(first.logins).toHaveLength(4);

    const second = await run(dataDir);
    expect(second.record).toEqual(first.record); // not applied again
    expect(second.logins).toEqual(first.logins); // same password: not rewritten

    const renamed = await run(dataDir, { RESTAURANT_NAME: 'Renamed Kitchen', DEMO_PASSWORD: 'another-password-2' });
    expect(renamed.record!.version).not.toBe(first.record!.version);
    expect(renamed.record!.appliedAt.getTime()).toBeGreaterThan(first.record!.appliedAt.getTime());
    expect(renamed.logins).not.toEqual(first.logins); // a new password: rewritten
  }, 120_000);
});
