/**
 * A stand-in for the stack's CloudFront distribution in front of the local runtime: it adds the
 * origin-verify header to every request it forwards (as the distribution's origins do) and the
 * response headers policy's security headers to every answer (the values of lib/web-distribution.ts),
 * and passes WebSocket upgrades through. With ORIGIN_VERIFY_SECRET set on the stack, the stack's
 * own address then plays the execute-api URLs: it refuses what did not come through here.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { ORIGIN_VERIFY_HEADER } from '../../functions/platform/secrets.ts';
import { contentSecurityPolicy } from '../../lib/csp.ts';

export const SECURITY_HEADERS: Record<string, string> = {
  // A distribution without a custom domain: connect-src 'self' only (lib/web-distribution.ts contentSecurityPolicyOf).
  'content-security-policy': contentSecurityPolicy(),
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

export interface Distribution {
  url: string;
  stop(): Promise<void>;
}

export async function startDistribution(originUrl: string, originVerify: string): Promise<Distribution> {
  const origin = new URL(originUrl);
  const forwarded = (headers: IncomingHttpHeaders): IncomingHttpHeaders => ({ ...headers, [ORIGIN_VERIFY_HEADER]: originVerify });
  const server = createServer((req, res) => {
    const upstream = request(
      { host: origin.hostname, port: origin.port, method: req.method, path: req.url, headers: forwarded(req.headers) },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...SECURITY_HEADERS });
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(Number(origin.port), origin.hostname, () => {
      const headers = forwarded(req.headers);
      const lines = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}`));
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
