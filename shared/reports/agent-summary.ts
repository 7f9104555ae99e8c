import { buildTimelines, shownDurationMs, splitAtMidnight } from '../activity/timeline.ts';
import type { ActivityEvent } from '../events/schema.ts';
import { LOGIN_CAUSES, type LoginCause } from '../events/schema.ts';
import type { Localized } from '../i18n.ts';
import { ZoneClock } from '../time/zone.ts';
import { AGENTS_FILTER, DEVICE_TIME_FILTER, periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import { asOfInstant, inPeriod, timelineOptions } from './params.ts';
import type { Column, ReportDefinition, Row } from './types.ts';

const CAUSE_LABELS: Record<LoginCause, Localized> = {
  page_load: { en: 'Logins: page load', 'pt-BR': 'Logins: abertura da tela' },
  refresh: { en: 'Logins: refresh', 'pt-BR': 'Logins: atualização (F5)' },
  use_here: { en: 'Logins: use here', 'pt-BR': 'Logins: usar aqui' },
  reconnect: { en: 'Logins: reconnect', 'pt-BR': 'Logins: reconexão' },
  network_change: { en: 'Logins: network change', 'pt-BR': 'Logins: troca de rede' },
  token_renewal: { en: 'Logins: token renewal', 'pt-BR': 'Logins: renovação de token' },
};

/** A column per break reason seen in the data; `reason` undefined is the break without one. */
export function breakReasonColumn(reason: string | undefined): Column {
  return {
    key: `break:${reason ?? ''}`,
    type: 'duration',
    label:
      reason === undefined
        ? { en: 'Break (no reason)', 'pt-BR': 'Pausa (sem motivo)' }
        : { en: `Break - ${reason}`, 'pt-BR': `Pausa - ${reason}` },
  };
}

interface DaySummary {
  agentName: string;
  day: number;
  firstLogin: number | null;
  lastLogout: number | null;
  loggedIn: number;
  onBreak: Map<string | undefined, number>;
  logins: Record<LoginCause, number>;
}

const STATIC_COLUMNS: Column[] = [
  { key: 'agentName', type: 'text', label: { en: 'Agent Name', 'pt-BR': 'Nome do Agente' } },
  { key: 'date', type: 'date', label: { en: 'Date', 'pt-BR': 'Data' } },
  { key: 'firstLogin', type: 'time', label: { en: 'First Login', 'pt-BR': 'Primeiro Login' } },
  { key: 'lastLogout', type: 'time', label: { en: 'Last Logout', 'pt-BR': 'Último Logout' } },
  { key: 'loggedIn', type: 'duration', label: { en: 'Logged In', 'pt-BR': 'Tempo Logado' } },
  { key: 'onBreak', type: 'duration', label: { en: 'On Break', 'pt-BR': 'Tempo em Pausa' } },
  { key: 'available', type: 'duration', label: { en: 'Available', 'pt-BR': 'Tempo Disponível' } },
  { key: 'logins', type: 'integer', label: { en: 'Logins', 'pt-BR': 'Logins' } },
  ...LOGIN_CAUSES.map(
    (cause): Column => ({ key: `logins:${cause}`, type: 'integer', label: CAUSE_LABELS[cause] }),
  ),
];

/**
 * Per agent and local day: first login, last logout, time logged in, on break (in all and per
 * reason), available, and logins by cause. Days are cut at midnight in the report's time zone.
 */
export const agentSummary: ReportDefinition<ActivityEvent> = {
  id: 'agent-summary',
  category: 'agent-activity',
  title: { en: 'Agent daily summary', 'pt-BR': 'Resumo diário por agente' },
  description: {
    en: 'Per agent and day: first login, last logout, time logged in, on break per reason and available, logins by cause.',
    'pt-BR':
      'Por agente e dia: primeiro login, último logout, tempo logado, em pausa por motivo e disponível, logins por causa.',
  },
  columns: STATIC_COLUMNS,
  reads: ['activity'],
  filters: [periodFilter(92), AGENTS_FILTER, DEVICE_TIME_FILTER],
  partition: 'agent',
  chart: {
    type: 'bars',
    title: {
      en: 'Logged in and on break, per agent and day',
      'pt-BR': 'Tempo logado e em pausa, por agente e dia',
    },
    labelColumns: ['agentName', 'date'],
    value: { column: 'loggedIn', label: { en: 'Logged in', 'pt-BR': 'Logado' } },
    part: { column: 'onBreak', label: { en: 'On break', 'pt-BR': 'Em pausa' } },
    // The bar is the time logged in; its uncovered part is the time logged in and not on break.
    restLabel: {
      en: 'Available (logged in, not on break)',
      'pt-BR': 'Disponível (logado, fora de pausa)',
    },
    itemsName: { en: 'agent-days', 'pt-BR': 'agente-dias' },
  },

  compute(events, params) {
    const asOf = asOfInstant(params);
    const clock = new ZoneClock(params.timeZone);
    const summaries: DaySummary[] = [];
    const reasons = new Set<string | undefined>();
    for (const timeline of buildTimelines(events, { ...timelineOptions(params), asOf })) {
      const byDay = new Map<number, DaySummary>();
      for (const piece of splitAtMidnight(timeline.segments, clock, asOf)) {
        if (!inPeriod(params, piece.start)) continue;
        const day = clock.startOfDay(piece.start);
        let summary = byDay.get(day);
        if (!summary) {
          summary = {
            agentName: timeline.agentName,
            day,
            firstLogin: null,
            lastLogout: null,
            loggedIn: 0,
            onBreak: new Map(),
            logins: Object.fromEntries(LOGIN_CAUSES.map((cause) => [cause, 0])) as Record<LoginCause, number>,
          };
          byDay.set(day, summary);
          summaries.push(summary);
        }
        const duration = shownDurationMs(piece.start, piece.end ?? Math.max(asOf, piece.start));
        if (piece.kind === 'logout') {
          summary.lastLogout = piece.start;
        } else if (piece.kind === 'break') {
          reasons.add(piece.reason);
          summary.onBreak.set(piece.reason, (summary.onBreak.get(piece.reason) ?? 0) + duration);
        } else {
          summary.loggedIn += duration;
          if (!piece.continued) summary.firstLogin ??= piece.start;
          if (piece.cause && !piece.continued) summary.logins[piece.cause]++;
        }
      }
    }

    const reasonColumns = [...reasons].map(breakReasonColumn).sort((a, b) => (a.key < b.key ? -1 : 1));
    const rows = summaries.map((summary): Row => {
      let onBreak = 0;
      for (const duration of summary.onBreak.values()) onBreak += duration;
      const logins = LOGIN_CAUSES.map((cause) => summary.logins[cause]);
      return [
        summary.agentName,
        summary.day,
        summary.firstLogin,
        summary.lastLogout,
        summary.loggedIn,
        onBreak,
        Math.max(0, summary.loggedIn - onBreak),
        logins.reduce((sum, count) => sum + count, 0),
        ...logins,
        ...reasonColumns.map(
          (column) => summary.onBreak.get(column.key.slice('break:'.length) || undefined) ?? null,
        ),
      ];
    });
    return { columns: [...STATIC_COLUMNS, ...reasonColumns], rows: rows.sort(agentSummary.compareRows) };
  },

  compareRows: rowOrder(0, 1),
};
