/**
 * The local runtime in a child process, so a bench's simulated clients (phones, tablets: in reality
 * other devices) do not share the server's event loop. The parent calls `startStackProcess`; this same
 * file, run as a script, is the child: it starts `startLocalStack` with the options it gets as JSON in
 * argv, prints one JSON line `{"stackReady": {baseUrl, wsUrl, mongoUri}}` on stdout and stops the stack
 * on SIGTERM/SIGINT or when its stdin closes (the parent died without killing it).
 *
 * The child inherits the environment, so MONGODB_URI (bench/run.ts sets one) reaches startLocalStack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface StackProcessOptions {
  demoPassword: string;
  /** Extra environment for the functions (startLocalStack's `env`). */
  env?: Record<string, string>;
  /** How long the child may take to start, ms. Default 120 s. */
  startTimeoutMs?: number;
}

export interface StackProcess {
  baseUrl: string;
  wsUrl: string;
  mongoUri?: string;
  pid: number;
  /** SIGTERM, then SIGKILL if the child has not exited after `graceMs` (default 15 s). Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

interface ReadyLine {
  stackReady: { baseUrl: string; wsUrl: string; mongoUri?: string };
}

const SCRIPT = fileURLToPath(import.meta.url);

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startStackProcess(options: StackProcessOptions): Promise<StackProcess> {
  // node --import tsx (not npx): one process, so the signals reach the stack itself. STACK_NODE_ARGS
  // adds Node flags to the child only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses those).
  const nodeArgs = process.env.STACK_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SCRIPT, JSON.stringify({ demoPassword: options.demoPassword, env: options.env ?? {} })], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  // Safety net: if this process exits without stop() (an uncaught error, process.exit), take the child along.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 15_000) =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, graceMs))) {
          child.kill('SIGKILL');
          await waitForExit(child, 5_000);
        }
      }
      child.stdin?.destroy();
      process.removeListener('exit', killOnExit);
    })());

  try {
    const ready = await new Promise<ReadyLine['stackReady']>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the stack process did not start in time')), options.startTimeoutMs ?? 120_000);
      const lines = createInterface({ input: child.stdout! });
      let started = false;
      lines.on('line', (line) => {
        if (!started && line.startsWith('{"stackReady"')) {
          started = true;
          clearTimeout(timer);
          resolve((JSON.parse(line) as ReadyLine).stackReady);
        } else {
          process.stderr.write(`[stack] ${line}\n`); // keep the bench's stdout for its own report
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!started) reject(new Error(`the stack process exited before it was ready (${signal ?? `code ${code}`})`));
      });
    });
    return { ...ready, pid: child.pid!, stop };
  } catch (error) {
    await stop(5_000);
    throw error;
  }
}

async function runChild(): Promise<void> {
  const { startLocalStack } = await import('../../local/stack.ts');
  const { demoPassword, env } = JSON.parse(process.argv[2] ?? '{}') as { demoPassword: string; env: Record<string, string> };
  const stack = await startLocalStack({ port: 0, quiet: true, demoPassword, env });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop().catch((error) => console.error('[stack-process] stop:', error));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.on('error', () => void stop());
  process.stdin.resume();
  const line: ReadyLine = { stackReady: { baseUrl: stack.baseUrl, wsUrl: stack.wsUrl, mongoUri: stack.mongoUri } };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runChild().catch((error) => {
    console.error('[stack-process] failed to start:', error);
    process.exit(1);
  });
}
