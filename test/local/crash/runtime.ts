/**
 * The local runtime as a child process on a data directory, for the crash test: start it, read its
 * URLs from the `READY {json}` line, SIGKILL it. See test/local/crash-safety.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RuntimeUrls {
  baseUrl: string;
  mongoUri: string;
  dynamoEndpoint: string;
}

export interface Runtime {
  child: ChildProcess;
  /** Resolves with the URLs once the stack is up; rejects if the process ends first. */
  ready: Promise<RuntimeUrls>;
  /** Resolves when the process has ended. */
  exited: Promise<void>;
  /** The end of its stderr, for failure messages. */
  stderr(): string;
  kill(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../fixtures/crash-child.ts', import.meta.url));
export const JWT_SECRET = 'crash-test-jwt-secret-0123456789abcdefghijklmnop';
export const STAFF_PASSWORD = 'crash-test-password-1';

export function startRuntime(dataDir: string): Runtime {
  const env: NodeJS.ProcessEnv = { ...process.env, JWT_SECRET, DEMO_PASSWORD: STAFF_PASSWORD, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env.MONGODB_URI; // always the embedded server on the data directory
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (chunk) => (err = (err + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<RuntimeUrls>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) resolve(JSON.parse(line.slice(6)) as RuntimeUrls);
    });
    void exited.then(() => reject(new Error(`the runtime ended before it was ready (exit ${child.exitCode ?? child.signalCode}):\n${err}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    exited,
    stderr: () => err,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
