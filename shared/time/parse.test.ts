import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantText } from '../testing/instants.ts';
import { parseInstant } from './iso.ts';
import { instantProblem, isIsoInstant, parseInstantInZone } from './parse.ts';
import { ZoneClock } from './zone.ts';

describe('the instant rule', () => {
  it('accepts every instant of the years 0001–9999 with an offset within ±14:00, and reads it', () => {
    fc.assert(
      fc.property(instantText, ({ text, ms }) => {
        expect(instantProblem(text)).toBeUndefined();
        expect(parseInstant(text)).toBe(ms);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['2026-03-10T18:41:00', 'must be an ISO-8601 instant with Z or an offset'],
    ['2026-03-10 18:41:00Z', 'must be an ISO-8601 instant with Z or an offset'],
    ['+002026-03-10T18:41:00Z', 'must be an ISO-8601 instant with Z or an offset'],
    ['2026-03-10T18:41:00+0300', 'must be an ISO-8601 instant with Z or an offset'],
    ['0000-01-01T00:00:00Z', 'the year must be between 0001 and 9999'],
    ['0000-12-31T23:59:59-14:00', 'the year must be between 0001 and 9999'],
    ['2026-02-29T00:00:00Z', 'names a day or time that does not exist'],
    ['2026-03-10T24:00:00Z', 'names a day or time that does not exist'],
    ['2026-03-10T18:41:60Z', 'names a day or time that does not exist'],
    ['2026-03-10T18:41:00+14:01', 'the offset must be within ±14:00'],
    ['2026-03-10T18:41:00-15:00', 'the offset must be within ±14:00'],
    ['2026-03-10T18:41:00+16:00', 'the offset must be within ±14:00'],
    ['2026-03-10T18:41:00+99:99', 'the offset must be within ±14:00'],
    ['2026-03-10T18:41:00+05:60', 'the offset must be within ±14:00'],
    ['2026-03-10T18:41:00.1234567890Z', 'may have at most 9 decimals of a second'],
    [`2026-03-10T18:41:00.${'1'.repeat(200)}+01:00`, 'may have at most 9 decimals of a second'],
  ])('refuses %s: %s', (text, problem) => {
    expect(instantProblem(text)).toBe(problem);
    expect(isIsoInstant(text)).toBe(false);
  });

  it('is the rule for instants typed by a person too; local dates need a year from 0001', () => {
    const utc = new ZoneClock('UTC');
    expect(parseInstantInZone('0000-01-01', utc)).toBeUndefined();
    expect(parseInstantInZone('2026-03-10T18:41:00+16:00', utc)).toBeUndefined();
    expect(parseInstantInZone('2026-03-10T18:41:00+14:00', utc)).toBe(Date.parse('2026-03-10T04:41:00Z'));
    expect(parseInstantInZone(' 2026-03-10T18:41Z ', utc)).toBe(Date.parse('2026-03-10T18:41:00Z'));
  });
});
