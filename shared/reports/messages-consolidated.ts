import {
  countDispatch,
  type DispatchCounts,
  emptyCounts,
  type MessagingData,
} from '../messaging/dispatches.ts';
import { ZoneClock } from '../time/zone.ts';
import { COLUMN, gatherMessaging, seenInPeriod } from './dispatch-cells.ts';
import { nextDate } from './filters.ts';
import { MESSAGE_FILTER, MESSAGES_PERIOD, messageFilter } from './messages-detailed.ts';
import { rowOrder } from './order.ts';
import type { Column, ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});
/** A share of the row's Total in percent, one digit after the mark (`95,2` in pt-BR). */
const shareColumn = (key: string, en: string, ptBr: string): Column => ({
  ...column(key, 'decimal', en, ptBr),
  decimals: 1,
});

/** The counted groups, in column order: each a count and its share of the row's Total. */
const COUNTED = [
  ['sent', COLUMN.sent, shareColumn('sentShare', 'Sent %', 'Enviados %')],
  ['delivered', COLUMN.delivered, shareColumn('deliveredShare', 'Delivered %', 'Entregues %')],
  ['read', column('read', 'integer', 'Read', 'Lidos'), shareColumn('readShare', 'Read %', 'Lidos %')],
  ['blocked', COLUMN.blocked, shareColumn('blockedShare', 'Blocked %', 'Bloqueados %')],
  ['failed', COLUMN.failures, shareColumn('failuresShare', 'Failures %', 'Falhas %')],
  [
    'pending',
    column('pending', 'integer', 'Pending', 'Pendentes'),
    shareColumn('pendingShare', 'Pending %', 'Pendentes %'),
  ],
] as const satisfies readonly (readonly [keyof DispatchCounts, Column, Column])[];

const DATE = 0;
const TOTAL = 2;

/** A share of the total in percent, one decimal; empty when there is nothing to share. */
const share = (count: number, total: number) =>
  total === 0 ? null : Math.round((count * 1000) / total) / 10;

function countsRow(day: number | null, counts: DispatchCounts): Row {
  const row: Row = [day, day === null ? 'Total' : null, counts.total];
  for (const [group] of COUNTED) row.push(counts[group], share(counts[group], counts.total));
  return row;
}

function countsOf(row: Row): DispatchCounts {
  const counts = emptyCounts();
  counts.total = Number(row[TOTAL]);
  COUNTED.forEach(([group], i) => {
    counts[group] = Number(row[TOTAL + 1 + 2 * i]);
  });
  return counts;
}

function add(into: DispatchCounts, counts: DispatchCounts): void {
  for (const key of Object.keys(into) as (keyof DispatchCounts)[]) into[key] += counts[key];
}

/** The local midnight of the day an instant falls on. */
function dayStart(clock: ZoneClock, at: number): number {
  const { year, month, day } = clock.parts(at);
  return clock.instantOf(year, month, day);
}

/**
 * One row per local day — every day of the period, or without one from the first day with
 * messages to the last, days without any at zero (the chart draws them) — then the total.
 */
function rowsOf(byDay: ReadonlyMap<number, DispatchCounts>, params: ReportParams): Row[] {
  const clock = new ZoneClock(params.timeZone);
  const known = [...byDay.keys()];
  const first = params.from ?? (known.length > 0 ? Math.min(...known) : undefined);
  const last = params.to === undefined ? (known.length > 0 ? Math.max(...known) : undefined) : params.to - 1;
  const rows: Row[] = [];
  const total = emptyCounts();
  if (first !== undefined && last !== undefined && first <= last) {
    const lastDay = clock.localDay(last);
    const { year, month, day } = clock.parts(first);
    let date: string | undefined =
      `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    while (date !== undefined) {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const start = clock.instantOf(y, m, d);
      if (clock.localDay(start) > lastDay) break;
      const counts = byDay.get(start) ?? emptyCounts();
      add(total, counts);
      rows.push(countsRow(start, counts));
      date = nextDate(date);
    }
  }
  rows.push(countsRow(null, total));
  return rows;
}

/** The per-day counts of the MTs in the period that pass the filters, from gathered data. */
function consolidatedOf(data: MessagingData, params: ReportParams): ReportResult {
  const passes = messageFilter(data, params);
  const clock = new ZoneClock(params.timeZone);
  const startOfDay = new Map<number, number>();
  const byDay = new Map<number, DispatchCounts>();
  for (const dispatch of data.dispatches()) {
    if (!seenInPeriod(dispatch, params)) continue;
    if (!passes({ message: dispatch.message, contact: dispatch.contact, status: dispatch.status })) continue;
    const localDay = clock.localDay(dispatch.seenAt);
    let start = startOfDay.get(localDay);
    if (start === undefined) {
      start = dayStart(clock, dispatch.seenAt);
      startOfDay.set(localDay, start);
    }
    let counts = byDay.get(start);
    if (!counts) {
      counts = emptyCounts();
      byDay.set(start, counts);
    }
    // No reply column here: the reply rule's lookups are not paid for.
    countDispatch(counts, dispatch.status, false);
  }
  return { columns: messagesConsolidated.columns, rows: rowsOf(byDay, params) };
}

/** The filters a message's facts answer (`messageFilter` reads the contact from the dispatch). */
const FACT_FILTERS: ReadonlySet<string> = new Set(['contact', 'direction']);

/**
 * Messages consolidated (DESIGN §10): the period's messages sent, per day and in total, counted by
 * the catalog's groups with their percentages — the rows the app's per-day chart draws.
 */
export const messagesConsolidated: ReportDefinition = {
  id: 'messages-consolidated',
  category: 'messaging',
  title: { en: 'Messages — consolidated', 'pt-BR': 'Mensagens — consolidado' },
  description: {
    en: 'The messages sent in the period, per day and in total: how many were sent, delivered, read, blocked, failed or are pending, and their share of the total.',
    'pt-BR':
      'As mensagens enviadas no período, por dia e no total: quantas foram enviadas, entregues, lidas, bloqueadas, com falha ou pendentes, e sua parte do total.',
  },
  columns: [
    column('date', 'date', 'Date', 'Data'),
    column('summary', 'text', 'Summary', 'Resumo'),
    column('total', 'integer', 'Total', 'Total'),
    ...COUNTED.flatMap(([, count, percent]) => [count, percent]),
  ],
  reads: ['message', 'message_status', 'campaign'],
  filters: [
    MESSAGES_PERIOD,
    MESSAGE_FILTER.channel,
    MESSAGE_FILTER.subaccount,
    MESSAGE_FILTER.user,
    MESSAGE_FILTER.campaign,
    MESSAGE_FILTER.contentType,
    MESSAGE_FILTER.session,
    MESSAGE_FILTER.correlationId,
    MESSAGE_FILTER.contact,
    MESSAGE_FILTER.conversationId,
    MESSAGE_FILTER.conversationType,
  ],
  // A status must meet its message (a split by record id would part them): by contact, and the
  // parts' days add up in `combine`.
  partition: 'contact',
  chart: {
    type: 'days',
    title: { en: 'Delivered and failed per day', 'pt-BR': 'Entregues e com falha por dia' },
    dayColumn: 'date',
    series: [
      { column: 'delivered', label: { en: 'Delivered', 'pt-BR': 'Entregues' } },
      { column: 'failures', label: { en: 'Failures', 'pt-BR': 'Falhas' } },
    ],
  },
  headline: { of: 'total', columns: ['sent', 'delivered', 'read', 'failures', 'blocked'] },

  compute(records, params) {
    return consolidatedOf(gatherMessaging(records), params);
  },
  // The counts need a message's send time, direction and contact (the contact filter): its facts.
  messaging: {
    factsSuffice: (params) => Object.keys(params.options ?? {}).every((key) => FACT_FILTERS.has(key)),
    compute: (data, params) => consolidatedOf(data, params),
  },

  // By day; the total (no day) last.
  compareRows: rowOrder(DATE),

  /** Parts split by contact add up day by day: each message and its statuses lie in one part. */
  combine(parts: readonly ReportResult[], params: ReportParams): ReportResult {
    const byDay = new Map<number, DispatchCounts>();
    for (const part of parts) {
      for (const row of part.rows) {
        const day = row[DATE];
        if (typeof day !== 'number') continue;
        const counts = countsOf(row);
        const known = byDay.get(day);
        if (known) add(known, counts);
        else if (counts.total > 0 || params.from !== undefined) byDay.set(day, counts);
      }
    }
    return { columns: messagesConsolidated.columns, rows: rowsOf(byDay, params) };
  },
};
