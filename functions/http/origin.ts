/**
 * Origin verification and the client's IP address.
 *
 * In AWS, CloudFront is the only intended entry, but the APIs' execute-api endpoints are public too.
 * CloudFront adds a secret header (ORIGIN_VERIFY_HEADER) to every /api/* and /ws origin request; the
 * functions refuse requests without it, so nobody can skip CloudFront (its security headers, its
 * single origin) or send a forged address. Behind CloudFront, API Gateway's sourceIp is a CloudFront
 * node, so the viewer's address comes from VIEWER_IP_HEADER, which CloudFront sets from the viewer's
 * connection (lib/viewer-ip.ts) — trusted only on a verified request. `X-Forwarded-For` is never
 * trusted: a client writes what it likes there (and CloudFront appends to it).
 *
 * The check is on exactly when the origin secret provides a value (see originVerifyValues): always in
 * AWS, never in the local runtime unless ORIGIN_VERIFY_SECRET simulates it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { DomainError } from '../core/errors.ts';
import { logger } from '../platform/logger.ts';
import { ORIGIN_VERIFY_HEADER, originVerifyValues } from '../platform/secrets.ts';

export { ORIGIN_VERIFY_HEADER };
/** Set by CloudFront (a viewer-request function, lib/viewer-ip.ts) to the viewer's IP address. */
export const VIEWER_IP_HEADER = 'x-plato-viewer-ip';

/** How the request reached the function. */
export type OriginCheck =
  /** No origin secret: the check is off (local runtime). */
  | 'unchecked'
  /** Carried the origin secret: it came through CloudFront. */
  | 'verified'
  /** The check is on and the request did not carry the secret. */
  | 'refused';

/**
 * A request presenting a value the cached ones do not match may mean the secret was rotated since
 * this container read it: read it again, at most this often.
 */
export const ORIGIN_RELOAD_INTERVAL_MS = 60_000;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Whether `presented` equals one of `accepted`, in time independent of where they differ. */
export function matchesOriginSecret(presented: string | undefined, accepted: readonly string[]): boolean {
  if (presented === undefined || presented === '') return false;
  const mine = digest(presented);
  let match = false;
  for (const value of accepted) match = timingSafeEqual(mine, digest(value)) || match;
  return match;
}

/** Checks the origin header (a header value as the event carries it; undefined when absent). */
export async function checkOrigin(presented: string | undefined): Promise<OriginCheck> {
  const accepted = await originVerifyValues();
  if (accepted.length === 0) return 'unchecked';
  if (matchesOriginSecret(presented, accepted)) return 'verified';
  if (presented === undefined) return 'refused'; // no header at all: not CloudFront, not a rotation
  const reloaded = await originVerifyValues({ reloadIfOlderThanMs: ORIGIN_RELOAD_INTERVAL_MS });
  return matchesOriginSecret(presented, reloaded) ? 'verified' : 'refused';
}

/** Like checkOrigin, but refuses with 403 ORIGIN_UNVERIFIED (HTTP routes). */
export async function assertOrigin(presented: string | undefined): Promise<OriginCheck> {
  const check = await checkOrigin(presented);
  if (check === 'refused') throw new DomainError('ORIGIN_UNVERIFIED', 'Requests are accepted only through the restaurant’s own address');
  return check;
}

/** A viewer IP header value: the address itself, or undefined unless it is exactly one IPv4 or IPv6 address. */
export function parseViewerIp(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text && isIP(text) !== 0 ? text : undefined;
}

/**
 * The client's IP address: CloudFront's viewer address on a request that passed origin
 * verification, else the address API Gateway saw (the caller itself, locally).
 */
export function clientAddress(check: OriginCheck, viewerIp: string | undefined, sourceIp: string): string {
  if (check !== 'verified') return sourceIp;
  const viewer = parseViewerIp(viewerIp);
  if (viewer) return viewer;
  if (!warnedNoViewerIp) {
    // Per-IP limits would count CloudFront nodes: the behaviour lacks the viewer-IP function or forwarding.
    warnedNoViewerIp = true;
    logger.warn(`A verified request has no usable ${VIEWER_IP_HEADER}; using sourceIp`, { present: viewerIp !== undefined });
  }
  return sourceIp;
}

let warnedNoViewerIp = false;
