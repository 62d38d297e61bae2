/**
 * WebSocket API routes, through the socket edge (http/socket-route.ts: the HTTP origin checks and
 * error mapping). `$connect` opens a socket with what its verified credential allows
 * (gateway/socket-connect.ts). Clients may only `ping` and `sync`: carts are never relayed between
 * clients. Every action counts against its socket's message rate and re-checks that its credential
 * has not ended (realtime/admission.ts); past either the socket is told why and closed.
 */
import { connectRoute, type WsEvent, type WsResult } from '../../http/socket-route.ts';
import { admit } from '../../realtime/admission.ts';
import { deleteConnection } from '../../realtime/connections.ts';
import { sendTo } from '../../realtime/push.ts';
import { credentialHolds } from '../../realtime/socket-credentials.ts';
import { answerPing } from '../kitchen-beat.ts';
import { openSocket } from '../socket-connect.ts';
import { syncStateFor } from '../socket-sync.ts';

export type { WsEvent, WsResult };

// Wrapped, not built at load: a top-level call would keep openSocket (and the MongoDB driver) in the
// `edge` bundle, which serves ping and $disconnect from this module but never $connect.
export const connect = (event: WsEvent): Promise<WsResult> => connectRoute(openSocket)(event);

const OK: WsResult = { statusCode: 200 };

export const disconnect = async (event: WsEvent): Promise<WsResult> => {
  await deleteConnection(event.requestContext.connectionId);
  return OK;
};

export const ping = async (event: WsEvent): Promise<WsResult> => {
  // A kitchen tablet's pong may go to every kitchen socket of the restaurant (kitchen-beat.ts).
  const connection = await admit(event.requestContext.connectionId);
  if (connection) await answerPing(connection);
  return OK;
};

export const sync = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  const connection = await admit(connectionId, credentialHolds);
  // connectionId: the app names its own socket on HTTP calls, so pushes about its own changes skip it.
  if (connection) await sendTo(connectionId, { type: 'sync', connectionId, ...(await syncStateFor(connection)) });
  return OK;
};

export const unknownAction = async (event: WsEvent): Promise<WsResult> => {
  const { connectionId } = event.requestContext;
  if (await admit(connectionId)) {
    await sendTo(connectionId, { type: 'error', error: { code: 'UNKNOWN_ACTION', message: 'Send {"action":"ping"} or {"action":"sync"}' } });
  }
  return OK;
};
