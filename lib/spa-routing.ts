/**
 * The CloudFront Function on the default (S3) behaviour: maps the apps' client-side routes to
 * their index.html. `/` → /index.html (diner); `/kitchen`, `/kitchen/...` without a file extension
 * → /kitchen/index.html; same for `/staff`. Anything with an extension is a real file.
 * Kept as plain ES5-compatible JS source (cloudfront-js-2.0 runs it), exported so a test can run it.
 */
export const SPA_APPS = ['kitchen', 'staff'] as const;

export const SPA_ROUTING_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '') {
    request.uri = '/index.html';
    return request;
  }
  var match = uri.match(/^\\/(${SPA_APPS.join('|')})(\\/.*)?$/);
  if (match && !/\\.[A-Za-z0-9]+$/.test(uri)) {
    request.uri = '/' + match[1] + '/index.html';
  }
  return request;
}
`;
