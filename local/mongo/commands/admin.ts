// Handshake and administrative commands.
import type { Document } from 'bson';
import type { ServerCore } from '../core.ts';
import { CommandError } from '../errors.ts';
import type { Handler } from './context.ts';

const HELLO_NAMES = new Set(['hello', 'isMaster', 'ismaster']);

/**
 * An awaitable hello (streaming SDAM): the client sends the topologyVersion it knows and
 * maxAwaitTimeMS. With the OP_MSG exhaustAllowed bit its replies become an exhaust stream
 * (server.ts); each one is produced by this handler.
 */
export function isAwaitableHello(cmd: Document): boolean {
  return HELLO_NAMES.has(Object.keys(cmd)[0]) && cmd.topologyVersion !== undefined && cmd.maxAwaitTimeMS !== undefined;
}

/**
 * mongod's checks on an awaitable hello, then how long to hold the reply: maxAwaitTimeMS while the
 * client's topologyVersion is current (ours never changes while the process lives), nothing when
 * it names another process (a restart: answer at once with the new one).
 */
function awaitMs(core: ServerCore, cmd: Document): number {
  const tv = cmd.topologyVersion;
  if (tv === undefined && cmd.maxAwaitTimeMS === undefined) return 0;
  if (tv === undefined || cmd.maxAwaitTimeMS === undefined) {
    throw new CommandError(31368, tv !== undefined ? "A request with a 'topologyVersion' must include 'maxAwaitTimeMS'" : "A request with 'maxAwaitTimeMS' must include a 'topologyVersion'");
  }
  const maxAwaitTimeMS = Number(cmd.maxAwaitTimeMS);
  if (!Number.isInteger(maxAwaitTimeMS) || maxAwaitTimeMS < 0) throw new CommandError(31373, 'maxAwaitTimeMS must be a non-negative integer');
  const clientCounter = Number(tv?.counter);
  if (!(clientCounter >= 0)) throw new CommandError(31372, 'topologyVersion must have a non-negative counter');
  if (String(tv.processId) !== String(core.processId)) return 0;
  const serverCounter = Number(core.topologyVersion().counter);
  if (clientCounter > serverCounter) {
    throw new CommandError(31382, `Received a topology version with counter: ${clientCounter} which is greater than the server topology version counter: ${serverCounter}`);
  }
  return clientCounter < serverCounter ? 0 : maxAwaitTimeMS;
}

const hello: Handler = async (ctx) => {
  const { core, conn, cmd } = ctx;
  if (cmd.client?.application?.name && conn.appName === undefined) conn.appName = String(cmd.client.application.name);
  const wait = awaitMs(core, cmd);
  if (wait > 0) await core.sleep(wait, conn); // ends early when the connection closes or the server stops
  const legacy = Object.keys(cmd)[0].toLowerCase() === 'ismaster';
  const me = core.advertisedHost;
  const doc: Document = {
    ...(cmd.helloOk ? { helloOk: true } : {}),
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    topologyVersion: core.topologyVersion(),
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
    maxWireVersion: core.version.maxWireVersion,
    readOnly: false,
    ok: 1,
  };
  return doc;
};

const buildInfo: Handler = (ctx) => ({
  version: ctx.core.version.version,
  gitVersion: 'plato-embedded',
  versionArray: ctx.core.version.versionArray,
  bits: 64,
  maxBsonObjectSize: 16777216,
  storageEngines: ['memory'],
  ok: 1,
});

const getParameter: Handler = (ctx) => {
  const out: Document = {};
  const all = ctx.cmd.getParameter === '*';
  const params: Document = {
    featureCompatibilityVersion: { version: ctx.core.version.featureCompatibilityVersion },
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
  version: ctx.core.version.version,
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
