/**
 * The API Gateway Management API (`@connections`) for the emulated WebSocket API, answering the
 * real @aws-sdk/client-apigatewaymanagementapi client. Requests are signed by the SDK; like any
 * local endpoint we accept the signature without verifying it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayId } from './lambda.ts';
import { readBody } from './http-api.ts';
import { WS_MAX_MESSAGE_BYTES, type WsApi } from './ws-api.ts';

export const MANAGEMENT_PREFIX = '/@connections/';

function reply(res: ServerResponse, status: number, body?: unknown, errorType?: string): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(payload)),
    'x-amzn-RequestId': gatewayId(),
  };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(payload);
}

const gone = (res: ServerResponse) => reply(res, 410, { message: 'Gone' }, 'GoneException');

export function createManagementApi(ws: WsApi) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawPath = (req.url ?? '/').split('?')[0];
    const encodedId = rawPath.slice(MANAGEMENT_PREFIX.length);
    const body = await readBody(req, WS_MAX_MESSAGE_BYTES);
    let connectionId = '';
    try {
      connectionId = decodeURIComponent(encodedId); // ids are base64: the SDK sends '/' and '=' encoded
    } catch {
      // stays empty: Forbidden below
    }
    if (!connectionId || encodedId.includes('/')) {
      return reply(res, 403, { message: 'Forbidden' }, 'ForbiddenException');
    }

    switch (req.method) {
      case 'POST': {
        if (!body) return reply(res, 413, { message: 'Payload too large' }, 'PayloadTooLargeException');
        return ws.post(connectionId, body) ? reply(res, 200) : gone(res);
      }
      case 'GET': {
        const connection = ws.live(connectionId);
        if (!connection) return gone(res);
        return reply(res, 200, {
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
      }
      case 'DELETE': {
        if (!ws.disconnect(connectionId)) return gone(res);
        res.writeHead(204, { 'x-amzn-RequestId': gatewayId() });
        res.end();
        return;
      }
      default:
        return reply(res, 403, { message: 'Forbidden' }, 'ForbiddenException');
    }
  };
}
