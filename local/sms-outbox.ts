/**
 * The local runtime's text-message sender: no SMS leaves a laptop. Each message is printed (unless
 * the stack is quiet) and kept, newest last, for `GET /__local/sms` — an endpoint of the local
 * runtime only (not in the route table, never deployed), from which the e2e tests read one-time codes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TextSender } from '../functions/platform/sms.ts';

export interface SentText {
  to: string;
  text: string;
  at: string;
}

export const LOCAL_SMS_PATH = '/__local/sms';
const KEPT = 200;

export function createSmsOutbox(print: (line: string) => void): { sender: TextSender; serve: (req: IncomingMessage, res: ServerResponse) => void } {
  const sent: SentText[] = [];
  return {
    sender: {
      async send(to, text) {
        sent.push({ to, text, at: new Date().toISOString() });
        if (sent.length > KEPT) sent.shift();
        print(`[sms] to ${to}: ${text}`);
      },
    },
    serve(req, res) {
      if (req.method !== 'GET') {
        res.writeHead(405, { allow: 'GET', 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ messages: sent }));
    },
  };
}
