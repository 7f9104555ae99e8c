import { describe, expect, it } from 'vitest';
import { activity } from './activity.ts';
import { agentSummary } from './agent-summary.ts';
import { nextDate, paramsFromFilters, type ReportFilters, shiftDate, withoutColumns } from './filters.ts';
import { RowTable } from './rows.ts';
import type { ReportResult } from './types.ts';

const HOUR = 3_600_000;

function filters(extra: Partial<ReportFilters> = {}): ReportFilters {
  return {
    fromDate: '2026-03-10',
    toDate: '2026-03-10',
    timeZone: 'America/Sao_Paulo',
    locale: 'en',
    splitDays: false,
    agentIds: [],
    hiddenColumns: [],
    formats: ['csv'],
    ...extra,
  };
}

function params(extra: Partial<ReportFilters> = {}, report = activity) {
  const checked = paramsFromFilters(report, filters(extra), Date.parse('2026-04-01T00:00:00Z'));
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}

function error(extra: Partial<ReportFilters>, report = activity): string {
  const checked = paramsFromFilters(report, filters(extra), Date.parse('2026-04-01T00:00:00Z'));
  if (checked.ok) throw new Error(`accepted ${JSON.stringify(extra)}`);
  return checked.error;
}

describe('nextDate and shiftDate', () => {
  it('step over month and year ends and leap days', () => {
    expect(nextDate('2026-03-10')).toBe('2026-03-11');
    expect(nextDate('2026-01-31')).toBe('2026-02-01');
    expect(nextDate('2026-04-30')).toBe('2026-05-01');
    expect(nextDate('2025-12-31')).toBe('2026-01-01');
    expect(nextDate('2026-02-28')).toBe('2026-03-01');
    expect(nextDate('2024-02-28')).toBe('2024-02-29');
    expect(nextDate('2024-02-29')).toBe('2024-03-01');
    expect(nextDate('2000-02-28')).toBe('2000-02-29');
    expect(nextDate('2100-02-28')).toBe('2100-03-01');
  });

  it('nextDate refuses what is not a real local date', () => {
    for (const bad of [
      '',
      '2026-3-10',
      '10/03/2026',
      '2026-03-10T00:00',
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
    ])
      expect(nextDate(bad), bad).toBeUndefined();
  });

  it('shiftDate goes back (or forward) whole calendar days', () => {
    expect(shiftDate('2026-03-01', 1)).toBe('2026-02-28');
    expect(shiftDate('2024-03-01', 1)).toBe('2024-02-29');
    expect(shiftDate('2026-01-01', 1)).toBe('2025-12-31');
    expect(shiftDate('2026-03-10', 30)).toBe('2026-02-08');
    expect(shiftDate('2026-12-31', -1)).toBe('2027-01-01');
    expect(shiftDate('2026-03-10', 0)).toBe('2026-03-10');
  });
});

describe('paramsFromFilters', () => {
  it('turns whole local days into [from, to), toDate included', () => {
    const p = params({ fromDate: '2026-03-10', toDate: '2026-03-11' });
    expect(new Date(p.from!).toISOString()).toBe('2026-03-10T03:00:00.000Z');
    expect(new Date(p.to!).toISOString()).toBe('2026-03-12T03:00:00.000Z');
    expect(p).toMatchObject({
      timeZone: 'America/Sao_Paulo',
      locale: 'en',
      splitDays: false,
      agentIds: undefined,
      now: Date.parse('2026-04-01T00:00:00Z'),
    });
    expect(params({ agentIds: ['ana', 'bia'], splitDays: true, locale: 'pt-BR' })).toMatchObject({
      agentIds: ['ana', 'bia'],
      splitDays: true,
      locale: 'pt-BR',
    });
  });

  it('days are local days across DST changes (Lisbon 2026, São Paulo 2018/2019)', () => {
    const span = (p: { from?: number; to?: number }) => [
      new Date(p.from!).toISOString(),
      new Date(p.to!).toISOString(),
      (p.to! - p.from!) / HOUR,
    ];
    const lisbon = { timeZone: 'Europe/Lisbon' };
    // Spring forward at 01:00 → 02:00: a 23-hour day.
    expect(span(params({ ...lisbon, fromDate: '2026-03-29', toDate: '2026-03-29' }))).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T23:00:00.000Z',
      23,
    ]);
    // Fall back at 02:00 → 01:00: a 25-hour day.
    expect(span(params({ ...lisbon, fromDate: '2026-10-25', toDate: '2026-10-25' }))).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-26T00:00:00.000Z',
      25,
    ]);
    const saoPaulo = { timeZone: 'America/Sao_Paulo' };
    // 2018-11-04: midnight did not exist (00:00 → 01:00 -02); the day starts at 01:00 -02.
    expect(span(params({ ...saoPaulo, fromDate: '2018-11-04', toDate: '2018-11-04' }))).toEqual([
      '2018-11-04T03:00:00.000Z',
      '2018-11-05T02:00:00.000Z',
      23,
    ]);
    // 2019-02-16 ended twice (00:00 -02 → 23:00 -03): a 25-hour day.
    expect(span(params({ ...saoPaulo, fromDate: '2019-02-16', toDate: '2019-02-16' }))).toEqual([
      '2019-02-16T02:00:00.000Z',
      '2019-02-17T03:00:00.000Z',
      25,
    ]);
    // A month containing a 25-hour day is still within a 31-day limit.
    const october = params({ ...lisbon, fromDate: '2026-10-01', toDate: '2026-10-31' });
    expect((october.to! - october.from!) / HOUR).toBe(31 * 24 + 1);
  });

  it('refuses bad or missing dates, naming the filter', () => {
    expect(error({ fromDate: '' })).toBe('pick the first day of the period');
    expect(error({ fromDate: '10/03/2026' })).toBe('pick the first day of the period');
    expect(error({ toDate: '2026-3-10' })).toBe('pick the last day of the period');
    expect(error({ fromDate: '2026-02-30', toDate: '2026-03-02' })).toBe('pick the first day of the period');
    expect(error({ fromDate: '2026-02-01', toDate: '2026-02-30' })).toBe('pick the last day of the period');
    expect(error({ fromDate: '2026-02-01', toDate: '2026-13-01' })).toBe('pick the last day of the period');
  });

  it('refuses a reversed period, a period over the limit, an unknown zone or locale', () => {
    expect(error({ fromDate: '2026-03-10', toDate: '2026-03-09' })).toBe(
      'the last day of the period comes before its first day',
    );
    // 31 days is the most the Activity report covers; 32 is one too many.
    expect(params({ fromDate: '2026-03-01', toDate: '2026-03-31' }).from).toBeDefined();
    expect(error({ fromDate: '2026-03-01', toDate: '2026-04-01' })).toBe(
      'the Activity report covers at most 31 days; this period has 32: shorten it',
    );
    // In the supervisor's language.
    const tooLong = paramsFromFilters(
      activity,
      filters({ fromDate: '2026-03-01', toDate: '2026-04-01' }),
      Date.parse('2026-04-01T00:00:00Z'),
      'pt-BR',
    );
    expect(tooLong.ok ? '' : tooLong.error).toBe(
      'o relatório Atividades cobre no máximo 31 dias; este período tem 32: encurte-o',
    );
    // Another report, another limit.
    expect(params({ fromDate: '2026-01-01', toDate: '2026-04-02' }, agentSummary).from).toBeDefined();
    expect(error({ fromDate: '2026-01-01', toDate: '2026-04-03' }, agentSummary)).toMatch(
      /^the Agent daily summary report covers at most 92 days; this period has 93: shorten it$/,
    );
    expect(error({ timeZone: 'Mars/Olympus' })).toMatch(/^unknown time zone "Mars\/Olympus"/);
    expect(error({ locale: 'fr' as never })).toMatch(/^unknown locale "fr"/);
  });
});

describe('withoutColumns', () => {
  const result: ReportResult = {
    columns: activity.columns.slice(0, 4),
    rows: [
      ['Ana', 'Login', 1, 2],
      ['Bia', 'Logout', 3],
    ],
  };

  it('leaves the result alone when nothing is hidden', () => {
    expect(withoutColumns(result, [])).toBe(result);
  });

  it('drops hidden columns from the columns and every row, ignoring unknown keys', () => {
    const kept = withoutColumns(result, ['activityType', 'no-such-column']);
    expect(kept.columns.map((column) => column.key)).toEqual(['agentName', 'startDate', 'startTime']);
    expect(kept.rows).toEqual([
      ['Ana', 1, 2],
      ['Bia', 3, null],
    ]);
    expect(result.rows[0]).toEqual(['Ana', 'Login', 1, 2]);
    expect(
      withoutColumns(
        result,
        result.columns.map((column) => column.key),
      ),
    ).toEqual({
      columns: [],
      rows: [[], []],
    });
  });

  it('cuts a table’s rows as each is read, leaving it a table', () => {
    const table = new RowTable(result.rows.length, (index, cells) => {
      for (let at = 0; at < result.columns.length; at++) cells[at] = result.rows[index]![at] ?? null;
    });
    const kept = withoutColumns({ ...result, rows: table }, ['activityType']);
    expect(kept.rows).toBeInstanceOf(RowTable);
    expect([...kept.rows]).toEqual([
      ['Ana', 1, 2],
      ['Bia', 3, null],
    ]);
  });
});
