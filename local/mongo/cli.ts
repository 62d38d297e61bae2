// Standalone foreground start: `npm run mongo -- --port 27099 [--host 127.0.0.1] [--data-dir DIR]`.
import { parseArgs } from 'node:util';
import { startMongoServer } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27017' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string' },
    'ttl-sweep-ms': { type: 'string' },
  },
});

const server = await startMongoServer({
  port: Number(values.port),
  host: values.host,
  dataDir: values['data-dir'],
  ttlSweepMs: values['ttl-sweep-ms'] ? Number(values['ttl-sweep-ms']) : undefined,
});
console.log(`embedded MongoDB listening: ${server.uri}${values['data-dir'] ? ` (data in ${values['data-dir']})` : ' (in memory)'}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(() => process.exit(0));
  });
}
