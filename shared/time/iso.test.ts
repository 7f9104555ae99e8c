import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from './iso.ts';

describe('parseInstant', () => {
  it('reads toISOString output exactly as Date.parse does', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseInstant(text)).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads offsets and other precisions through Date.parse', () => {
    expect(parseInstant('2026-03-10T15:41:00-03:00')).toBe(Date.parse('2026-03-10T18:41:00Z'));
    expect(parseInstant('2026-03-10T18:41:00Z')).toBe(Date.parse('2026-03-10T18:41:00.000Z'));
    expect(parseInstant('2026-03-10T18:41:00.123456Z')).toBe(Date.parse('2026-03-10T18:41:00.123Z'));
  });
});
