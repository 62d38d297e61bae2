// Handshake and administrative commands.
import { Long, type Document } from 'bson';
import { CommandError } from '../errors.ts';
import type { Handler } from './context.ts';

export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

const hello: Handler = async (ctx) => {
  const { core, conn, cmd } = ctx;
  if (cmd.client?.application?.name && conn.appName === undefined) conn.appName = String(cmd.client.application.name);
  // Awaitable hello (streaming SDAM): answer after maxAwaitTimeMS unless our topology changed.
  if (cmd.topologyVersion && cmd.maxAwaitTimeMS !== undefined && String(cmd.topologyVersion.processId) === String(core.processId)) {
    await core.sleep(Number(cmd.maxAwaitTimeMS), conn);
  }
  const legacy = Object.keys(cmd)[0].toLowerCase() === 'ismaster';
  const me = core.advertisedHost;
  const doc: Document = {
    ...(cmd.helloOk ? { helloOk: true } : {}),
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    topologyVersion: { processId: core.processId, counter: Long.ZERO },
    hosts: [me],
    setName: core.replSetName,
    setVersion: 1,
    electionId: core.electionId,
    primary: me,
    me,
    secondary: false,
    maxBsonObjectSize: 16777216,
    maxMessageSizeBytes: 48000000,
    maxWriteBatchSize: 100000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: conn.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
  return doc;
};

const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'plato-embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  maxBsonObjectSize: 16777216,
  storageEngines: ['memory'],
  ok: 1,
});

const getParameter: Handler = (ctx) => {
  const out: Document = {};
  const all = ctx.cmd.getParameter === '*';
  const params: Document = {
    featureCompatibilityVersion: { version: '7.0' },
    transactionLifetimeLimitSeconds: ctx.core.params.transactionLifetimeLimitSeconds,
  };
  for (const [k, v] of Object.entries(params)) if (all || ctx.cmd[k] !== undefined) out[k] = v;
  return { ...out, ok: 1 };
};

const setParameter: Handler = (ctx) => {
  const out: Document = {};
  for (const [k, v] of Object.entries(ctx.cmd)) {
    if (k === 'setParameter' || k.startsWith('$') || k === 'lsid') continue;
    if (k === 'transactionLifetimeLimitSeconds') {
      out.was = ctx.core.params.transactionLifetimeLimitSeconds;
      const seconds = Number(v);
      if (!(seconds >= 1)) throw new CommandError(2, 'transactionLifetimeLimitSeconds must be at least 1');
      ctx.core.params.transactionLifetimeLimitSeconds = seconds;
    } else {
      throw new CommandError(2, `attempted to set unrecognized parameter [${k}], use help:true to see options`);
    }
  }
  return { ...out, ok: 1 };
};

const serverStatus: Handler = (ctx) => ({
  host: ctx.core.advertisedHost,
  version: SERVER_VERSION,
  process: 'plato-embedded-mongo',
  uptime: (Date.now() - ctx.core.startedAt) / 1000,
  localTime: new Date(),
  connections: { current: ctx.core.connectionCount },
  ok: 1,
});

export const adminCommands: Record<string, Handler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  setParameter,
  serverStatus,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (ctx) => ({ you: ctx.conn.remote, ok: 1 }),
  hostInfo: () => ({ system: { hostname: 'embedded' }, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  getCmdLineOpts: () => ({ argv: [], parsed: {}, ok: 1 }),
  configureFailPoint: (ctx) => ctx.core.failPoints.configure(ctx.cmd),
};
