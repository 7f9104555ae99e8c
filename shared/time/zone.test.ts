import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstantInZone } from './parse.ts';
import { isValidTimeZone, ZoneClock } from './zone.ts';

// Zones with DST both ways, a half-hour DST (Lord Howe), a 45-minute offset and a 30-minute one.
const ZONES = [
  'America/Sao_Paulo',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'UTC',
];

function intlParts(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(ms);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

describe('ZoneClock', () => {
  it('gives the same wall clock as Intl for any instant in any zone', () => {
    const clocks = ZONES.map((zone) => new ZoneClock(zone));
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.nat(ZONES.length - 1),
        (ms, i) => {
          expect(clocks[i]!.parts(ms)).toEqual(intlParts(ms, ZONES[i]!));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds local midnights, also across DST changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.nat(ZONES.length - 1),
        (ms, i) => {
          const clock = new ZoneClock(ZONES[i]!);
          const next = clock.startOfNextDay(ms);
          expect(next).toBeGreaterThan(ms);
          expect(clock.localDay(next)).toBe(clock.localDay(ms) + 1);
          expect(clock.localDay(next - 1)).toBe(clock.localDay(ms));
          const start = clock.startOfDay(ms);
          expect(start).toBeLessThanOrEqual(ms);
          expect(clock.localDay(start)).toBe(clock.localDay(ms));
          expect(clock.localDay(start - 1)).toBe(clock.localDay(ms) - 1);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('reads local dates typed by a person, skipping times that a DST change skips', () => {
    const saoPaulo = new ZoneClock('America/Sao_Paulo');
    expect(parseInstantInZone('2026-03-10', saoPaulo)).toBe(Date.parse('2026-03-10T03:00:00Z'));
    expect(parseInstantInZone('2026-03-10T15:41', saoPaulo)).toBe(Date.parse('2026-03-10T18:41:00Z'));
    expect(parseInstantInZone('2026-03-10T18:41:00Z', saoPaulo)).toBe(Date.parse('2026-03-10T18:41:00Z'));
    const newYork = new ZoneClock('America/New_York');
    // 2026-03-08 02:30 does not exist in New York: clocks jump from 02:00 to 03:00.
    expect(parseInstantInZone('2026-03-08T02:30', newYork)).toBe(Date.parse('2026-03-08T07:00:00Z'));
    expect(parseInstantInZone('2026-02-30', newYork)).toBeUndefined();
    expect(parseInstantInZone('yesterday', newYork)).toBeUndefined();
  });

  it('knows IANA zones', () => {
    expect(isValidTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isValidTimeZone('Mars/Base')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(() => new ZoneClock('Mars/Base')).toThrow(/unknown time zone/);
  });
});
