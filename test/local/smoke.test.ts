/**
 * The post-deploy smoke check (bin/smoke.ts, `npm run smoke`) against the local runtime, behind a
 * CloudFront stand-in (test/support/cloudfront.ts) with origin verification on: every check passes
 * through the "distribution", and the stack's own address, playing the execute-api URLs, refuses
 * requests without the origin header. Then the script itself, run as the devops lead runs it,
 * against the bare runtime (no security headers, no origin check): it reports the failures and exits 1.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke } from '../../bin/smoke.ts';
import { startDistribution, type Distribution } from '../support/cloudfront.ts';
import { startTestStack, TEST_PASSWORD, type TestStack } from '../support/stack.ts';

const ORIGIN_VERIFY = 'smoke-test-origin-verify-value-0123456789';
let t: TestStack;
let distribution: Distribution;
let webRoot: string;

beforeAll(async () => {
  // The built apps are not part of `npm test`: three pages stand in for web/dist.
  webRoot = await mkdtemp(path.join(tmpdir(), 'plato-smoke-web-'));
  for (const app of ['', 'kitchen', 'staff']) {
    await mkdir(path.join(webRoot, app), { recursive: true });
    await writeFile(path.join(webRoot, app, 'index.html'), `<!doctype html><title>${app || 'diner'}</title>`);
  }
  t = await startTestStack({ webRoot, env: { ORIGIN_VERIFY_SECRET: ORIGIN_VERIFY } });
  distribution = await startDistribution(t.baseUrl, ORIGIN_VERIFY);
});

afterAll(async () => {
  await distribution?.stop();
  await t?.stop();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

describe('npm run smoke', () => {
  it('passes every check through the distribution, with the execute-api addresses refusing direct requests', async () => {
    const results = await runSmoke({
      url: distribution.url,
      username: 'manager',
      password: TEST_PASSWORD,
      httpApiUrl: t.baseUrl,
      wsApiUrl: t.wsUrl,
    });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual([
      'health',
      'config.json',
      'menu, ETag and 304',
      'diner page and its security headers',
      'kitchen page and its security headers',
      'staff page and its security headers',
      'WebSocket refused without credentials',
      'WebSocket accepted with a staff login',
      'execute-api refuses requests without the origin header',
    ]);
    expect(results.some((r) => r.skipped)).toBe(false);
  }, 120_000); // about ten requests, several of them a function group's cold start

  it('prints one line per check and exits 1 when checks fail (the bare runtime: no CloudFront headers, a wrong password)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/smoke.ts', '--url', t.baseUrl, '--username', 'manager', '--http-api-url', distribution.url], {
      env: { ...process.env, STAFF_PASSWORD: 'not-the-password' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = output.trim().split('\n').filter((line) => /^(ok|FAIL|SKIP)\s/.test(line));
    expect(code, output).toBe(1);
    expect(lines).toHaveLength(9);
    // Direct to the runtime without the origin header: refused, so health and the menu fail too.
    expect(lines.filter((line) => line.startsWith('FAIL')).map((line) => line.split(':')[0].replace(/^FAIL\s+/, ''))).toEqual(
      expect.arrayContaining(['health', 'diner page and its security headers', 'WebSocket accepted with a staff login', 'execute-api refuses requests without the origin header']),
    );
    expect(output).toMatch(/smoke: \d+ of 9 checks failed/);
  }, 120_000);
});
