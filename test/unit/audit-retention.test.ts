/**
 * The audit log keeps its 90-day TTL (issue #20, retention): every entry expires 90 days after it is
 * written, and setup creates the TTL index that removes it then.
 */
import { describe, expect, it, vi } from 'vitest';
import { INDEXES } from '../../functions/data/indexes.ts';
import { AUDIT_RETENTION_DAYS, auditDocument } from '../../functions/data/audit.ts';

describe('the audit log', () => {
  it('expires each entry 90 days after it is written, through a TTL index on expiresAt', () => {
    vi.stubEnv('RESTAURANT_ID', 'demo');
    const time = new Date('2026-01-01T00:00:00Z');
    const doc = auditDocument({ action: 'STAFF_LOGIN', outcome: 'success', actor: { kind: 'staff', id: 'u1' } }, time);
    expect(AUDIT_RETENTION_DAYS).toBe(90);
    expect(doc.expiresAt).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(INDEXES.auditLog).toContainEqual({ key: { expiresAt: 1 }, name: 'expiry', expireAfterSeconds: 0 });
    vi.unstubAllEnvs();
  });
});
