/**
 * The apps' Content-Security-Policy. `connect-src` names only the page's own origin and, when it is
 * known, its own WebSocket origin (`wss://<domain>`), never a scheme wildcard such as `wss:` that
 * would let an injected script talk to any host. 'self' covers same-origin ws/wss in CSP Level 3
 * browsers; the explicit origin covers the rest. Shared by the CloudFront distribution and the
 * local runtime's static site (no CDK imports here). `uploadOrigin` is where photo uploads are
 * POSTed: the media bucket's own address in AWS (locally uploads go to the page's own origin).
 */
export function contentSecurityPolicy(webSocketOrigin?: string, uploadOrigin?: string): string {
  const connect = ["'self'", ...(webSocketOrigin ? [webSocketOrigin] : []), ...(uploadOrigin ? [uploadOrigin] : [])].join(' ');
  return (
    `default-src 'self'; connect-src ${connect}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; ` +
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
  );
}
