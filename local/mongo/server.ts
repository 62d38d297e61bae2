// TCP front end: one Connection per socket, requests on a socket handled strictly in order.
import { createServer, type Server, type Socket } from 'node:net';
import type { Document } from 'bson';
import { CLOSE_CONNECTION, type ServerCore } from './core.ts';
import { FLAG_MORE_TO_COME, MessageReader, ProtocolError, encodeOpMsg, encodeOpReply, parseMessage, requestIdOf, type IncomingMessage } from './wire.ts';
import { isAwaitableHello } from './commands/admin.ts';
import type { ConnectionInfo } from './commands/context.ts';

let nextConnectionId = 1;

class Connection implements ConnectionInfo {
  readonly id = nextConnectionId++;
  appName: string | undefined;
  closed = false;
  readonly remote: string;
  private readonly reader = new MessageReader();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: Socket,
    private readonly core: ServerCore,
    private readonly onClose: (c: Connection) => void,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private onData(chunk: Buffer): void {
    let messages: Buffer[];
    try {
      messages = this.reader.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const raw of messages) {
      this.queue = this.queue.then(() => this.handle(raw)).catch(() => this.close());
    }
  }

  private async handle(raw: Buffer): Promise<void> {
    if (this.closed) return;
    let msg: IncomingMessage;
    try {
      msg = parseMessage(raw);
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.close(); // a malformed message closes only this connection
        return;
      }
      throw err;
    }
    if (msg.kind === 'compressed') {
      this.send(encodeOpMsg(msg.requestId, compressionRefused()));
      return;
    }
    const db = msg.kind === 'msg' ? (typeof msg.body.$db === 'string' ? msg.body.$db : 'admin') : msg.collection.split('.')[0];
    const response = await this.core.dispatch(this, msg.body, db);
    if (response === CLOSE_CONNECTION) {
      this.close();
      return;
    }
    if (msg.kind === 'msg' && msg.moreToCome) return; // fire-and-forget (w: 0)
    if (msg.kind === 'msg' && msg.exhaustAllowed && isAwaitableHello(msg.body) && response.ok === 1) {
      await this.streamHello(msg.requestId, msg.body, db, response);
      return;
    }
    this.send(msg.kind === 'msg' ? encodeOpMsg(msg.requestId, response) : encodeOpReply(msg.requestId, response));
  }

  /**
   * Streaming SDAM, as mongod does it: an awaitable hello sent with exhaustAllowed gets replies
   * flagged moreToCome, each answering the previous reply; the server then re-runs the hello itself
   * (with the topologyVersion it just reported), which waits maxAwaitTimeMS or until the topology
   * changes, and sends the next reply. The driver's monitor reads them as heartbeats and fails the
   * server (clearing its pool) if one comes without moreToCome. The stream ends when the connection
   * closes, the server stops, or a run fails (that reply goes without moreToCome). Like mongod,
   * nothing else is read off this connection meanwhile: further requests wait in the queue.
   */
  private async streamHello(requestId: number, request: Document, db: string, first: Document): Promise<void> {
    let responseTo = requestId;
    let response: Document | typeof CLOSE_CONNECTION = first;
    const next = { ...request };
    for (;;) {
      if (response === CLOSE_CONNECTION) return this.close();
      if (this.closed || this.core.isStopping) return;
      const more = response.ok === 1;
      const reply = encodeOpMsg(responseTo, response, more ? FLAG_MORE_TO_COME : 0);
      this.send(reply);
      if (!more) return;
      responseTo = requestIdOf(reply);
      next.topologyVersion = response.topologyVersion;
      response = await this.core.dispatch(this, next, db);
    }
  }

  private send(buf: Buffer): void {
    if (!this.closed) this.socket.write(buf);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    this.onClose(this);
  }
}

function compressionRefused(): Document {
  return { ok: 0, errmsg: 'OP_COMPRESSED is not supported: this server advertises no compressors', code: 2, codeName: 'BadValue' };
}

export class WireServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();

  constructor(private readonly core: ServerCore) {
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', () => {});
  }

  private accept(socket: Socket): void {
    if (this.core.isStopping) {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket, this.core, (c) => {
      this.connections.delete(c);
      this.core.connectionCount = this.connections.size;
      this.core.connectionClosed(c);
    });
    this.connections.add(conn);
    this.core.connectionCount = this.connections.size;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    for (const c of [...this.connections]) c.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
