import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../time/zone.ts';
import { reportFileName } from './file-name.ts';

const ZONE = 'America/Sao_Paulo';
const clock = new ZoneClock(ZONE);
const march1 = clock.instantOf(2026, 3, 1);
const april1 = clock.instantOf(2026, 4, 1);

describe('reportFileName', () => {
  it('names the period by its first and last local day (to is exclusive)', () => {
    expect(reportFileName('activity', march1, april1, 'csv', ZONE)).toBe(
      'activity_2026-03-01_2026-03-31.csv',
    );
    // 02:00 UTC on 1 April is still 31 March in São Paulo, and 1 April in UTC.
    const utcApril = Date.UTC(2026, 3, 1, 2);
    expect(reportFileName('activity', march1, utcApril + 1, 'xlsx', ZONE)).toBe(
      'activity_2026-03-01_2026-03-31.xlsx',
    );
    expect(reportFileName('activity', Date.UTC(2026, 2, 1), utcApril + 1, 'pdf', 'UTC')).toBe(
      'activity_2026-03-01_2026-04-01.pdf',
    );
    // A one-day period shows the same day twice; an empty one its start.
    expect(reportFileName('login-logout', march1, clock.startOfNextDay(march1), 'csv', ZONE)).toBe(
      'login-logout_2026-03-01_2026-03-01.csv',
    );
    expect(reportFileName('activity', march1, march1, 'csv', ZONE)).toBe(
      'activity_2026-03-01_2026-03-01.csv',
    );
  });

  it('writes "all" for an open end', () => {
    expect(reportFileName('agent-summary', undefined, undefined, 'json', ZONE)).toBe(
      'agent-summary_all_all.json',
    );
    expect(reportFileName('agent-summary', march1, undefined, 'csv', ZONE)).toBe(
      'agent-summary_2026-03-01_all.csv',
    );
    expect(reportFileName('agent-summary', undefined, april1, 'csv', ZONE)).toBe(
      'agent-summary_all_2026-03-31.csv',
    );
  });

  it('keeps only characters safe on every OS', () => {
    expect(reportFileName('a/b\\c:d*e?f"g<h>i|j k', undefined, undefined, '.csv', ZONE)).toBe(
      'a-b-c-d-e-f-g-h-i-j-k_all_all.csv',
    );
    expect(reportFileName('..', undefined, undefined, 'c/sv', ZONE)).toBe('--_all_all.c-sv');
    expect(reportFileName('relatório', undefined, undefined, 'csv', ZONE)).toBe('relat-rio_all_all.csv');
    expect(reportFileName('', undefined, undefined, '', ZONE)).toBe('report_all_all.dat');
    const name = reportFileName('x'.repeat(300), march1, april1, 'csv', ZONE);
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(name.length).toBeLessThan(130);
  });
});
