/**
 * Deployment settings for one restaurant's stack, parsed and validated from CDK context
 * (`-c key=value` on the command line, or the "context" block of cdk.json).
 * A bad value fails the synth with a message naming the key, before any resource is built.
 */
import { POS_MONEY_UNITS, type PosMoneyUnit } from '../functions/core/pos-money.ts';
import { COLLECTION_DEFAULTS, type CollectionKey } from '../functions/platform/config.ts';

export type Stage = 'dev' | 'prod';

export interface PlatoSettings {
  /** Restaurant slug: RESTAURANT_ID for the functions, part of the stack and secret names. */
  slug: string;
  stage: Stage;
  /** Custom domain (e.g. order.example.com) served by CloudFront; needs certificateArn (us-east-1). */
  domain?: string;
  certificateArn?: string;
  mongoDb: string;
  /** Collection-name overrides, only the keys given (the database is shared with a POS). */
  collections: Partial<Record<CollectionKey, string>>;
  /** POS_MONEY_UNIT: the unit of the order money fields the POS documented (major, or minor for a POS already reading paise). */
  posMoneyUnit: PosMoneyUnit;
  restaurantName: string;
  taxRateBps: number;
  currency: string;
  locale: string;
  timeZone: string;
  logRetentionDays: number;
  /**
   * Days after which guests' names and phones are removed from orders (the restaurant's
   * guestDataRetentionDays, written when the restaurant is first set up; default 365).
   */
  guestDataRetentionDays: number;
  /**
   * The distribution's WAF: `created` (the default) by the edge stack PlatoEdge-<slug> in us-east-1
   * (lib/waf.ts); `existing`: the web ACL `webAclArn` names; `off` only when asked for (`-c waf=off`).
   */
  waf: 'created' | 'existing' | 'off';
  /** An existing WAF web ACL (CLOUDFRONT scope, us-east-1) to attach instead of creating one. */
  webAclArn?: string;
  /** Email address subscribed to the alarm topic; no topic when unset. */
  alarmEmail?: string;
  /**
   * Pins the version of plato/<slug>/origin whose ORIGIN_VERIFY CloudFront sends. Changing it is how
   * a rotated origin secret reaches CloudFront (the dynamic reference alone never changes the template).
   */
  originSecretVersion?: string;
  /**
   * Stage throttling of both APIs (requests per second and burst, per route), sized as a backstop for
   * the whole restaurant, shared by every caller: it caps what a distributed flood can cost, while
   * single clients are stopped long before by the WAF's per-IP rules and the app's per-client limits.
   */
  throttle: { rateLimit: number; burstLimit: number };
  /**
   * Changes on every synth unless pinned: the setup custom resource carries it, so `cdk deploy` re-runs
   * setup every time (e.g. after the secret was filled). Tests pin it for a deterministic template.
   */
  deployStamp: string;
}

/** Anything that can answer `tryGetContext` (an App, a Stack, a Node). */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

export class SettingsError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid CDK context "${key}": ${problem}`);
    this.name = 'SettingsError';
  }
}

/** Slugs become part of CloudFormation stack names, secret names and log group names. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{0,28}[a-z0-9]$/;

/** CloudWatch Logs only accepts these retention periods (days). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const text = (source: ContextSource, key: string): string | undefined => {
  const value = source.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw new SettingsError(key, 'expected a string');
  return value.trim();
};

const integer = (source: ContextSource, key: string, fallback: number, min: number, max: number): number => {
  const raw = text(source, key);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new SettingsError(key, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new SettingsError(key, `must be between ${min} and ${max}, got ${value}`);
  return value;
};

function collectionOverrides(source: ContextSource): Partial<Record<CollectionKey, string>> {
  const raw = source.tryGetContext('collections');
  if (raw === undefined || raw === null || raw === '') return {};
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SettingsError('collections', 'expected a JSON object such as {"orders":"pos_orders"}');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SettingsError('collections', 'expected an object of collection key to collection name');
  }
  const result: Partial<Record<CollectionKey, string>> = {};
  for (const [key, name] of Object.entries(parsed)) {
    if (!(key in COLLECTION_DEFAULTS)) {
      throw new SettingsError('collections', `unknown collection "${key}"; known: ${Object.keys(COLLECTION_DEFAULTS).join(', ')}`);
    }
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,120}$/.test(name)) {
      throw new SettingsError('collections', `collection name for "${key}" must be 1-120 letters, digits, _ . -`);
    }
    result[key as CollectionKey] = name;
  }
  return result;
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function readSettings(source: ContextSource): PlatoSettings {
  const slug = text(source, 'restaurant');
  if (!slug) throw new SettingsError('restaurant', 'required: deploy with -c restaurant=<slug>, e.g. -c restaurant=demo');
  if (!SLUG_PATTERN.test(slug)) {
    throw new SettingsError('restaurant', `"${slug}" must be 2-30 lowercase letters, digits and hyphens, starting with a letter`);
  }

  const stage = text(source, 'stage') ?? 'dev';
  if (stage !== 'dev' && stage !== 'prod') throw new SettingsError('stage', `must be dev or prod, got "${stage}"`);

  const domain = text(source, 'domain')?.toLowerCase();
  const certificateArn = text(source, 'certificateArn');
  if (domain && !/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) {
    throw new SettingsError('domain', `"${domain}" is not a domain name`);
  }
  if (domain && !certificateArn) throw new SettingsError('certificateArn', 'required with "domain": an ACM certificate in us-east-1 covering it');
  if (certificateArn && !domain) throw new SettingsError('domain', 'required with "certificateArn"');
  if (certificateArn && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) {
    throw new SettingsError('certificateArn', 'must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there)');
  }

  const mongoDb = text(source, 'mongoDb') ?? 'plato';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongoDb)) throw new SettingsError('mongoDb', 'must be 1-63 letters, digits, _ or -');

  const posMoneyUnit = text(source, 'posMoneyUnit') ?? 'major';
  if (!(POS_MONEY_UNITS as readonly string[]).includes(posMoneyUnit)) throw new SettingsError('posMoneyUnit', `must be ${POS_MONEY_UNITS.join(' or ')}`);

  const currency = (text(source, 'currency') ?? 'INR').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new SettingsError('currency', `must be an ISO 4217 code such as INR, got "${currency}"`);

  const timeZone = text(source, 'timeZone') ?? 'Asia/Kolkata';
  if (!validTimeZone(timeZone)) throw new SettingsError('timeZone', `"${timeZone}" is not an IANA time zone`);

  const locale = text(source, 'locale') ?? 'en-IN';
  try {
    new Intl.Locale(locale);
  } catch {
    throw new SettingsError('locale', `"${locale}" is not a BCP 47 locale`);
  }

  const restaurantName = text(source, 'restaurantName') ?? slug;
  if (restaurantName.length > 100) throw new SettingsError('restaurantName', 'at most 100 characters');

  const logRetentionDays = integer(source, 'logRetentionDays', 30, 1, 3653);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new SettingsError('logRetentionDays', `CloudWatch accepts ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  const alarmEmail = text(source, 'alarmEmail');
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) throw new SettingsError('alarmEmail', 'is not an email address');

  const webAclArn = text(source, 'webAclArn');
  if (webAclArn && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/.test(webAclArn)) {
    throw new SettingsError('webAclArn', 'must be a WAFv2 web ACL ARN with CLOUDFRONT scope (us-east-1, global/webacl/...)');
  }
  const wafSetting = text(source, 'waf') ?? 'on';
  if (wafSetting !== 'on' && wafSetting !== 'off') throw new SettingsError('waf', `must be on or off, got "${wafSetting}"`);
  if (wafSetting === 'off' && webAclArn) throw new SettingsError('waf', 'off contradicts "webAclArn": pass one or the other');

  const originSecretVersion = text(source, 'originSecretVersion');
  if (originSecretVersion && !/^[A-Za-z0-9-]{32,64}$/.test(originSecretVersion)) {
    throw new SettingsError('originSecretVersion', 'must be a Secrets Manager VersionId (as put-secret-value prints it)');
  }

  return {
    slug,
    stage,
    domain,
    certificateArn,
    mongoDb,
    collections: collectionOverrides(source),
    posMoneyUnit: posMoneyUnit as PosMoneyUnit,
    restaurantName,
    taxRateBps: integer(source, 'taxRateBps', 500, 0, 10_000),
    currency,
    locale,
    timeZone,
    logRetentionDays,
    guestDataRetentionDays: integer(source, 'guestDataRetentionDays', 365, 1, 3650),
    alarmEmail,
    waf: webAclArn ? 'existing' : wafSetting === 'off' ? 'off' : 'created',
    webAclArn,
    originSecretVersion,
    throttle: {
      rateLimit: integer(source, 'throttleRate', 500, 1, 10_000),
      burstLimit: integer(source, 'throttleBurst', 1000, 1, 5_000),
    },
    deployStamp: text(source, 'deployStamp') ?? new Date().toISOString(),
  };
}

/** `Plato-<slug>`: one CloudFormation stack per restaurant. */
export const stackNameOf = (slug: string): string => `Plato-${slug}`;
