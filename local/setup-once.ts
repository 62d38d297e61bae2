/**
 * The `setup` task once per version on a kept data directory. AWS runs setup once per deploy, not
 * on every cold start; a restart of the local runtime on a data directory where the same setup
 * already ran (same code, same settings) need not run it again, and skips its container's cold start.
 *
 * The version is a hash of what setup's result depends on: the source files of the functions (the
 * directory holding the handlers) and the environment the functions get, less what differs on every
 * start (endpoints on fresh ports, random secrets). It is recorded in the same MongoDB database
 * setup writes, after setup succeeded: the record survives, and is lost, exactly with what setup wrote.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { database } from '../functions/data/mongo.ts';

/** A local-only collection: the functions never read it. */
export const SETUP_RECORD_COLLECTION = 'plato_local_setup';
const RECORD_ID = 'setup';

interface SetupRecord {
  _id: string;
  version: string;
  appliedAt: Date;
}

/** The shell's own bookkeeping, which changes with how the runtime was launched. */
const SHELL_VARIABLES = new Set(['_', 'OLDPWD', 'SHLVL']);

/** URLs with a port (the stack's endpoints, on fresh ports each start), secrets (random unless set), the shell's bookkeeping. */
const differsEachStart = (name: string, value: string): boolean =>
  /:\/\/[^/\s]+:\d+/.test(value) || /SECRET|TOKEN|PASSWORD|KEY/.test(name) || SHELL_VARIABLES.has(name);

export async function setupVersion(codeDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(codeDir, { recursive: true }))
    .filter((file) => /\.[cm]?[jt]s$/.test(file) && !file.split(path.sep).includes('node_modules'))
    .sort();
  for (const file of files) hash.update(`${file}\0`).update(await readFile(path.join(codeDir, file))).update('\0');
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (value !== undefined && !differsEachStart(name, value)) hash.update(`${name}=${value}\0`);
  }
  return hash.digest('hex');
}

/**
 * Runs `setup` unless the database records that this version of it already ran. Returns whether it
 * ran. A crash between setup and the record only means setup runs again next time (it is idempotent).
 */
export async function runSetupOnce(setup: () => Promise<void>, codeDir: string): Promise<boolean> {
  const version = await setupVersion(codeDir);
  const records = (await database()).collection<SetupRecord>(SETUP_RECORD_COLLECTION);
  if ((await records.findOne({ _id: RECORD_ID }))?.version === version) return false;
  await setup();
  await records.updateOne({ _id: RECORD_ID }, { $set: { version, appliedAt: new Date() } }, { upsert: true });
  return true;
}
