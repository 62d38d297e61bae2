// TCP front end: one Connection per socket, requests on a socket handled strictly in order.
import { createServer, type Server, type Socket } from 'node:net';
import type { Document } from 'bson';
import { CLOSE_CONNECTION, type ServerCore } from './core.ts';
import { MessageReader, ProtocolError, encodeOpMsg, encodeOpReply, parseMessage, type IncomingMessage } from './wire.ts';
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
    this.send(msg.kind === 'msg' ? encodeOpMsg(msg.requestId, response) : encodeOpReply(msg.requestId, response));
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
