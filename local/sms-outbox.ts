/**
 * The local runtime's stand-in for SNS's SMS publish: no SMS leaves a laptop. The functions reach
 * it over the wire like SNS (SNS_ENDPOINT → `POST /__local/sns`, the AWS query protocol's `Publish`
 * with a `PhoneNumber`), so it works from their Lambda-like containers. Each message is printed
 * (unless the stack is quiet) and kept, newest last, for `GET /__local/sms` — both endpoints of the
 * local runtime only (not in the route table, never deployed), from which the tests read one-time codes.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SentText {
  to: string;
  text: string;
  at: string;
}

export const LOCAL_SMS_PATH = '/__local/sms';
export const LOCAL_SNS_PATH = '/__local/sns';
const KEPT = 200;
const MAX_BODY = 64 * 1024;

type Serve = (req: IncomingMessage, res: ServerResponse) => void;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(body);
};
const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const snsError = (res: ServerResponse, code: string, message: string) =>
  xml(res, 400, `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);

export function createSmsOutbox(print: (line: string) => void): { sent: readonly SentText[]; routes: Record<string, Serve> } {
  const sent: SentText[] = [];

  const publish: Serve = (req, res) => {
    if (req.method !== 'POST') return snsError(res, 'InvalidAction', 'POST only');
    readBody(req).then(
      (body) => {
        const form = new URLSearchParams(body);
        if (form.get('Action') !== 'Publish') return snsError(res, 'InvalidAction', 'Only Publish is served locally');
        const to = form.get('PhoneNumber');
        const text = form.get('Message');
        if (!to || !/^\+[1-9]\d{6,14}$/.test(to) || !text) return snsError(res, 'InvalidParameter', 'PhoneNumber (E.164) and Message are required');
        sent.push({ to, text, at: new Date().toISOString() });
        if (sent.length > KEPT) sent.shift();
        print(`[sms] to ${to}: ${text}`);
        const id = randomUUID();
        xml(res, 200, `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>${id}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`);
      },
      () => snsError(res, 'InvalidParameter', 'Unreadable request'),
    );
  };

  const list: Serve = (req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ messages: sent }));
  };

  return { sent, routes: { [LOCAL_SMS_PATH]: list, [LOCAL_SNS_PATH]: publish, [`${LOCAL_SNS_PATH}/`]: publish } };
}
