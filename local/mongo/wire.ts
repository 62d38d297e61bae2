// MongoDB wire protocol framing: OP_MSG (2013), legacy OP_QUERY (2004) for the first
// handshake, OP_REPLY (1) to answer it. OP_COMPRESSED (2012) is recognised only to refuse it.
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MAX_MESSAGE_BYTES = 48_000_000;
const HEADER_BYTES = 16;

const FLAG_CHECKSUM_PRESENT = 1 << 0;
/** On a request: no reply wanted (w: 0). On a reply: more replies follow without a new request (exhaust). */
export const FLAG_MORE_TO_COME = 1 << 1;
/** On a request: the client accepts an exhaust stream of replies (streaming hello). */
export const FLAG_EXHAUST_ALLOWED = 1 << 16;
const KNOWN_FLAGS = FLAG_CHECKSUM_PRESENT | FLAG_MORE_TO_COME | FLAG_EXHAUST_ALLOWED;

const BSON_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

export class ProtocolError extends Error {}

export type IncomingMessage =
  | { kind: 'msg'; requestId: number; body: Document; moreToCome: boolean; exhaustAllowed: boolean }
  | { kind: 'query'; requestId: number; collection: string; body: Document }
  | { kind: 'compressed'; requestId: number };

/** Splits a TCP byte stream into complete messages; throws ProtocolError on an impossible length. */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      const head = this.chunks.length === 1 ? this.chunks[0] : this.concat();
      const length = head.readInt32LE(0);
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) throw new ProtocolError(`invalid message length ${length}`);
      if (this.buffered < length) break;
      messages.push(head.subarray(0, length));
      const rest = head.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
    return messages;
  }

  private concat(): Buffer {
    const whole = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [whole];
    return whole;
  }
}

function readDocument(buf: Buffer, offset: number, end: number): [Document, number] {
  if (offset + 5 > end) throw new ProtocolError('truncated document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError('invalid document size');
  try {
    return [deserialize(buf.subarray(offset, offset + size), BSON_OPTIONS), offset + size];
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated string');
  return [buf.toString('utf8', offset, zero), zero + 1];
}

/** Decodes one complete message (as produced by MessageReader). */
export function parseMessage(msg: Buffer): IncomingMessage {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(msg, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(msg, requestId);
  if (opCode === OP_COMPRESSED) return { kind: 'compressed', requestId };
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(msg: Buffer, requestId: number): IncomingMessage {
  if (msg.length < HEADER_BYTES + 5) throw new ProtocolError('OP_MSG too short');
  const flags = msg.readUInt32LE(HEADER_BYTES);
  if ((flags & 0xffff) & ~KNOWN_FLAGS) throw new ProtocolError(`unknown required OP_MSG flags ${flags}`);
  // The CRC-32C trailer is tolerated, not verified: TCP already protects integrity locally.
  const end = flags & FLAG_CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let offset = HEADER_BYTES + 4;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = msg[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError('more than one body section');
      [body, offset] = readDocument(msg, offset, end);
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated sequence');
      const sectionEnd = offset + msg.readInt32LE(offset);
      if (sectionEnd > end || sectionEnd < offset + 5) throw new ProtocolError('invalid sequence size');
      let id: string;
      [id, offset] = readCString(msg, offset + 4, sectionEnd);
      const docs: Document[] = [];
      while (offset < sectionEnd) {
        let doc: Document;
        [doc, offset] = readDocument(msg, offset, sectionEnd);
        docs.push(doc);
      }
      sequences.push([id, docs]);
    } else {
      throw new ProtocolError(`unknown section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without body');
  for (const [id, docs] of sequences) body[id] = docs;
  return { kind: 'msg', requestId, body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, exhaustAllowed: (flags & FLAG_EXHAUST_ALLOWED) !== 0 };
}

function parseOpQuery(msg: Buffer, requestId: number): IncomingMessage {
  const end = msg.length;
  let offset = HEADER_BYTES + 4; // skip flags
  let collection: string;
  [collection, offset] = readCString(msg, offset, end);
  offset += 8; // numberToSkip, numberToReturn
  let query: Document;
  [query, offset] = readDocument(msg, offset, end);
  const body = query.$query && typeof query.$query === 'object' ? query.$query : query;
  return { kind: 'query', requestId, collection, body };
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_BYTES);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** An OP_MSG reply; its own requestId (what the next reply of an exhaust stream answers) is `requestIdOf(buf)`. */
export function encodeOpMsg(responseTo: number, doc: Document, flags = 0): Buffer {
  const body = serialize(doc);
  const length = HEADER_BYTES + 4 + 1 + body.length;
  const prefix = Buffer.alloc(5); // flagBits, section kind 0
  prefix.writeUInt32LE(flags, 0);
  return Buffer.concat([header(length, responseTo, OP_MSG), prefix, body], length);
}

export function requestIdOf(message: Buffer): number {
  return message.readInt32LE(4);
}

export function encodeOpReply(responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const fixed = Buffer.alloc(20); // responseFlags, cursorID (8), startingFrom, numberReturned
  fixed.writeInt32LE(1, 16);
  const length = HEADER_BYTES + 20 + body.length;
  return Buffer.concat([header(length, responseTo, OP_REPLY), fixed, body], length);
}
