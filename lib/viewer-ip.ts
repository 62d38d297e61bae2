/**
 * The CloudFront Function on the API behaviours: puts the viewer's IP address (event.viewer.ip, the
 * address that connected to CloudFront) in VIEWER_IP_HEADER, replacing whatever a client sent under
 * that name. Behind CloudFront, API Gateway's sourceIp is a CloudFront node; the functions trust this
 * header only on requests that passed origin verification (functions/http/origin.ts).
 *
 * Why not CloudFront-Viewer-Address: an origin request policy can add CloudFront's headers only to an
 * allow-list of viewer headers (forwarding every viewer header plus CloudFront's also forwards Host,
 * which API Gateway refuses), and an allow-list cannot hold Authorization. The managed
 * AllViewerExceptHostHeader policy forwards every viewer header, including one set by this function.
 * Plain ES5-compatible source (cloudfront-js-2.0), exported so a test can run it.
 */
import { VIEWER_IP_HEADER } from '../functions/http/origin.ts';

export const VIEWER_IP_CODE = `function handler(event) {
  var request = event.request;
  request.headers['${VIEWER_IP_HEADER}'] = { value: event.viewer.ip };
  return request;
}
`;
