import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportFileChunks } from '../files/report-file.ts';
import { collectBytes } from '../files/xlsx.ts';
import type { AnyRecord } from '../records/registry.ts';
import { MESSAGE_STATUS_CATALOG, statusInGroup } from '../records/status-catalog.ts';
import { mo, mt, runReport, status } from '../testing/messaging.ts';
import { pdfFilledRects, pdfPagesText } from '../testing/pdf-text.ts';
import { messagesConsolidated } from './messages-consolidated.ts';
import { messagesDetailed } from './messages-detailed.ts';
import { validateRequest } from './params.ts';
import type { ReportDefinition } from './types.ts';

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
// 2026-03-10 09:00 in São Paulo.
const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const PERIOD = { from: '2026-03-10', to: '2026-03-13' };

function params(report: ReportDefinition, request: Record<string, unknown> = PERIOD) {
  const checked = validateRequest(report, { timeZone: TZ, locale: 'en', ...request });
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}

describe('messages-consolidated (DESIGN §10)', () => {
  const a = mt(T0);
  const b = mt(T0 + HOUR, { contact: '5511900000001', contentType: 'text', origin: 'api' });
  const c = mt(T0 + 2 * HOUR, { contact: '5511900000002', origin: 'broadcast' });
  const d = mt(T0 + 2 * 24 * HOUR, { contact: '5511900000003' });
  const records: AnyRecord[] = [
    a,
    status(a.messageId, T0 + 1, 'read'),
    b,
    status(b.messageId, T0 + HOUR + 1, 'invalid_session'),
    c,
    status(c.messageId, T0 + 2 * HOUR + 1, 'opt_out'),
    d,
    status(d.messageId, T0 + 2 * 24 * HOUR + 1, 'delivered'),
    // An MO is not counted: statuses are of messages sent.
    mo(T0 + 30 * 60_000),
    // A status for a message never seen counts on the day of that status, a day after the edge
    // of the zone: 02:30 UTC on the 11th is still the 10th in São Paulo.
    { ...status('wamid.ghost', Date.UTC(2026, 2, 11, 2, 30), 'sent'), contact: '5511900000009' },
  ];

  it('gives one row per day of the period (empty days at zero) and the period’s total last', () => {
    const rows = runReport(messagesConsolidated, records, 'en', PERIOD);
    expect(rows).toEqual([
      ['2026-03-10', '', '4', '2', '50.0', '1', '25.0', '1', '25.0', '1', '25.0', '1', '25.0', '0', '0.0'],
      ['2026-03-11', '', '0', '0', '', '0', '', '0', '', '0', '', '0', '', '0', ''],
      ['2026-03-12', '', '1', '1', '100.0', '1', '100.0', '0', '0.0', '0', '0.0', '0', '0.0', '0', '0.0'],
      ['', 'Total', '5', '3', '60.0', '2', '40.0', '1', '20.0', '1', '20.0', '1', '20.0', '0', '0.0'],
    ]);
    expect(messagesConsolidated.columns.map((column) => column.label.en)).toEqual([
      'Date',
      'Summary',
      'Total',
      'Sent',
      'Sent %',
      'Delivered',
      'Delivered %',
      'Read',
      'Read %',
      'Blocked',
      'Blocked %',
      'Failures',
      'Failures %',
      'Pending',
      'Pending %',
    ]);
  });

  it('its PDF holds the per-day chart above the table, in the run’s locale', async () => {
    const checked = params(messagesConsolidated, { ...PERIOD, locale: 'pt-BR' });
    const result = messagesConsolidated.compute(records, checked);
    const pdf = async (chart: typeof messagesConsolidated.chart) =>
      collectBytes(
        (await reportFileChunks(
          'pdf',
          {
            columns: result.columns,
            locale: 'pt-BR',
            timeZone: TZ,
            title: 'Mensagens — consolidado',
            subtitleLines: [],
            ...(chart ? { chart } : {}),
          },
          result.rows,
        )) as AsyncIterable<Uint8Array>,
      );
    const bytes = await pdf(messagesConsolidated.chart);
    const [page] = await pdfPagesText(bytes);
    expect(page).toContain(
      'Mensagens — consolidado Entregues e com falha por dia Entregues Falhas 0 1 2 3 4 10/03/2026 11/03/2026 12/03/2026 Data',
    );
    // Delivered on the 10th (the read) and the 12th; failed on the 10th (the invalid session):
    // three bars and two legend keys more than the same PDF without the chart.
    const shapes = (await pdf(undefined).then(pdfFilledRects)).length;
    expect(pdfFilledRects(bytes).length).toBe(shapes + 2 + 3);
  });

  it('speaks Portuguese, and filters as messages-detailed does', () => {
    const rows = runReport(messagesConsolidated, records, 'pt-BR', PERIOD);
    expect(rows.map((row) => row[0])).toEqual(['10/03/2026', '11/03/2026', '12/03/2026', '']);
    expect(rows[3]![1]).toBe('Total');
    // Shares are decimals: the comma is pt-BR's decimal mark.
    expect(rows[3]!.slice(3, 7)).toEqual(['3', '60,0', '2', '40,0']);
    const text = runReport(messagesConsolidated, records, 'en', {
      ...PERIOD,
      options: { contentType: 'text' },
    });
    expect(text.at(-1)!.slice(1, 4)).toEqual(['Total', '1', '0']);
  });

  it('declares its chart of delivered and failed per day and its headline over the total', () => {
    expect(messagesConsolidated.chart).toMatchObject({
      type: 'days',
      dayColumn: 'date',
      series: [{ column: 'delivered' }, { column: 'failures' }],
    });
    expect(messagesConsolidated.headline?.of).toBe('total');
  });

  it('without a period spans the first to the last day with messages', () => {
    const rows = runReport(messagesConsolidated, records, 'en', { from: undefined, to: undefined });
    expect(rows.map((row) => row[0])).toEqual(['2026-03-10', '2026-03-11', '2026-03-12', '']);
  });
});

describe('messages-consolidated: properties over random record sets and arrival orders', () => {
  const values = MESSAGE_STATUS_CATALOG.map((entry) => entry.value);
  const spec = fc.record({
    contact: fc.constantFrom('5511900000001', '5511900000002', '5511900000003'),
    // Up to three days from 09:00 of the 10th, in hours: some land past the period.
    at: fc.integer({ min: -12, max: 80 }),
    kind: fc.constantFrom('mt', 'mo', 'status', 'ghost'),
    value: fc.constantFrom(...values),
    target: fc.nat(9),
  });
  type SpecValue = typeof spec extends fc.Arbitrary<infer T> ? T : never;
  const recordsOf = (specs: SpecValue[]): AnyRecord[] =>
    specs.map((s, i) => {
      const at = T0 + s.at * HOUR;
      if (s.kind === 'mt')
        return { ...mt(at, { contact: s.contact }), messageId: `w-${i % 10}`, id: `r-${i}` };
      if (s.kind === 'mo') return { ...mo(at, { contact: s.contact }), id: `r-${i}` };
      // A message has one contact: every status of one never seen names the same.
      if (s.kind === 'ghost')
        return {
          ...status(`g-${s.target}`, at, s.value),
          id: `r-${i}`,
          contact: `551190000000${s.target % 3}`,
        };
      return { ...status(`w-${s.target}`, at, s.value), id: `r-${i}` };
    });
  const labels = (group: Parameters<typeof statusInGroup>[1]) =>
    new Set<unknown>(
      MESSAGE_STATUS_CATALOG.filter((entry) => statusInGroup(entry.value, group)).map((e) => e.label.en),
    );

  it('Total = Sent + Blocked + Failures + Pending, Sent ⊇ Delivered ⊇ Read; the days equal the detailed rows counted; parts by contact combine to it', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 40 }), fc.nat(), (specs, seed) => {
        const records = recordsOf(specs);
        // Any arrival order gives the same result.
        const shuffled = fc.sample(fc.shuffledSubarray(records, { minLength: records.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        const whole = messagesConsolidated.compute(records, params(messagesConsolidated));
        expect(messagesConsolidated.compute(shuffled, params(messagesConsolidated))).toEqual(whole);
        for (const row of whole.rows) {
          const [total, sent, , delivered, , read, , blocked, , failed, , pending] = row.slice(2) as number[];
          expect(total).toBe(sent! + blocked! + failed! + pending!);
          expect(sent! >= delivered! && delivered! >= read!).toBe(true);
        }
        // The detailed rows, counted by day of their status-or-send instant, are the day rows.
        const detailed = messagesDetailed.compute(shuffled, params(messagesDetailed)).rows;
        const total = whole.rows.at(-1)!;
        expect(total[2]).toBe(detailed.length);
        const count = (group: Parameters<typeof statusInGroup>[1]) =>
          detailed.filter((row) => labels(group).has(row[1])).length;
        expect(total.slice(2)).toEqual([
          detailed.length,
          count('sent'),
          total[4],
          count('delivered'),
          total[6],
          count('read'),
          total[8],
          count('blocked'),
          total[10],
          count('failed'),
          total[12],
          count('pending'),
          total[14],
        ]);
        // Every message seen sent has its day: there, each day row is its detailed rows counted.
        const sentIds = new Set(
          shuffled
            .filter((r) => r.type === 'message' && r.direction === 'MT')
            .map((r) => (r as { messageId: string }).messageId),
        );
        const seen = shuffled.filter((r) => r.type !== 'message_status' || sentIds.has(r.messageId));
        const days = messagesConsolidated.compute(seen, params(messagesConsolidated)).rows;
        const sentRows = messagesDetailed.compute(seen, params(messagesDetailed)).rows;
        days.slice(0, -1).forEach((day, i) => {
          const end = (days[i + 1]![0] as number | null) ?? params(messagesDetailed).to!;
          const mine = sentRows.filter(
            (row) => (row[0] as number) >= (day[0] as number) && (row[0] as number) < end,
          );
          const of = (group: Parameters<typeof statusInGroup>[1]) =>
            mine.filter((row) => labels(group).has(row[1])).length;
          expect([day[2], day[3], day[5], day[7], day[9], day[11], day[13]]).toEqual([
            mine.length,
            of('sent'),
            of('delivered'),
            of('read'),
            of('blocked'),
            of('failed'),
            of('pending'),
          ]);
        });
        // Split by contact, computed apart and combined: the same rows.
        const byContact = new Map<string, AnyRecord[]>();
        const contactOf = new Map(
          records.filter((r) => r.type === 'message').map((r) => [r.messageId, r.contact]),
        );
        for (const record of shuffled) {
          const key =
            record.type === 'message'
              ? record.contact
              : (contactOf.get((record as { messageId: string }).messageId) ??
                (record as { contact?: string }).contact ??
                '');
          byContact.set(key, [...(byContact.get(key) ?? []), record]);
        }
        const parts = [...byContact.values()].map((part) =>
          messagesConsolidated.compute(part, params(messagesConsolidated)),
        );
        expect(messagesConsolidated.combine!(parts, params(messagesConsolidated))).toEqual(whole);
      }),
    );
  });
});
