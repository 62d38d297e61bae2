/**
 * CPU per push: the AWS SDK's ApiGatewayManagementApiClient (as functions/realtime/push.ts used it
 * before #18: one client, maxAttempts 2) against the lean signed call that replaced it
 * (functions/realtime/management-api.ts), both posting to the local gateway's @connections API.
 *
 * The runtime runs in a child process and the receiving sockets in another, so this process's CPU
 * time (process.cpuUsage, user + system) is the pushing side's alone, as a Lambda is billed for it.
 * Rounds alternate the two clients (paired), each round `pushes` posts of a ~1 KB kitchen ticket
 * to `sockets` sockets with push.ts's concurrency; medians with min–max over the rounds, and the
 * median of the per-round ratios.
 *
 *   npx tsx bench/push.ts [--rounds=5] [--pushes=2000]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { managementApi } from '../functions/realtime/management-api.ts';
import { startStackProcess } from './lib/stack-process.ts';
import { median } from './lib/stats.ts';
import { formatTable } from './lib/table.ts';

const PASSWORD = 'plato-bench-password-1';
const REGION = 'ap-south-1';
const CONCURRENCY = 32;

export interface PushBenchResult {
  rounds: number;
  pushes: number;
  sockets: number;
  sdk: { cpuUsPerPush: number[]; msPerPush: number[] };
  lean: { cpuUsPerPush: number[]; msPerPush: number[] };
  /** lean / sdk CPU per push, per round. */
  ratios: number[];
}

/** The receiving phones and tablets: another process, which reads and drops every message. */
const SOCKETS_CHILD = `
import WebSocket from 'ws';
const urls = JSON.parse(process.argv[1]);
const ids = await Promise.all(urls.map((url) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url);
  ws.on('open', () => ws.send(JSON.stringify({ action: 'sync' })));
  ws.on('message', (data) => { const m = JSON.parse(String(data)); if (m.type === 'sync') resolve(m.connectionId); });
  ws.on('error', reject);
})));
process.stdout.write(JSON.stringify({ ids }) + '\\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

/** One socket per URL (each URL carries its own tablet's sign-in). */
async function openSockets(urls: readonly string[]): Promise<{ ids: string[]; close: () => void }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SOCKETS_CHILD, JSON.stringify(urls)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sockets child exited with ${code}`)));
  });
  return { ids: (JSON.parse(line) as { ids: string[] }).ids, close: () => child.kill() };
}

async function pushAll(ids: readonly string[], pushes: number, post: (id: string, data: Buffer) => Promise<unknown>, data: Buffer) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < pushes) {
        const id = ids[next++ % ids.length];
        await post(id, data);
      }
    }),
  );
}

export async function runPushBench(options: { rounds?: number; pushes?: number; sockets?: number } = {}): Promise<PushBenchResult> {
  const rounds = options.rounds ?? 5;
  const pushes = options.pushes ?? 2000;
  const socketCount = options.sockets ?? 20;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const stack = await startStackProcess({ demoPassword: PASSWORD, env: { LOG_LEVEL: 'ERROR', POWERTOOLS_LOG_LEVEL: 'ERROR' } });
  let sockets: { ids: string[]; close: () => void } | undefined;
  try {
    // Each tablet signs in itself: one sign-in holds at most 5 sockets (#15), the oldest closed past that.
    const urls: string[] = [];
    for (let i = 0; i < socketCount; i++) {
      const login = await fetch(`${stack.baseUrl}/api/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'kitchen', password: PASSWORD }),
      });
      const { token } = (await login.json()) as { token: string };
      urls.push(`${stack.wsUrl}?channel=kitchen&token=${encodeURIComponent(token)}`);
    }
    sockets = await openSockets(urls);
    const endpoint = new URL(stack.baseUrl).origin;
    const sdkClient = new ApiGatewayManagementApiClient({ endpoint, region: REGION, maxAttempts: 2 });
    const lean = managementApi(endpoint, REGION, CONCURRENCY);
    const clients = {
      sdk: (id: string, data: Buffer) => sdkClient.send(new PostToConnectionCommand({ ConnectionId: id, Data: data }), { abortSignal: AbortSignal.timeout(2000) }),
      lean: (id: string, data: Buffer) => lean.post(id, data, AbortSignal.timeout(2000)),
    };
    // A kitchen ticket of five dishes, about the size pushes carry.
    const ticket = {
      type: 'kitchen.ticket',
      ticket: {
        orderId: '6750a1b2c3d4e5f601234567',
        orderNumber: 'A-042',
        table: { number: 'T-12', floor: 1 },
        orderDate: new Date().toISOString(),
        items: Array.from({ length: 5 }, (_, index) => ({ index, name: `Dish number ${index}`, quantity: 2, modifiers: ['Large'], notes: 'less oil', station: 'GRILL', itemStatus: 'NEW' })),
        status: 'confirmed',
        updatedAt: new Date().toISOString(),
      },
    };
    const data = Buffer.from(JSON.stringify(ticket));
    for (const post of Object.values(clients)) await pushAll(sockets.ids, 200, post, data); // warm both

    const result: PushBenchResult = { rounds, pushes, sockets: socketCount, sdk: { cpuUsPerPush: [], msPerPush: [] }, lean: { cpuUsPerPush: [], msPerPush: [] }, ratios: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['sdk', 'lean'] as const) : (['lean', 'sdk'] as const);
      const cpu: Record<string, number> = {};
      for (const name of order) {
        const startedCpu = process.cpuUsage();
        const started = performance.now();
        await pushAll(sockets.ids, pushes, clients[name], data);
        const ms = performance.now() - started;
        const used = process.cpuUsage(startedCpu);
        cpu[name] = (used.user + used.system) / pushes;
        result[name].cpuUsPerPush.push(cpu[name]);
        result[name].msPerPush.push(ms / pushes);
      }
      result.ratios.push(cpu.lean / cpu.sdk);
    }
    return result;
  } finally {
    sockets?.close();
    await stack.stop();
  }
}

const spread = (values: number[], digits = 1) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

export function printPush(r: PushBenchResult): string {
  return [
    `CPU per push, this process only (${r.rounds} paired rounds × ${r.pushes} posts to ${r.sockets} sockets, concurrency ${CONCURRENCY}; median (min–max))`,
    formatTable(
      ['client', 'CPU µs per push', 'wall ms per push'],
      [
        ['AWS SDK ApiGatewayManagementApiClient (before)', spread(r.sdk.cpuUsPerPush), spread(r.sdk.msPerPush, 3)],
        ['lean signed call, keep-alive (now)', spread(r.lean.cpuUsPerPush), spread(r.lean.msPerPush, 3)],
      ],
    ),
    `lean / SDK CPU per push: ${spread(r.ratios, 2)} (target ≤ 0.5)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const result = await runPushBench({ rounds: arg('rounds') ? Number(arg('rounds')) : undefined, pushes: arg('pushes') ? Number(arg('pushes')) : undefined });
  console.log(printPush(result));
  process.exit(0);
}
