/**
 * Dish photos (issue 19, item 4) in a real browser: the diner's menu shows the seeded, drawn photos
 * lazily, as WebP, in boxes sized up front (no layout shift while they load); a manager uploads a new
 * photo from the dish editor (the browser posts it to the media bucket's stand-in, the server resizes
 * it) and a guest's menu shows it.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/stack.ts';
import { shot } from './support/browser.ts';
import { DinerPage } from './support/diner.ts';
import { useE2eWorld } from './support/harness.ts';
import { StaffPage } from './support/staff.ts';

const world = useE2eWorld();

/** A drawn test photo, 900×600, as a phone's camera would give (not square: the server crops it). */
const drawnPhoto = () =>
  sharp(
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="600"><rect width="900" height="600" fill="#2e7d4f"/>' +
        '<circle cx="450" cy="300" r="250" fill="#fafaf5"/><circle cx="450" cy="300" r="170" fill="#e0a030"/>' +
        '<circle cx="400" cy="260" r="30" fill="#b03a1a"/><circle cx="510" cy="330" r="36" fill="#b03a1a"/></svg>',
    ),
  )
    .jpeg()
    .toBuffer();

describe('dish photos', () => {
  it('the diner shows the drawn photos lazily, as WebP, in boxes that never shift', async () => {
    const { t } = world;
    const table = await t.freshTable('T-5', 'FAMILY');
    const phone = await world.device('phone');
    // Record every layout shift from the first paint on.
    await phone.context.addInitScript(() => {
      (window as unknown as { __shift: number }).__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
          if (!entry.hadRecentInput) (window as unknown as { __shift: number }).__shift += entry.value;
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);

    const photos = phone.page.locator('.menu-item-side picture img');
    expect(await photos.count()).toBe(30);
    const first = photos.first();
    expect(await first.getAttribute('loading')).toBe('lazy');
    expect(await first.getAttribute('decoding')).toBe('async');
    expect([await first.getAttribute('width'), await first.getAttribute('height')]).toEqual(['88', '88']);
    await first.evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true }))));
    // WebP from the <source>, at the width that suits a 2x phone screen (176 px for an 88 px box).
    expect(await first.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\/media\/menu\/demo\/[a-f0-9]{24}\/[a-f0-9]{32}-176\.webp$/);
    // Lazy: the last dish's photo, far below the fold, has not been fetched yet.
    expect(await photos.last().evaluate((img: HTMLImageElement) => img.currentSrc === '' || !img.complete || img.naturalWidth === 0)).toBe(true);
    await phone.page.getByRole('heading', { name: 'Curries', exact: true }).scrollIntoViewIfNeeded();
    await phone.page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.menu-item-side img')].filter((img) => img.getBoundingClientRect().top < innerHeight && img.getBoundingClientRect().bottom > 0).every((img) => img.complete && img.naturalWidth > 0));
    expect(await phone.page.evaluate(() => (window as unknown as { __shift: number }).__shift)).toBe(0);
    await shot(phone.page, 'diner-menu-photos');

    await phone.page.getByRole('button', { name: 'Add Butter Chicken', exact: true }).click();
    const sheet = phone.page.getByRole('dialog', { name: 'Butter Chicken' });
    await sheet.locator('.item-photo img').evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true }))));
    await shot(phone.page, 'diner-dish-sheet-photo');
  });

  it('a photo that cannot load leaves its box empty, not a broken-image icon', async () => {
    const table = await world.t.freshTable('T-6', 'FAMILY');
    const phone = await world.device('phone');
    await phone.page.route('**/media/**', (route) => route.abort('internetdisconnected'));
    const diner = new DinerPage(phone.page);
    await diner.open(table.code);
    await diner.join(table.pin);
    const first = phone.page.locator('.menu-item-side picture img').first();
    await phone.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.menu-item-side picture img');
      return img?.complete && img.naturalWidth === 0;
    });
    await expect.poll(() => first.evaluate((img) => getComputedStyle(img).visibility)).toBe('hidden');
    expect((await first.boundingBox())?.width).toBe(88); // the box keeps its size: nothing moves
  });

  it('a manager uploads a photo in the dish editor; it is resized and the guests see it', async () => {
    const { t } = world;
    const desk = await world.device('desktop');
    const staff = new StaffPage(desk.page);
    await staff.open('manager', TEST_PASSWORD);
    await desk.page.getByTestId('nav-menu').click();
    await desk.page.getByTestId('menu-item').filter({ hasText: 'Dal Makhani' }).getByTestId('edit-dish').click();
    const photo = desk.page.getByTestId('dish-editor').getByTestId('dish-photo');
    const before = await photo.locator('img').getAttribute('src');
    await photo.getByTestId('dish-photo-file').setInputFiles({ name: 'dal.jpg', mimeType: 'image/jpeg', buffer: await drawnPhoto() });
    await desk.page.getByText('Photo saved for Dal Makhani.').waitFor();
    const after = await photo.locator('img').getAttribute('src');
    expect(after).not.toBe(before);
    expect(after).toMatch(/\/media\/menu\/demo\/[a-f0-9]{24}\/[a-f0-9]{32}-176\.jpg$/);
    await photo.locator('img').evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve, { once: true }))));
    await photo.scrollIntoViewIfNeeded();
    await shot(desk.page, 'staff-dish-photo-uploaded', { hideToasts: false });

    // Refused in the app's words before anything is sent: a GIF.
    await photo.getByTestId('dish-photo-file').setInputFiles({ name: 'x.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    await photo.getByText('Choose a JPEG, PNG or WebP photo.').waitFor();

    const dal = (await t.api.get('/api/menu')).body.categories.flatMap((c: any) => c.items).find((i: any) => i.name === 'Dal Makhani');
    expect(`${dal.photo.path}-176.jpg`).toBe(new URL(after!, t.baseUrl).pathname);
    const served = await fetch(`${t.baseUrl}${dal.photo.path}-480.webp`);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(480);
  });
});
