/**
 * A guest's phone number is verified before it links anything. `identify` records the name and
 * number on this phone's token (so this session's orders carry them) and, where the restaurant
 * verifies numbers, sends a one-time code to the number; it never looks up, reveals, links or
 * changes a customer. `verify` takes the code: only then is the customer found or created and
 * linked (customers.ts). With verification off, nothing is ever linked.
 *
 * Limits (rate-limit.ts): codes sent per number, per token and per network; wrong codes per number,
 * per token and per network (only wrong codes count), and 5 wrong tries per code.
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { GuestPrincipal } from '../auth/principal.ts';
import { DomainError } from '../core/errors.ts';
import { rateLimitNetwork } from '../core/network.ts';
import { clearPhoneCheck, countWrongPhoneCode, findSessionWithToken, recordTokenContact } from '../data/sessions-store.ts';
import { nowEpochSeconds } from '../data/dynamo.ts';
import { secrets } from '../platform/secrets.ts';
import { textSender } from '../platform/sms.ts';
import type { RequestOrigin } from '../data/audit.ts';
import { afterCommit, record } from '../effects.ts';
import { linkVerifiedCustomer, onTable, type CustomerView } from './customers.ts';
import { countAttempt, failuresSoFar, type WindowLimit } from '../data/rate-limit.ts';
import { restaurant } from '../data/restaurant.ts';

const CODE_TTL_SECONDS = 10 * 60;
const WRONG_PER_CODE = 5;
const HOUR = 3600;
/** Per hour; the network's allowance is PHONE_CODES_PER_IP (a restaurant's Wi-Fi serves many guests). */
const SEND_LIMITS = { phone: 3, token: 5, network: Number(process.env.PHONE_CODES_PER_IP || 20) };
const CHECK_LIMITS = { phone: 10, token: 10, network: 30 };

export interface IdentifyInput {
  name: string;
  /** Exactly 10 digits. */
  phone: string;
}

export interface IdentifyAnswer {
  name: string;
  /** `sent`: a code went to the number, enter it to be recognised; `off`: this restaurant links no one. */
  verification: 'sent' | 'off';
}

/** E.164 for a 10-digit national number (SMS_COUNTRY_CODE, +91 by default). */
const e164 = (phone: string): string => `${process.env.SMS_COUNTRY_CODE || '+91'}${phone}`;
/** Counters are keyed by a hash of the number: no phone number is stored in DynamoDB. */
const phoneSubject = (restaurantId: string, phone: string): string => createHash('sha256').update(`${restaurantId}:${phone}`).digest('base64url').slice(0, 32);

let keyPromise: Promise<Buffer> | undefined;
const codeKey = (): Promise<Buffer> =>
  (keyPromise ??= secrets()
    .then(({ jwtSecret }) => createHmac('sha256', jwtSecret).update('plato:phone-code:v1').digest())
    .catch((error) => {
      keyPromise = undefined;
      throw error;
    }));
const codeHash = async (guest: GuestPrincipal, phone: string, code: string): Promise<string> =>
  createHmac('sha256', await codeKey()).update(`${guest.tokenHash}:${phone}:${code}`).digest('base64url');

function limitsFor(kind: 'send' | 'check', guest: GuestPrincipal, phone: string, ip?: string): WindowLimit[] {
  const limits = kind === 'send' ? SEND_LIMITS : CHECK_LIMITS;
  return [
    { scope: `phone-${kind}-network`, subject: rateLimitNetwork(ip ?? ''), limit: limits.network, windowSeconds: HOUR },
    { scope: `phone-${kind}-token`, subject: guest.tokenHash, limit: limits.token, windowSeconds: HOUR },
    { scope: `phone-${kind}-number`, subject: phoneSubject(guest.restaurantId, phone), limit: limits.phone, windowSeconds: HOUR },
  ];
}

const tooMany = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', 'Too many codes for now; try again later', { retryAfterSeconds, details: { retryAfterSeconds } });

/** Records the name and number on this phone's token and, where numbers are verified, sends a code. */
export async function identifyGuest(guest: GuestPrincipal, input: IdentifyInput, origin: RequestOrigin = {}): Promise<IdentifyAnswer> {
  const verifying = ((await restaurant()).phoneVerification ?? 'sms') === 'sms';
  const now = nowEpochSeconds();

  let check: { codeHash: string; expiresAt: Date; wrong: number } | undefined;
  let code: string | undefined;
  if (verifying) {
    for (const limit of limitsFor('send', guest, input.phone, origin.ip)) {
      const counted = await countAttempt(limit, true, now);
      if (!counted.withinLimit) {
        await record({ ...onTable(guest), type: 'GuestIdentified', outcome: 'blocked', details: { reason: limit.scope } }, origin);
        throw tooMany(counted.retryAfterSeconds);
      }
    }
    code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    check = { codeHash: await codeHash(guest, input.phone, code), expiresAt: new Date((now + CODE_TTL_SECONDS) * 1000), wrong: 0 };
  }

  // The number is not anyone's customer record until verified: whatever was linked is unlinked.
  const recorded = await recordTokenContact(guest.restaurantId, guest.sessionId, guest.tokenHash, { name: input.name, phone: input.phone, check });
  if (!recorded) throw new DomainError('SESSION_CLOSED', 'This table session has ended');

  if (code) {
    try {
      await textSender().send(e164(input.phone), `${code} is your code to be recognised at ${(await restaurant()).name}. It expires in 10 minutes.`);
    } catch (error) {
      throw new DomainError('SERVICE_UNAVAILABLE', 'The code could not be sent; try again', { retryAfterSeconds: 30, cause: error });
    }
  }
  // The staff floor view shows the guest's name at the table.
  await afterCommit([{ ...onTable(guest), type: 'GuestIdentified', outcome: 'success', details: { verification: verifying ? 'sent' : 'off' } }], origin);
  return { name: input.name, verification: verifying ? 'sent' : 'off' };
}

/** The code sent by identifyGuest: right, the customer is found or created and linked; wrong, 422 CODE_INVALID. */
export async function verifyGuestPhone(guest: GuestPrincipal, input: { code: string }, origin: RequestOrigin = {}): Promise<CustomerView> {
  const session = await findSessionWithToken(guest.restaurantId, guest.sessionId, guest.tokenHash);
  const entry = session?.status === 'OPEN' ? session.customerTokens?.[0] : undefined;
  const pending = entry?.phoneCheck;
  if (!entry?.customerPhone || !entry.customerName || !pending) throw new DomainError('CODE_INVALID', 'No code is waiting for this phone; ask for one first');
  const phone = entry.customerPhone;

  const now = nowEpochSeconds();
  const limits = limitsFor('check', guest, phone, origin.ip);
  for (const limit of limits) {
    const sofar = await failuresSoFar(limit, now);
    if (!sofar.withinLimit) throw tooMany(sofar.retryAfterSeconds);
  }
  const expected = Buffer.from(pending.codeHash);
  const actual = Buffer.from(await codeHash(guest, phone, input.code));
  const right = pending.wrong < WRONG_PER_CODE && new Date(pending.expiresAt).getTime() > Date.now() && expected.length === actual.length && timingSafeEqual(expected, actual);
  for (const limit of limits) {
    const counted = await countAttempt(limit, !right, now);
    if (!counted.withinLimit) throw tooMany(counted.retryAfterSeconds);
  }
  if (!right) {
    await countWrongPhoneCode(guest.restaurantId, guest.sessionId, guest.tokenHash);
    await record({ ...onTable(guest), type: 'PhoneVerified', outcome: 'failure' }, origin);
    throw new DomainError('CODE_INVALID', 'That code is wrong or has expired', { details: { attemptsLeft: Math.max(0, WRONG_PER_CODE - pending.wrong - 1) } });
  }
  await clearPhoneCheck(guest.restaurantId, guest.sessionId, guest.tokenHash);
  return linkVerifiedCustomer(guest, { name: entry.customerName, phone }, origin);
}
