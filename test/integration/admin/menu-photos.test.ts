/**
 * Dish photos end to end through the local runtime: a manager's presigned POST upload into the media
 * bucket's stand-in (policy and signature checked as S3 does), the commit that has the `media`
 * function resize it (sharp, invoked through the Lambda API stand-in), the copies served at /media/*
 * and on the public menu, and every refusal with its 4xx and stable error.code.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_MAX_BYTES, PHOTO_WIDTHS } from '../../../functions/core/photos.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
let manager: string;

beforeAll(async () => {
  t = await startTestStack();
  manager = (await t.loginAs('MANAGER')).token;
});
afterAll(() => t?.stop());

const photoOf = async (width: number, height: number, format: 'jpeg' | 'png' = 'jpeg') =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 30 } } })[format]().toBuffer();

const startUpload = (itemId: string, body: unknown, token = manager) => t.api.request('POST', `/api/staff/menu/items/${itemId}/photo/upload`, body, { token });
const commit = (itemId: string, key: string, token = manager) => t.api.request('PUT', `/api/staff/menu/items/${itemId}/photo`, { key }, { token });

/** The browser's part: the signed fields, then the file, as a multipart POST to the upload URL. */
async function upload(target: { url: string; fields: Record<string, string> }, file: Buffer, type = 'image/jpeg', override: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...target.fields, ...override })) form.append(name, value);
  form.append('file', new Blob([new Uint8Array(file)], { type }));
  const url = new URL(target.url, t.baseUrl);
  const response = await fetch(url, { method: 'POST', body: form });
  return { status: response.status, text: await response.text() };
}

describe('a dish photo', () => {
  it('is uploaded with a presigned POST, resized to 2 widths in WebP and JPEG, served at /media and shown on the menu', async () => {
    const dish = await t.dish('Tandoori Roti');
    const started = await startUpload(dish.id, { contentType: 'image/jpeg', size: 50_000 });
    expect(started.status).toBe(201);
    expect(started.body.key).toMatch(new RegExp(`^uploads/demo/${dish.id}/[a-f0-9]{32}$`));
    expect(started.body.maxBytes).toBe(PHOTO_MAX_BYTES);
    const policy = JSON.parse(Buffer.from(started.body.upload.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 1, PHOTO_MAX_BYTES]);
    expect(policy.conditions).toContainEqual({ key: started.body.key });
    expect(policy.conditions).toContainEqual({ 'Content-Type': 'image/jpeg' });

    expect((await upload(started.body.upload, await photoOf(1200, 800))).status).toBe(204);
    const committed = await commit(dish.id, started.body.key);
    expect(committed.status).toBe(200);
    const photo = committed.body.photo;
    expect(photo).toEqual({ path: expect.stringMatching(new RegExp(`^/media/menu/demo/${dish.id}/[a-f0-9]{32}$`)), width: 480, height: 480 });

    for (const width of PHOTO_WIDTHS) {
      for (const [ext, type, format] of [['webp', 'image/webp', 'webp'], ['jpg', 'image/jpeg', 'jpeg']] as const) {
        const served = await fetch(`${t.baseUrl}${photo.path}-${width}.${ext}`);
        expect(served.status).toBe(200);
        expect(served.headers.get('content-type')).toBe(type);
        expect(served.headers.get('cache-control')).toContain('immutable');
        const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
        expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format, width, height: width });
      }
    }
    const menu = await t.api.get('/api/menu');
    const onMenu = menu.body.categories.flatMap((c: any) => c.items).find((i: any) => i.id === dish.id);
    expect(onMenu.photo).toEqual(photo);
    // The upload itself is gone: a second commit of the same key finds nothing.
    expect((await commit(dish.id, started.body.key)).body.error.code).toBe('PHOTO_NOT_UPLOADED');
  });

  it('refuses what is too large, of another type or unreadable, each with its 4xx and error.code', async () => {
    const dish = await t.dish('Butter Naan');
    const tooLarge = await startUpload(dish.id, { contentType: 'image/jpeg', size: PHOTO_MAX_BYTES + 1 });
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([413, 'PHOTO_TOO_LARGE']);
    const gif = await startUpload(dish.id, { contentType: 'image/gif', size: 1000 });
    expect([gif.status, gif.body.error.code]).toEqual([415, 'PHOTO_TYPE_UNSUPPORTED']);

    // A browser that declares a small file and sends a large one: the bucket refuses it from the policy.
    const started = await startUpload(dish.id, { contentType: 'image/jpeg', size: 1000 });
    const refused = await upload(started.body.upload, Buffer.alloc(PHOTO_MAX_BYTES + 1, 1));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('EntityTooLarge');
    // Another content type than signed.
    expect((await upload(started.body.upload, await photoOf(50, 50, 'png'), 'image/png', { 'Content-Type': 'image/png' })).status).toBe(403);
    // A file that is not an image: uploaded, then refused at the commit, and the dish is unchanged.
    expect((await upload(started.body.upload, Buffer.from('not an image at all'))).status).toBe(204);
    const unreadable = await commit(dish.id, started.body.key);
    expect([unreadable.status, unreadable.body.error.code]).toEqual([422, 'PHOTO_UNREADABLE']);
    expect((await t.collection('menuItems').findOne({ name: 'Butter Naan' }))!.photo.path).toBe(dish.photo!.path);
  });

  it("refuses another restaurant's or another dish's key, a key the server never signed, and a tampered policy", async () => {
    const dish = await t.dish('Masala Chai');
    const other = await t.dish('Mango Lassi');
    const started = await startUpload(dish.id, { contentType: 'image/jpeg', size: 1000 });
    const id = started.body.key.split('/').pop();
    for (const key of [`uploads/bistro/${dish.id}/${id}`, `uploads/demo/${other.id}/${id}`, `media/menu/demo/${dish.id}/${id}-480.webp`, '../uploads/demo/x']) {
      const refused = await commit(dish.id, key);
      expect([refused.status, refused.body.error.code], key).toEqual([403, 'PHOTO_KEY_FORBIDDEN']);
    }
    // The signed policy pins the key: the same fields cannot write anywhere else, nor with a changed policy.
    const elsewhere = await upload(started.body.upload, await photoOf(50, 50), 'image/jpeg', { key: `uploads/bistro/${dish.id}/${id}` });
    expect(elsewhere.status).toBe(403);
    const policy = JSON.parse(Buffer.from(started.body.upload.fields.Policy, 'base64').toString('utf8'));
    policy.conditions = policy.conditions.map((c: unknown) => (Array.isArray(c) ? ['content-length-range', 1, 1e9] : c));
    const tampered = await upload(started.body.upload, await photoOf(50, 50), 'image/jpeg', { Policy: Buffer.from(JSON.stringify(policy)).toString('base64') });
    expect(tampered.status).toBe(403);
    expect(tampered.text).toContain('SignatureDoesNotMatch');
  });

  it('needs a manager, and can be removed', async () => {
    const dish = await t.dish('Gulab Jamun');
    const waiter = (await t.loginAs('WAITER')).token;
    expect((await startUpload(dish.id, { contentType: 'image/jpeg', size: 1000 }, waiter)).status).toBe(403);
    const removed = await t.api.request('DELETE', `/api/staff/menu/items/${dish.id}/photo`, undefined, { token: manager });
    expect(removed.status).toBe(200);
    expect(removed.body.photo).toBeUndefined();
  });

  it('comes with the seeded demo menu: every dish has a drawn photo, served', async () => {
    const items = await t.menuItems();
    expect(items.every((item) => item.photo && /^\/media\/menu\/demo\/[a-f0-9]{24}\/[a-f0-9]{32}$/.test(item.photo.path))).toBe(true);
    const served = await fetch(`${t.baseUrl}${items[0].photo!.path}-176.webp`);
    expect(served.status).toBe(200);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(176);
  });
});
