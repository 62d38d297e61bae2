// Standalone foreground start: `npm run mongo -- --port 27099 [--host 127.0.0.1] [--data-dir DIR] [--server-version 7.0|8.0]`
// (`--checkpoint-log-bytes N`: log size that starts a background checkpoint; tests use small ones).
import { parseArgs } from 'node:util';
import { startMongoServer } from './index.ts';
import { DEFAULT_SERVER_VERSION, VERSION_PROFILES, type ServerVersion } from './versions.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'ttl-sweep-ms': { type: 'string' },
    'server-version': { type: 'string' },
    'checkpoint-log-bytes': { type: 'string' },
  },
});

const serverVersion = values['server-version'];
if (serverVersion !== undefined && !Object.hasOwn(VERSION_PROFILES, serverVersion)) {
  console.error(`--server-version must be one of ${Object.keys(VERSION_PROFILES).join(', ')}`);
  process.exit(2);
}

const server = await startMongoServer({
  port: Number(values.port),
  host: values.host,
  dataDir: values['data-dir'],
  ttlSweepMs: values['ttl-sweep-ms'] ? Number(values['ttl-sweep-ms']) : undefined,
  serverVersion: serverVersion as ServerVersion | undefined,
  checkpointLogBytes: values['checkpoint-log-bytes'] ? Number(values['checkpoint-log-bytes']) : undefined,
});
console.log(`embedded MongoDB ${serverVersion ?? DEFAULT_SERVER_VERSION} listening: ${server.uri}${values['data-dir'] ? ` (data in ${values['data-dir']})` : ' (in memory)'}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(() => process.exit(0));
  });
}
