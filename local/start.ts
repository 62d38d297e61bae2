/**
 * `npm start`: the whole of Plato on this machine, no cloud account needed.
 *
 *   PORT (3000), HOST (127.0.0.1; 0.0.0.0 to let phones on the LAN in), MONGODB_URI (else the
 *   embedded server), MONGODB_DB (plato), DATA_DIR or --data-dir DIR (keep DynamoDB and the embedded
 *   MongoDB's data there; in memory otherwise), DEMO_PASSWORD (else a random one, printed),
 *   LAMBDA_IDLE_SECONDS (300: a function container idle this long is reaped, as Lambda does) and
 *   LAMBDA_MAX_CONTAINERS (8 per function group; past that, requests wait).
 */
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { startLocalStack, type LocalStack } from './stack.ts';
import { terminalQr } from './terminal-qr.ts';

function fail(message: string): never {
  console.error(`\nPlato could not start: ${message}\n`);
  process.exit(1);
}

function options() {
  let args;
  try {
    args = parseArgs({ options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    console.log('Usage: npm start [-- --data-dir DIR]\nEnvironment: PORT, HOST, MONGODB_URI, MONGODB_DB, DATA_DIR, DEMO_PASSWORD, LAMBDA_IDLE_SECONDS, LAMBDA_MAX_CONTAINERS');
    process.exit(0);
  }
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, not "${process.env.PORT}"`);
  const dataDir = args['data-dir'] ?? (process.env.DATA_DIR || undefined);
  const positive = (name: string, fallback: number) => {
    const value = Number(process.env[name] || fallback);
    if (!(value > 0)) fail(`${name} must be a positive number, not "${process.env[name]}"`);
    return value;
  };
  const containers = { idleMs: positive('LAMBDA_IDLE_SECONDS', 300) * 1000, maxPerGroup: Math.ceil(positive('LAMBDA_MAX_CONTAINERS', 8)) };
  return { port, host: process.env.HOST || '127.0.0.1', dataDir: dataDir ? path.resolve(dataDir) : undefined, containers };
}

const isLoopback = (host: string) => host === 'localhost' || host.startsWith('127.') || host === '::1';

/** The address phones on the same network can reach, when listening on every interface. */
function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return address.address;
  }
  return undefined;
}

async function main(): Promise<void> {
  const { port, host, dataDir, containers } = options();
  // Node 20 is the supported local runtime (Lambda runs 22): the SDK's upgrade notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const env: Record<string, string> = {};
  // Phones reach a LAN address over plain http, where browsers drop Secure cookies.
  if (!isLoopback(host) && !process.env.COOKIE_SECURE) env.COOKIE_SECURE = 'false';

  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      port,
      host,
      mongoDataDir: dataDir && path.join(dataDir, 'mongo'),
      dynamoDataDir: dataDir && path.join(dataDir, 'dynamodb'),
      mediaDataDir: dataDir && path.join(dataDir, 'media'),
      containers,
      env,
      // The guests' data retention and the payments reconciliation, as EventBridge runs them in AWS.
      schedules: true,
    });
  } catch (error) {
    fail((error as Error).message);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error('Stopping at once.');
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping Plato…`);
    try {
      await stack.stop();
      process.exit(0);
    } catch (error) {
      console.error('Could not stop cleanly:', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const lan = host === '0.0.0.0' || host === '::' ? lanAddress() : undefined;
  const base = lan ? `http://${lan}:${stack.port}` : stack.baseUrl;
  const seed = stack.seed!;
  const session = seed.demoSession;
  const { dinerLink } = await import('./seed.ts'); // loaded by the stack already
  const dinerUrl = dinerLink(base, session?.tableCode ?? seed.tables[0]?.code ?? '');

  const lines = [
    '',
    `Plato is running: ${seed.restaurant.name} (${seed.restaurant.restaurantId})`,
    '',
    `  Diner app     ${dinerUrl}`,
    `  Kitchen       ${base}/kitchen`,
    `  Staff         ${base}/staff`,
    `  API health    ${base}/api/health`,
  ];
  if (lan) lines.push(`  (this machine: ${stack.baseUrl})`);
  if (!existsSync(fileURLToPath(new URL('../web/dist/index.html', import.meta.url)))) {
    lines.push('', '  The web apps are not built: run `npm run build:web` (the API works without them).');
  }
  lines.push('', `Staff logins (password: ${stack.demoPassword})`);
  for (const { username, role } of seed.staff) lines.push(`  ${username.padEnd(10)} ${role}`);
  if (session) {
    lines.push('', `Demo table ${session.tableNumber} is open. PIN: ${session.pin}`, `  Scan to join: ${dinerUrl}`);
    const qr = await terminalQr(dinerUrl, process.stdout.isTTY);
    if (qr) lines.push(qr);
  }
  lines.push(
    dataDir ? `Data kept in ${dataDir}` : 'Data is in memory: set DATA_DIR (or --data-dir) to keep it between runs.',
    'Press Ctrl-C to stop.',
    '',
  );
  console.log(lines.join('\n'));
}

void main();
