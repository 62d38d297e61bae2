/**
 * Secrets: MONGODB_URI and JWT_SECRET (and the payment provider's keys, optional). In AWS they live in one Secrets Manager secret
 * (PLATO_SECRET_ARN, a JSON object with those two keys), fetched once per container and cached;
 * locally they come from the environment the local runtime sets. Never logged, never in env on AWS.
 *
 * The origin-verify value (the header CloudFront adds to every /api/* and /ws origin request) lives
 * in a second secret, plato/<slug>/origin (PLATO_ORIGIN_SECRET_ARN): Secrets Manager generates only
 * one field per secret, and CloudFront reads it by a CloudFormation dynamic reference.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** What the stack writes into the secret until devops put the Atlas connection string there. */
export const MONGODB_URI_PLACEHOLDER = 'REPLACE_WITH_MONGODB_ATLAS_URI';

/** The secret still holds the placeholder: the deployment is not finished (answered as 503, never cached). */
export class SecretNotConfiguredError extends Error {
  constructor() {
    super('The Plato secret still holds the placeholder MONGODB_URI: put the Atlas connection string in it');
    this.name = 'SecretNotConfiguredError';
  }
}

export interface Secrets {
  mongodbUri: string;
  jwtSecret: string;
  /** Online payments; absent when the secret holds no provider keys (guests then pay the waiter). */
  payments?: PaymentSecrets;
}

/**
 * The payment provider's keys and webhook secret: RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET and
 * RAZORPAY_WEBHOOK_SECRET in the same secret (locally, the same names in the environment).
 */
export interface PaymentSecrets {
  provider: 'razorpay';
  keyId: string;
  keySecret: string;
  webhookSecret: string;
}

const PAYMENT_KEYS = ['RAZORPAY_KEY_ID', 'RAZORPAY_KEY_SECRET', 'RAZORPAY_WEBHOOK_SECRET'] as const;

function paymentSecrets(source: Record<string, unknown>): PaymentSecrets | undefined {
  const [keyId, keySecret, webhookSecret] = PAYMENT_KEYS.map((key) => source[key]);
  if (keyId === undefined && keySecret === undefined && webhookSecret === undefined) return undefined;
  const filled = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
  // Incomplete keys turn online payments off (answered 503 PAYMENTS_UNAVAILABLE), never the rest of the API.
  if (!filled(keyId) || !filled(keySecret) || !filled(webhookSecret) || webhookSecret.length < 16) return undefined;
  return { provider: 'razorpay', keyId, keySecret, webhookSecret };
}

let pending: Promise<Secrets> | undefined;
let client: SecretsManagerClient | undefined;

async function secretJson(arn: string): Promise<Record<string, unknown>> {
  // Loaded on the first read, not at module init: a container reads its secrets once, and the edge
  // function's pings and disconnects never do (#18, cold start).
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  client ??= new SecretsManagerClient({});
  const result = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  return JSON.parse(result.SecretString ?? '{}') as Record<string, unknown>;
}

function checked(value: Secrets): Secrets {
  if (value.mongodbUri === MONGODB_URI_PLACEHOLDER) throw new SecretNotConfiguredError();
  return value;
}

async function load(): Promise<Secrets> {
  const arn = process.env.PLATO_SECRET_ARN;
  if (arn) {
    const parsed = await secretJson(arn);
    const mongodbUri = parsed.MONGODB_URI;
    const jwtSecret = parsed.JWT_SECRET;
    if (typeof mongodbUri !== 'string' || typeof jwtSecret !== 'string' || jwtSecret.length < 32) {
      throw new Error('The Plato secret must hold MONGODB_URI and a JWT_SECRET of at least 32 characters');
    }
    return checked({ mongodbUri, jwtSecret, payments: paymentSecrets(parsed) });
  }
  const mongodbUri = process.env.MONGODB_URI;
  const jwtSecret = process.env.JWT_SECRET;
  if (!mongodbUri || !jwtSecret || jwtSecret.length < 32) {
    throw new Error('Set PLATO_SECRET_ARN, or MONGODB_URI and a JWT_SECRET of at least 32 characters');
  }
  return checked({ mongodbUri, jwtSecret, payments: paymentSecrets(process.env) });
}

export function secrets(): Promise<Secrets> {
  pending ??= load().catch((error) => {
    pending = undefined; // a transient failure must not poison the container
    throw error;
  });
  return pending;
}

/** The header CloudFront adds to every origin request for /api/* and /ws (lower case, as API Gateway passes it). */
export const ORIGIN_VERIFY_HEADER = 'x-plato-origin-verify';
/** Fields of the origin secret: the value CloudFront sends, and during a rotation the one it sent before. */
export const ORIGIN_VERIFY_KEY = 'ORIGIN_VERIFY';
export const ORIGIN_VERIFY_PREVIOUS_KEY = 'ORIGIN_VERIFY_PREVIOUS';
/**
 * Locally there is no CloudFront and no origin secret: ORIGIN_VERIFY_SECRET, read only when
 * PLATO_ORIGIN_SECRET_ARN is unset, stands in for the secret's field (as MONGODB_URI and JWT_SECRET
 * stand in for the main secret's), so tests can run the local runtime as if behind CloudFront.
 */
export const LOCAL_ORIGIN_VERIFY_ENV = 'ORIGIN_VERIFY_SECRET';
const MIN_ORIGIN_VERIFY_LENGTH = 32;

let originPending: Promise<readonly string[]> | undefined;
let originLoadedAt = 0;

async function loadOriginVerifyValues(): Promise<readonly string[]> {
  const arn = process.env.PLATO_ORIGIN_SECRET_ARN;
  if (arn) {
    const parsed = await secretJson(arn);
    const current = parsed[ORIGIN_VERIFY_KEY];
    const previous = parsed[ORIGIN_VERIFY_PREVIOUS_KEY];
    const valid = (value: unknown): value is string => typeof value === 'string' && value.length >= MIN_ORIGIN_VERIFY_LENGTH;
    // Fail closed: a function that was given the secret never runs without the check.
    if (!valid(current) || (previous !== undefined && !valid(previous))) {
      throw new Error(`The Plato origin secret must hold ${ORIGIN_VERIFY_KEY} (and optionally ${ORIGIN_VERIFY_PREVIOUS_KEY}) of at least ${MIN_ORIGIN_VERIFY_LENGTH} characters`);
    }
    return previous === undefined ? [current] : [current, previous];
  }
  const local = process.env[LOCAL_ORIGIN_VERIFY_ENV];
  if (local) {
    if (local.length < MIN_ORIGIN_VERIFY_LENGTH) throw new Error(`${LOCAL_ORIGIN_VERIFY_ENV} must be at least ${MIN_ORIGIN_VERIFY_LENGTH} characters`);
    return [local];
  }
  return [];
}

/**
 * The origin-verify values requests must present; empty when there is no origin secret (the local
 * runtime without ORIGIN_VERIFY_SECRET), which turns the check off. Read once per container; with
 * `reloadIfOlderThanMs`, read again if the cached values are older than that (a rotation).
 */
export function originVerifyValues(options: { reloadIfOlderThanMs?: number } = {}): Promise<readonly string[]> {
  const cached = originPending;
  const stale = options.reloadIfOlderThanMs !== undefined && Date.now() - originLoadedAt >= options.reloadIfOlderThanMs;
  if (cached && !stale) return cached;
  originLoadedAt = Date.now();
  // A failed reload keeps the values already held; a failed first load is retried by the next request.
  const loading = cached ? loadOriginVerifyValues().catch(() => cached) : loadOriginVerifyValues();
  originPending = loading;
  loading.catch(() => {
    if (originPending === loading) originPending = undefined;
  });
  return loading;
}
