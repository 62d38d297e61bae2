/** Context parsing for a restaurant stack, and the CloudFront Function that routes the apps. */
import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../../lib/settings.ts';
import { SPA_ROUTING_CODE } from '../../lib/spa-routing.ts';

const from = (context: Record<string, unknown>) => readSettings({ tryGetContext: (key) => context[key] });

describe('readSettings', () => {
  it('needs a restaurant slug and applies the defaults', () => {
    expect(() => from({})).toThrowError(/restaurant.*required/);
    expect(from({ restaurant: 'demo', deployStamp: 'x' })).toEqual({
      slug: 'demo',
      stage: 'dev',
      domain: undefined,
      certificateArn: undefined,
      mongoDb: 'plato',
      collections: {},
      posMoneyUnit: 'major',
      restaurantName: 'demo',
      taxRateBps: 500,
      currency: 'INR',
      locale: 'en-IN',
      timeZone: 'Asia/Kolkata',
      logRetentionDays: 30,
      guestDataRetentionDays: 365,
      alarmEmail: undefined,
      waf: 'created',
      webAclArn: undefined,
      originSecretVersion: undefined,
      throttle: { rateLimit: 500, burstLimit: 1000 },
      deployStamp: 'x',
    });
  });

  it.each([
    [{ restaurant: 'Demo' }, 'restaurant'],
    [{ restaurant: 'a' }, 'restaurant'],
    [{ restaurant: 'demo-' }, 'restaurant'],
    [{ restaurant: 'x'.repeat(31) }, 'restaurant'],
    [{ restaurant: 'demo', stage: 'staging' }, 'stage'],
    [{ restaurant: 'demo', domain: 'order.example.com' }, 'certificateArn'],
    [{ restaurant: 'demo', domain: 'order.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }, 'certificateArn'],
    [{ restaurant: 'demo', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }, 'domain'],
    [{ restaurant: 'demo', taxRateBps: '12.5' }, 'taxRateBps'],
    [{ restaurant: 'demo', originSecretVersion: 'AWSCURRENT' }, 'originSecretVersion'],
    [{ restaurant: 'demo', taxRateBps: 10_001 }, 'taxRateBps'],
    [{ restaurant: 'demo', currency: 'rupees' }, 'currency'],
    [{ restaurant: 'demo', timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ restaurant: 'demo', logRetentionDays: 10 }, 'logRetentionDays'],
    [{ restaurant: 'demo', guestDataRetentionDays: 0 }, 'guestDataRetentionDays'],
    [{ restaurant: 'demo', collections: '{"nope":"x"}' }, 'collections'],
    [{ restaurant: 'demo', collections: 'orders=x' }, 'collections'],
    [{ restaurant: 'demo', mongoDb: 'my db' }, 'mongoDb'],
    [{ restaurant: 'demo', alarmEmail: 'ops' }, 'alarmEmail'],
    [{ restaurant: 'demo', posMoneyUnit: 'paise' }, 'posMoneyUnit'],
  ])('rejects %o naming %s', (context, key) => {
    expect(() => from(context)).toThrowError(SettingsError);
    expect(() => from(context)).toThrowError(new RegExp(`"${key}"`));
  });

  it('takes command-line strings and cdk.json values alike', () => {
    const settings = from({
      restaurant: 'bistro-2',
      stage: 'prod',
      domain: 'Order.Bistro.Example',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111',
      taxRateBps: '1800',
      currency: 'eur',
      timeZone: 'Europe/Paris',
      logRetentionDays: 90,
      guestDataRetentionDays: '90',
      collections: { orders: 'pos_orders', tableSessions: 'sessions' },
    });
    expect(settings).toMatchObject({
      guestDataRetentionDays: 90,
      slug: 'bistro-2',
      stage: 'prod',
      domain: 'order.bistro.example',
      taxRateBps: 1800,
      currency: 'EUR',
      timeZone: 'Europe/Paris',
      logRetentionDays: 90,
      collections: { orders: 'pos_orders', tableSessions: 'sessions' },
    });
  });
});

describe('SPA routing CloudFront Function', () => {
  const handler = new Function(`${SPA_ROUTING_CODE}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
  const route = (uri: string) => handler({ request: { uri } }).uri;

  it.each([
    ['/', '/index.html'],
    ['/kitchen', '/kitchen/index.html'],
    ['/kitchen/', '/kitchen/index.html'],
    ['/kitchen/tickets/42', '/kitchen/index.html'],
    ['/staff', '/staff/index.html'],
    ['/staff/tables/T-1', '/staff/index.html'],
    ['/kitchen/index.html', '/kitchen/index.html'],
    ['/assets/app-1a2b.js', '/assets/app-1a2b.js'],
    ['/config.json', '/config.json'],
    ['/kitchenette', '/kitchenette'],
    ['/staffing/x', '/staffing/x'],
  ])('%s → %s', (uri, expected) => {
    expect(route(uri)).toBe(expected);
  });
});

describe('restaurants/<slug>.json', () => {
  it('supplies saved settings under the command line context', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { buildApp } = await import('../../lib/app.ts');
    const root = mkdtempSync(path.join(tmpdir(), 'plato-settings-'));
    try {
      mkdirSync(path.join(root, 'restaurants'));
      writeFileSync(path.join(root, 'restaurants', 'bistro.json'), JSON.stringify({ stage: 'prod', currency: 'EUR', timeZone: 'Europe/Paris' }));
      const { stacks } = buildApp({
        bundle: false,
        outdir: path.join(root, 'out'),
        settingsRoot: root,
        context: { restaurant: 'bistro', currency: 'CHF', deployStamp: 'x' },
      });
      expect(stacks[0].settings).toMatchObject({ slug: 'bistro', stage: 'prod', currency: 'CHF', timeZone: 'Europe/Paris' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
