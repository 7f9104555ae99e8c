import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import { chartOf, formatCount, formatShare, headlineOf } from './chart.ts';
import type { Column, DaysChart, HeadlineDeclaration, ReportResult } from './types.ts';

const TZ = 'America/Sao_Paulo';
const column = (key: string, en: string, pt: string, type: Column['type'] = 'integer'): Column => ({
  key,
  label: { en, 'pt-BR': pt },
  type,
});
const COLUMNS = [
  column('day', 'Day', 'Dia', 'date'),
  column('label', 'Label', 'Rótulo', 'text'),
  column('total', 'Total', 'Total'),
  column('delivered', 'Delivered', 'Entregues'),
  column('failed', 'Failures', 'Falhas'),
];
/** Local midnight of a day in São Paulo (UTC−3), as a `date` cell holds it. */
const day = (date: string) => Date.parse(`${date}T03:00:00Z`);
/** Two days and the period's total, whose day cell is empty (as `messages-consolidated` has it). */
const RESULT: ReportResult = {
  columns: COLUMNS,
  rows: [
    [day('2026-03-09'), null, 1500, 1234, 16],
    [day('2026-03-10'), null, 8, 0, 3],
    [null, 'Total', 1508, 1234, 19],
  ],
};
const DAYS: DaysChart = {
  type: 'days',
  title: { en: 'Delivered and failed per day', 'pt-BR': 'Entregues e falhas por dia' },
  dayColumn: 'day',
  series: [
    { column: 'delivered', label: { en: 'Delivered', 'pt-BR': 'Entregues' } },
    { column: 'failed', label: { en: 'Failed', 'pt-BR': 'Falhas' } },
  ],
};
const chart = (result: ReportResult, locale: Locale) =>
  chartOf(DAYS, result, new CellFormatter(locale, TZ), locale);

describe('chartOf, days', () => {
  it("draws one day per row with a day, each series' numbers in the locale, the total row left out", () => {
    expect(chart(RESULT, 'en')).toEqual({
      type: 'days',
      title: 'Delivered and failed per day',
      dayLabel: 'Day',
      seriesLabels: ['Delivered', 'Failed'],
      days: [
        { label: '2026-03-09', values: [1234, 16], texts: ['1,234', '16'] },
        { label: '2026-03-10', values: [0, 3], texts: ['0', '3'] },
      ],
    });
  });

  it('writes days and numbers as pt-BR does', () => {
    const data = chart(RESULT, 'pt-BR');
    expect(data).toMatchObject({ title: 'Entregues e falhas por dia', dayLabel: 'Dia' });
    expect(data?.type === 'days' && data.days.map((one) => [one.label, ...one.texts])).toEqual([
      ['09/03/2026', '1.234', '16'],
      ['10/03/2026', '0', '3'],
    ]);
  });

  it('reads an empty count as 0, and keeps the rows in the order the report gave them', () => {
    const data = chart(
      {
        columns: COLUMNS,
        rows: [
          [day('2026-03-10'), null, 1, null, 1],
          [day('2026-03-09'), null, 2, 2, 0],
        ],
      },
      'en',
    );
    expect(data?.type === 'days' && data.days.map((one) => [one.label, ...one.values])).toEqual([
      ['2026-03-10', 0, 1],
      ['2026-03-09', 2, 0],
    ]);
  });

  it('draws no day when there are none, and no chart when a column it needs is hidden', () => {
    expect(chart({ columns: COLUMNS, rows: [] }, 'en')).toMatchObject({ days: [] });
    const withoutFailed = { columns: COLUMNS.slice(0, 4), rows: RESULT.rows.map((row) => row.slice(0, 4)) };
    expect(chart(withoutFailed, 'en')).toBeUndefined();
    const withoutDay = { columns: COLUMNS.slice(1), rows: RESULT.rows.map((row) => row.slice(1)) };
    expect(chart(withoutDay, 'en')).toBeUndefined();
  });
});

const HEADLINE: HeadlineDeclaration = { of: 'total', columns: ['delivered', 'failed'] };

describe('headlineOf', () => {
  it("reads the last row's figures, each with its share of the total, in en", () => {
    expect(headlineOf(HEADLINE, RESULT, 'en')).toEqual({
      of: { key: 'total', label: 'Total', value: 1508, valueText: '1,508' },
      figures: [
        {
          key: 'delivered',
          label: 'Delivered',
          value: 1234,
          valueText: '1,234',
          share: 1234 / 1508,
          shareText: '81.8%',
        },
        { key: 'failed', label: 'Failures', value: 19, valueText: '19', share: 19 / 1508, shareText: '1.3%' },
      ],
    });
  });

  it('writes pt-BR numbers and percentages', () => {
    const data = headlineOf(HEADLINE, RESULT, 'pt-BR');
    expect(data?.of.valueText).toBe('1.508');
    expect(data?.figures.map((figure) => [figure.label, figure.valueText, figure.shareText])).toEqual([
      ['Entregues', '1.234', '81,8%'],
      ['Falhas', '19', '1,3%'],
    ]);
  });

  it('gives no share of a total of 0 (a dash, not NaN%)', () => {
    const data = headlineOf(HEADLINE, { columns: COLUMNS, rows: [[null, 'Total', 0, 0, 0]] }, 'en');
    expect(data?.figures.map((figure) => [figure.share, figure.shareText])).toEqual([
      [undefined, '—'],
      [undefined, '—'],
    ]);
  });

  it('shows nothing without a declaration, without rows, or with a named column hidden', () => {
    expect(headlineOf(undefined, RESULT, 'en')).toBeUndefined();
    expect(headlineOf(HEADLINE, { columns: COLUMNS, rows: [] }, 'en')).toBeUndefined();
    const withoutTotal = {
      columns: COLUMNS.filter((one) => one.key !== 'total'),
      rows: RESULT.rows.map((row) => row.filter((_, index) => index !== 2)),
    };
    expect(headlineOf(HEADLINE, withoutTotal, 'en')).toBeUndefined();
  });
});

describe('formatCount and formatShare', () => {
  it('group thousands and write decimals as each locale does', () => {
    expect([formatCount(1234567, 'en'), formatCount(1234567, 'pt-BR')]).toEqual(['1,234,567', '1.234.567']);
    expect([formatShare(0.5, 'en'), formatShare(1, 'pt-BR'), formatShare(0.0004, 'en')]).toEqual([
      '50%',
      '100%',
      '0%',
    ]);
  });
});
