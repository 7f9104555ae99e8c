import { describe, expect, it } from 'vitest';
import { currentFilters, type RELATIVE_PERIODS, resolvePeriod, todayIn } from './filters.ts';

const SAO_PAULO = 'America/Sao_Paulo';
const NEW_YORK = 'America/New_York';

describe('resolvePeriod', () => {
  it('names the local day of the zone, not of UTC', () => {
    // 02:30 UTC on 2026-12-03 is still the evening of the 2nd in São Paulo (UTC−3).
    const now = Date.parse('2026-12-03T02:30:00Z');
    expect(todayIn(SAO_PAULO, now)).toBe('2026-12-02');
    expect(todayIn('UTC', now)).toBe('2026-12-03');
    expect(resolvePeriod('today', now, SAO_PAULO)).toEqual({ fromDate: '2026-12-02', toDate: '2026-12-02' });
    expect(resolvePeriod('yesterday', now, SAO_PAULO)).toEqual({
      fromDate: '2026-12-01',
      toDate: '2026-12-01',
    });
  });

  it('gives every preset on an ordinary Thursday', () => {
    const now = Date.parse('2026-12-03T15:00:00Z'); // Thursday
    const at = (period: (typeof RELATIVE_PERIODS)[number]) => resolvePeriod(period, now, SAO_PAULO);
    expect(at('this-week')).toEqual({ fromDate: '2026-11-30', toDate: '2026-12-03' });
    expect(at('last-week')).toEqual({ fromDate: '2026-11-23', toDate: '2026-11-29' });
    expect(at('last-7-days')).toEqual({ fromDate: '2026-11-27', toDate: '2026-12-03' });
    expect(at('last-30-days')).toEqual({ fromDate: '2026-11-04', toDate: '2026-12-03' });
    expect(at('this-month')).toEqual({ fromDate: '2026-12-01', toDate: '2026-12-03' });
    expect(at('last-month')).toEqual({ fromDate: '2026-11-01', toDate: '2026-11-30' });
  });

  it('crosses month and year ends and leap years', () => {
    const newYear = Date.parse('2027-01-01T12:00:00Z'); // Friday
    expect(resolvePeriod('yesterday', newYear, SAO_PAULO)).toEqual({
      fromDate: '2026-12-31',
      toDate: '2026-12-31',
    });
    expect(resolvePeriod('last-month', newYear, SAO_PAULO)).toEqual({
      fromDate: '2026-12-01',
      toDate: '2026-12-31',
    });
    expect(resolvePeriod('this-week', newYear, SAO_PAULO)).toEqual({
      fromDate: '2026-12-28',
      toDate: '2027-01-01',
    });
    const leap = Date.parse('2028-03-01T12:00:00Z');
    expect(resolvePeriod('last-month', leap, SAO_PAULO)).toEqual({
      fromDate: '2028-02-01',
      toDate: '2028-02-29',
    });
    expect(resolvePeriod('last-7-days', leap, SAO_PAULO).fromDate).toBe('2028-02-24');
    // A Sunday is the last day of its week.
    const sunday = Date.parse('2026-12-06T12:00:00Z');
    expect(resolvePeriod('this-week', sunday, SAO_PAULO)).toEqual({
      fromDate: '2026-11-30',
      toDate: '2026-12-06',
    });
  });

  it('keeps to the local calendar across DST changes', () => {
    // New York springs forward at 2026-03-08 02:00 local (07:00 UTC): 23 h in that day.
    expect(resolvePeriod('today', Date.parse('2026-03-08T04:59:59Z'), NEW_YORK).fromDate).toBe('2026-03-07');
    expect(resolvePeriod('today', Date.parse('2026-03-08T05:00:00Z'), NEW_YORK).fromDate).toBe('2026-03-08');
    // Just before midnight at the end of the short day, and after the change.
    expect(resolvePeriod('today', Date.parse('2026-03-09T03:59:59Z'), NEW_YORK).fromDate).toBe('2026-03-08');
    expect(resolvePeriod('today', Date.parse('2026-03-09T04:00:00Z'), NEW_YORK).fromDate).toBe('2026-03-09');
    // Falls back at 2026-11-01 02:00 local (06:00 UTC): 25 h in that day.
    expect(resolvePeriod('yesterday', Date.parse('2026-11-02T04:59:59Z'), NEW_YORK)).toEqual({
      fromDate: '2026-10-31',
      toDate: '2026-10-31',
    });
    expect(resolvePeriod('last-7-days', Date.parse('2026-11-02T05:00:00Z'), NEW_YORK)).toEqual({
      fromDate: '2026-10-27',
      toDate: '2026-11-02',
    });
  });
});

describe('currentFilters', () => {
  const base = { fromDate: '2026-01-05', toDate: '2026-01-05', timeZone: SAO_PAULO };
  it('moves a relative period with the calendar and keeps fixed dates', () => {
    const later = Date.parse('2026-12-03T15:00:00Z');
    expect(currentFilters({ ...base, period: 'today' as const }, later)).toMatchObject({
      fromDate: '2026-12-03',
      toDate: '2026-12-03',
      period: 'today',
    });
    expect(currentFilters(base, later)).toEqual(base);
  });
  it('leaves the dates alone while the zone is not one', () => {
    const typing = { ...base, timeZone: 'America/Sao', period: 'today' as const };
    expect(currentFilters(typing, Date.now())).toEqual(typing);
  });
});
