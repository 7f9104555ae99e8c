import { describe, expect, it } from 'vitest';
import type { DaysChartData } from '../reports/chart.ts';
import type { Column, Row } from '../reports/types.ts';
import { pdfFilledRects, pdfPagesText } from '../testing/pdf-text.ts';
import { ZoneClock } from '../time/zone.ts';
import { CHART_SERIES_RGB, PDF_MAX_ROWS, pdfSafeText, writePdf } from './pdf.ts';

const ZONE = 'America/Sao_Paulo';
const clock = new ZoneClock(ZONE);

const columns: Column[] = [
  { key: 'agentName', type: 'text', label: { en: 'Agent Name', 'pt-BR': 'Nome do Agente' } },
  { key: 'startDate', type: 'date', label: { en: 'Start Date', 'pt-BR': 'Data de Início' } },
  { key: 'startTime', type: 'time', label: { en: 'Start Time', 'pt-BR': 'Hora de Início' } },
  { key: 'calls', type: 'integer', label: { en: 'Calls', 'pt-BR': 'Chamadas' } },
  { key: 'duration', type: 'duration', label: { en: 'Duration', 'pt-BR': 'Duração' } },
];

const start = clock.instantOf(2026, 3, 10, 8, 0, 0);
const rows: Row[] = Array.from({ length: 300 }, (_, i) => [
  i === 7 ? 'Conceição Łukasz' : `Agent ${i}`,
  start,
  start + i * 61_000,
  i,
  3_600_000 * 30 + i * 1000,
]);

describe('writePdf', () => {
  it('writes the title, subtitle lines, rows, a header on every page and page numbers', async () => {
    const bytes = writePdf(
      {
        columns,
        locale: 'en',
        timeZone: ZONE,
        title: 'Activity',
        subtitleLines: ['Agents: all', 'Generated 2026-03-11 09:00:00'],
      },
      rows,
    );
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    const pages = await pdfPagesText(bytes);
    expect(pages.length).toBeGreaterThan(2);
    const [first, second] = pages as [string, string];
    expect(first.startsWith('Activity Agents: all Generated 2026-03-11 09:00:00 Agent Name Start Date')).toBe(
      true,
    );
    expect(first).toContain('Agent 3 2026-03-10 08:03:03 3 30:00:03');
    // Characters Helvetica lacks are replaced without garbling the rest.
    expect(first).toContain('Conceição ?ukasz');
    expect(first).toContain(`Page 1 of ${pages.length}`);
    expect(second).toMatch(/^Agent Name Start Date Start Time Calls Duration Agent \d+/);
    expect(second).toContain(`Page 2 of ${pages.length}`);
    expect(second).not.toContain('Activity');
    expect(pages.at(-1)).toContain('Agent 299 2026-03-10 13:03:59 299 30:04:59');
  });

  it('uses the locale for labels, dates and page numbers', async () => {
    const bytes = writePdf(
      { columns, locale: 'pt-BR', timeZone: ZONE, title: 'Atividades', subtitleLines: [] },
      rows.slice(0, 60),
    );
    const pages = await pdfPagesText(bytes);
    expect(pages[0]).toContain('Atividades Nome do Agente Data de Início Hora de Início Chamadas Duração');
    expect(pages[0]).toContain('Agent 1 10/03/2026 08:01:01 1 30:00:01');
    expect(pages[1]).toContain(`Página 2 de ${pages.length}`);
  });

  it('writes decimals with the locale’s decimal mark', async () => {
    const decimals: Column[] = [
      { key: 'cost', type: 'decimal', decimals: 4, label: { en: 'Cost', 'pt-BR': 'Custo' } },
      { key: 'share', type: 'decimal', decimals: 1, label: { en: 'Read %', 'pt-BR': 'Lidos %' } },
    ];
    const text = async (locale: 'en' | 'pt-BR') =>
      (
        await pdfPagesText(
          writePdf({ columns: decimals, locale, timeZone: ZONE, title: 'T', subtitleLines: [] }, [
            [0.0625, 95.24],
          ]),
        )
      )[0];
    expect(await text('en')).toContain('Cost Read % 0.0625 95.2');
    expect(await text('pt-BR')).toContain('Custo Lidos % 0,0625 95,2');
  });

  it('draws a day chart above the table: a bar per series and day, as tall as its value', async () => {
    const chart: DaysChartData = {
      type: 'days',
      title: 'Delivered and failed per day',
      dayLabel: 'Date',
      seriesLabels: ['Delivered', 'Failures'],
      days: [
        { label: '2026-03-10', values: [40, 10], texts: ['40', '10'] },
        { label: '2026-03-11', values: [0, 0], texts: ['0', '0'] },
        { label: '2026-03-12', values: [20, 30], texts: ['20', '30'] },
      ],
    };
    const spec = {
      columns,
      locale: 'en' as const,
      timeZone: ZONE,
      title: 'Messages',
      subtitleLines: ['Generated'],
    };
    const bytes = writePdf({ ...spec, chart }, rows.slice(0, 3));
    const [page] = await pdfPagesText(bytes);
    // Title, legend, the grid's counts (steps of 10 up to 40), the days, then the table.
    expect(page).toContain(
      'Messages Generated Delivered and failed per day Delivered Failures 0 10 20 30 40 2026-03-10 2026-03-11 2026-03-12 Agent Name',
    );

    const colour = (i: number) => CHART_SERIES_RGB[i]!.map((channel) => (channel / 255).toFixed(2)).join(' ');
    const rects = pdfFilledRects(bytes);
    // The first of each colour is its legend key; then one bar per day with a value above zero.
    const [deliveredKey, ...delivered] = rects.filter((rect) => rect.fill === colour(0));
    const [failedKey, ...failed] = rects.filter((rect) => rect.fill === colour(1));
    expect(deliveredKey!.width).toBeCloseTo(deliveredKey!.height, 5);
    expect(failedKey).toBeDefined();
    expect(delivered).toHaveLength(2);
    expect(failed).toHaveLength(2);
    const bars = [delivered[0]!, failed[0]!, delivered[1]!, failed[1]!];
    // Heights in proportion to the values, on one baseline; left to right by day, then series.
    const unit = bars[0]!.height / 40;
    expect(bars.map((bar) => bar.height / unit)).toEqual(
      [40, 10, 20, 30].map((value) => expect.closeTo(value, 5)),
    );
    for (const bar of bars) expect(bar.y).toBeCloseTo(bars[0]!.y, 5);
    expect(bars.map((bar) => bar.x)).toEqual([...bars.map((bar) => bar.x)].sort((a, b) => a - b));
    // The day without messages leaves a gap of one day's slot.
    expect(delivered[1]!.x - delivered[0]!.x).toBeCloseTo((2 * (failed[0]!.x - delivered[0]!.x)) / 0.4, 5);

    // Without a chart, no bars, and the table starts right under the title.
    const plain = pdfFilledRects(writePdf(spec, rows.slice(0, 3)));
    expect(plain.filter((rect) => rect.fill === colour(0) || rect.fill === colour(1))).toEqual([]);
  });

  it('replaces only what the standard fonts lack', () => {
    expect(pdfSafeText('Conceição – “ok” €')).toBe('Conceição – “ok” €');
    expect(pdfSafeText('Dvořák 😀 中')).toBe('Dvorák ? ?');
    expect(PDF_MAX_ROWS).toBeGreaterThanOrEqual(5000);
  });
});
