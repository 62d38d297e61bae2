/**
 * The two halves every loopback proxy of the tests and benches shares (test/support/dynamo-faults.ts,
 * test/support/management-faults.ts, bench/lib/counting-proxy.ts): forwarding one request to the
 * real target unchanged, reading a body, and listening on a free loopback port.
 */
import { request, type Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The whole body of a request. */
export const readAll = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Sends `req` on to `target` as it came (the body already read, or piped when omitted) and its answer back. */
export function forward(target: URL, agent: Agent, req: IncomingMessage, res: ServerResponse, body?: Buffer): void {
  const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error));
  });
  if (body) upstream.end(body);
  else req.pipe(upstream);
}

/** Listens on 127.0.0.1 at a free port; resolves with `http://127.0.0.1:<port>`. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
