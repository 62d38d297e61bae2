/**
 * One end-to-end world per test file: the local stack (random port, demo seed) serving a private
 * copy of the built apps, and one headless Chromium. Devices opened through it are closed after
 * each test; when a test fails, each open device's screen is saved as
 * test-artifacts/screenshots/failed-<test>-<n>.png to show what the page looked like.
 *
 *   const world = useE2eWorld();
 *   it('…', async () => {
 *     const phone = await world.device('phone');
 *     await phone.page.goto(`/?table=${(await world.t.freshTable('T-5')).code}`);
 *   });
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestStack, type TestStack } from '../../support/stack.ts';
import { launchChromium, newDevice, shot, snapshotWebDist, type Device, type DeviceKind } from './browser.ts';

export interface E2eWorld {
  /** The stack and its helpers (staff logins, tables, API client). Set in beforeAll. */
  readonly t: TestStack;
  readonly browser: Browser;
  /** A new phone (360×640), tablet or desktop (1280×800) with its own cookies, closed after the test. */
  device(kind: DeviceKind): Promise<Device>;
}

export function useE2eWorld(options: { env?: Record<string, string> } = {}): E2eWorld {
  let t: TestStack | undefined;
  let browser: Browser | undefined;
  let web: { root: string; remove: () => void } | undefined;
  let open: Device[] = [];

  beforeAll(async () => {
    web = await snapshotWebDist();
    [t, browser] = await Promise.all([startTestStack({ webRoot: web.root, env: options.env }), launchChromium()]);
  });

  afterEach(async (context) => {
    const devices = open;
    open = [];
    if (context.task.result?.state === 'fail') {
      const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await Promise.all(devices.map((device, i) => shot(device.page, `failed-${name}-${i + 1}`).catch(() => undefined)));
      for (const [i, device] of devices.entries()) if (device.errors.length) console.error(`device ${i + 1} errors:`, device.errors);
    }
    await Promise.all(devices.map((device) => device.context.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
    web?.remove();
  });

  return {
    get t() {
      if (!t) throw new Error('The e2e stack is not started (use the world inside tests)');
      return t;
    },
    get browser() {
      if (!browser) throw new Error('The browser is not started (use the world inside tests)');
      return browser;
    },
    async device(kind) {
      const device = await newDevice(this.browser, this.t.baseUrl, kind);
      open.push(device);
      return device;
    },
  };
}
