import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attemptsLeft, derivePinKey, generatePin, hashPin, lockoutSeconds, verifyPin } from '../../functions/core/pin.ts';

const key = derivePinKey('a-server-secret-of-at-least-32-characters!');

describe('generatePin', () => {
  it('is always exactly 4 digits, including leading zeros', () => {
    const pins = Array.from({ length: 5000 }, generatePin);
    for (const pin of pins) expect(pin).toMatch(/^\d{4}$/);
  });

  it('spreads over the whole range (not a fixed or tiny set)', () => {
    const pins = new Set(Array.from({ length: 5000 }, generatePin));
    // 5000 draws from 10,000 values give ~3,935 distinct ones; a biased generator gives far fewer.
    expect(pins.size).toBeGreaterThan(3500);
    const firstDigits = new Set([...pins].map((pin) => pin[0]));
    expect(firstDigits.size).toBe(10);
  });
});

describe('hashPin / verifyPin', () => {
  it('verifies the right PIN and rejects every other one', () => {
    const stored = hashPin('0427', key);
    expect(verifyPin('0427', stored, key)).toBe(true);
    for (const wrong of ['0428', '4270', '0000', '427', '04270', '', 'abcd']) expect(verifyPin(wrong, stored, key)).toBe(false);
  });

  it('never stores the PIN and salts every hash', () => {
    const a = hashPin('1234', key);
    const b = hashPin('1234', key);
    expect(a).not.toBe(b);
    expect(a).not.toContain('1234');
    expect(a.split('$')).toHaveLength(4);
    expect(a.startsWith('hmac-sha256$v1$')).toBe(true);
  });

  it('is keyed: without the server secret the 10,000 candidates do not reveal the PIN', () => {
    const stored = hashPin('9051', key);
    const otherKey = derivePinKey('another-server-secret-of-32-characters-or-more');
    expect(verifyPin('9051', stored, otherKey)).toBe(false);
    // Brute force with the wrong key finds nothing.
    let found = 0;
    for (let n = 0; n < 10_000; n++) if (verifyPin(String(n).padStart(4, '0'), stored, otherKey)) found++;
    expect(found).toBe(0);
  });

  it('uses the given salt deterministically (same salt, same key, same PIN → same hash)', () => {
    const salt = randomBytes(16);
    expect(hashPin('5555', key, salt)).toBe(hashPin('5555', key, salt));
    expect(hashPin('5555', key, salt)).not.toBe(hashPin('5556', key, salt));
  });

  it('rejects malformed stored hashes instead of throwing', () => {
    for (const stored of ['', 'plain', 'hmac-sha256$v1$$', 'sha256$v1$abc$def', 'hmac-sha256$v2$abc$def']) {
      expect(verifyPin('1234', stored, key)).toBe(false);
    }
  });

  it('refuses to hash something that is not a 4-digit PIN', () => {
    expect(() => hashPin('123', key)).toThrow();
    expect(() => hashPin('12a4', key)).toThrow();
  });
});

describe('lockoutSeconds', () => {
  const policy = { baseSeconds: 15 * 60, maxSeconds: 4 * 3600 };

  it('doubles with each block: 15, 30, 60, 120, 240 minutes', () => {
    expect([1, 2, 3, 4, 5].map((n) => lockoutSeconds(n, policy) / 60)).toEqual([15, 30, 60, 120, 240]);
  });

  it('is capped at 4 hours, however many blocks', () => {
    expect(lockoutSeconds(6, policy)).toBe(4 * 3600);
    expect(lockoutSeconds(50, policy)).toBe(4 * 3600);
    expect(lockoutSeconds(5000, policy)).toBe(4 * 3600);
  });

  it('follows the configured base and cap', () => {
    expect(lockoutSeconds(1, { baseSeconds: 60, maxSeconds: 300 })).toBe(60);
    expect(lockoutSeconds(3, { baseSeconds: 60, maxSeconds: 300 })).toBe(240);
    expect(lockoutSeconds(4, { baseSeconds: 60, maxSeconds: 300 })).toBe(300);
  });

  it('starts counting blocks at 1', () => {
    expect(() => lockoutSeconds(0, policy)).toThrow();
    expect(() => lockoutSeconds(1.5, policy)).toThrow();
  });
});

describe('attemptsLeft', () => {
  it('counts down to zero and never below', () => {
    expect([1, 2, 3, 4, 5, 6, 100].map((used) => attemptsLeft(used, 5))).toEqual([4, 3, 2, 1, 0, 0, 0]);
  });
});
