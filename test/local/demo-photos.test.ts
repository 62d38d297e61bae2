// The seed's drawn dish photos in a kept media directory (npm start -- --data-dir, the crash test's
// restarts): stored once, not rewritten at every start, and stored again when a copy is not whole.
import { mkdtempSync, rmSync, statSync, truncateSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoPhotoSvg, storeDemoPhoto } from '../../local/demo-photos.ts';
import { createMediaStore, LOCAL_MEDIA_BUCKET } from '../../local/media-store.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'plato-photos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo photos in a kept media directory', () => {
  it('stores each copy once, and again only when the stored one is not whole', async () => {
    const store = createMediaStore({ dir, credentials: () => ({ secret: 's', region: 'ap-south-1' }), invoke: async () => ({}) });
    const writes: string[] = [];
    const counting = { put: (key: string, body: Buffer, type: string) => (writes.push(key), store.put(key, body, type)), holds: store.holds };
    const svg = demoPhotoSvg('Butter Naan', 'Breads');
    const first = await storeDemoPhoto(counting, 'demo', 'a'.repeat(24), svg);
    expect(writes.length).toBeGreaterThan(0);
    const copies = [...writes];
    const fileOf = (key: string) => path.join(dir, LOCAL_MEDIA_BUCKET, key);
    for (const key of copies) utimesSync(fileOf(key), new Date(0), new Date(0));

    writes.length = 0;
    expect(await storeDemoPhoto(counting, 'demo', 'a'.repeat(24), svg)).toEqual(first);
    expect(writes).toEqual([]);
    for (const key of copies) expect(statSync(fileOf(key)).mtimeMs).toBe(0);

    truncateSync(fileOf(copies[0]), 10); // a write cut short by a crash
    await storeDemoPhoto(counting, 'demo', 'a'.repeat(24), svg);
    expect(writes).toEqual([copies[0]]);
    expect(statSync(fileOf(copies[0])).size).toBeGreaterThan(10);
  });
});
