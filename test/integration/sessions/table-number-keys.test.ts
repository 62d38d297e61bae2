/**
 * Tables from before the staff console could add them get their number key from setup (run at every
 * deploy), so the any-case unique index guards their numbers too (functions/sessions/table-setup.ts).
 */
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTableNumberKeys } from '../../../functions/sessions/table-setup.ts';
import { startTestStack, type TestStack } from '../../support/stack.ts';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(() => t?.stop());

const create = async (body: unknown) => t.api.post('/api/staff/tables', body, { token: (await t.loginAs('MANAGER')).token });

describe('tables from before the console added them', () => {
  it('get their number key at setup, so the unique index guards them in any case too; a pair differing only in case keeps the store check', async () => {
    const tables = t.collection('tables');
    const t9 = new ObjectId(await t.tableId('T-9'));
    await tables.updateOne({ _id: t9 }, { $unset: { numberKey: '' } });
    // Typed by hand before the console: "t-10" beside the seeded "T-10" (the exact-number index allows both).
    const lowerT10 = new ObjectId();
    const now = new Date();
    await tables.insertOne({ _id: lowerT10, restaurantId: 'demo', number: 't-10', floor: 'First Floor', sortOrder: 99, idLinkRetired: true, createdAt: now, updatedAt: now });
    try {
      await ensureTableNumberKeys();
      expect((await tables.findOne({ _id: t9 }))?.numberKey).toBe('t-9');
      expect((await tables.findOne({ _id: lowerT10 }))?.numberKey).toBeUndefined();
      // The index now refuses a second "T-9" in any case, whoever writes it.
      await expect(tables.insertOne({ _id: new ObjectId(), restaurantId: 'demo', number: 't-9', numberKey: 't-9', floor: 'Ground Floor', sortOrder: 100, createdAt: now, updatedAt: now })).rejects.toThrow(/duplicate key|E11000/i);
      // And the console still refuses either pair's number.
      expect((await create({ number: 'T-10', floor: 'First Floor' })).body.error.code).toBe('TABLE_EXISTS');
      // Run again (every deploy): nothing changes, nothing fails.
      await ensureTableNumberKeys();
      expect((await tables.findOne({ _id: lowerT10 }))?.numberKey).toBeUndefined();
    } finally {
      await tables.deleteOne({ _id: lowerT10 });
    }
  });
});
