/**
 * Per-client request rates: per network (IP, or IPv6 /64), per guest token, per socket. Each request
 * adds one to its sliding window (data/sliding-window.ts) and is refused once the window holds more than
 * the limit, refused requests included, so a client that keeps flooding stays refused while every
 * other client keeps its own budget. They work the same in AWS and in the local runtime, where no
 * WAF exists; the WAF and the stage throttle stand in front of them in AWS.
 */
import { DomainError } from '../core/errors.ts';
import { rateLimitNetwork } from '../core/network.ts';
import { config, type RateLimit } from '../platform/config.ts';
import { addToWindow } from '../data/sliding-window.ts';

export type RateName = keyof ReturnType<typeof config>['rates'];

/** The rateLimits key prefix of each rate (`<scope>#<subject>#<windowSeconds>`). */
export const REQUEST_RATE_SCOPES: Record<RateName, string> = {
  joinPerIp: 'join-ip',
  loginPerIp: 'login-ip-rate',
  connectPerIp: 'connect-ip',
  connectPerToken: 'connect-token',
  dinerWritesPerToken: 'diner-writes',
  messagesPerConnection: 'ws-messages',
};

export interface RateDecision {
  allowed: boolean;
  /** Seconds until a request would be allowed again. */
  retryAfterSeconds: number;
}

/** Counts one request of `subject` against the named rate; `allowed` is false past the limit. */
export async function countRequest(name: RateName, subject: string, nowMs = Date.now()): Promise<RateDecision> {
  const rate: RateLimit = config().rates[name];
  const window = await addToWindow({ scope: REQUEST_RATE_SCOPES[name], subject, windowSeconds: rate.windowSeconds }, 1, nowMs);
  return { allowed: window.total <= rate.limit, retryAfterSeconds: window.retryAfterSeconds(rate.limit) };
}

/** Counts one request and throws RATE_LIMITED (429, Retry-After) past the limit. */
export async function takeRequest(name: RateName, subject: string, message = 'Too many requests; try again shortly'): Promise<void> {
  const decision = await countRequest(name, subject);
  if (!decision.allowed) throw new DomainError('RATE_LIMITED', message, { retryAfterSeconds: decision.retryAfterSeconds });
}

/** The subject for a per-network rate. */
export const networkOf = (ip: string | undefined): string => rateLimitNetwork(ip ?? '');
