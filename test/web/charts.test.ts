/**
 * Chart labels never overlap: each is cut with "…" to the room up to the next label (the whole name
 * stays in the label's <title> and the chart's table).
 */
import { describe, expect, it } from 'vitest';
import { fitLabel } from '../../web/staff/charts.tsx';

describe('fitLabel', () => {
  it('keeps a label that fits', () => {
    expect(fitLabel('Chai', 54)).toBe('Chai');
    expect(fitLabel('12:00', 40)).toBe('12:00');
  });

  it('cuts a long dish name to its room, ending in an ellipsis, never wider than the room', () => {
    const cut = fitLabel('Paneer Butter Masala with Extra Cream', 54);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThan(10);
    expect('Paneer Butter Masala with Extra Cream'.startsWith(cut.slice(0, -1))).toBe(true);
    // 11 px letters at ~0.62 em: a 54-unit room holds at most 7 of them with the ellipsis.
    expect([...cut].length * 11 * 0.62).toBeLessThanOrEqual(54 + 11 * 0.62);
  });

  it('counts Devanagari as wider, and cuts it too', () => {
    const hindi = fitLabel('पनीर बटर मसाला विद एक्स्ट्रा क्रीम', 54);
    expect(hindi.endsWith('…')).toBe(true);
    expect([...hindi].length).toBeLessThan([...fitLabel('Paneer Butter Masala with Extra Cream', 54)].length + 1);
  });
});
