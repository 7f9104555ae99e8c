import {
  type ActivitySegment,
  buildTimelines,
  shownDurationMs,
  splitAtMidnight,
} from '../activity/timeline.ts';
import type { ActivityEvent } from '../events/schema.ts';
import type { Locale } from '../i18n.ts';
import { ZoneClock } from '../time/zone.ts';
import { AGENTS_FILTER, DEVICE_TIME_FILTER, periodFilter, SPLIT_DAYS_FILTER } from './filter-schema.ts';
import { causeCell, causeColumn } from './login-cause.ts';
import { compareCells, rowOrder } from './order.ts';
import { asOfInstant, inPeriod, timelineOptions } from './params.ts';
import type { ReportDefinition, Row } from './types.ts';

const BREAK_WORD: Record<Locale, string> = { en: 'Break', 'pt-BR': 'Pausa' };

/** `Login`, `Break - <reason>` (or `Break`), `Logout` (DESIGN §4). */
export function activityTypeLabel(segment: Pick<ActivitySegment, 'kind' | 'reason'>, locale: Locale): string {
  if (segment.kind === 'login') return 'Login';
  if (segment.kind === 'logout') return 'Logout';
  return segment.reason === undefined ? BREAK_WORD[locale] : `${BREAK_WORD[locale]} - ${segment.reason}`;
}

/** Rule 7's tie-break at equal start: Login, then Break, then Logout. */
function kindRank(label: Row[number]): number {
  return label === 'Login' ? 0 : label === 'Logout' ? 2 : 1;
}

const NAME = 0;
const TYPE = 1;
const START = 2;
const END = 4;
const byEveryColumn = rowOrder();

/** Rule 7's keys: agent name, start, then Login < Break < Logout. */
function compareOpening(a: Row, b: Row): number {
  return (
    compareCells(a[NAME] ?? null, b[NAME] ?? null) ||
    compareCells(a[START] ?? null, b[START] ?? null) ||
    kindRank(a[TYPE] ?? null) - kindRank(b[TYPE] ?? null)
  );
}

export const activity: ReportDefinition<ActivityEvent> = {
  id: 'activity',
  category: 'agent-activity',
  title: { en: 'Activity', 'pt-BR': 'Atividades' },
  description: {
    en: 'Every login, break and logout of each agent, with start, end, duration and IP.',
    'pt-BR': 'Cada login, pausa e logout de cada agente, com início, fim, duração e IP.',
  },
  columns: [
    { key: 'agentName', type: 'text', label: { en: 'Agent Name', 'pt-BR': 'Nome do Agente' } },
    { key: 'activityType', type: 'text', label: { en: 'Activity Type', 'pt-BR': 'Tipo de Atividade' } },
    { key: 'startDate', type: 'date', label: { en: 'Start Date', 'pt-BR': 'Data de Início' } },
    { key: 'startTime', type: 'time', label: { en: 'Start Time', 'pt-BR': 'Hora de Início' } },
    { key: 'endDate', type: 'date', label: { en: 'End Date', 'pt-BR': 'Data de Término' } },
    { key: 'endTime', type: 'time', label: { en: 'End Time', 'pt-BR': 'Hora de Término' } },
    { key: 'duration', type: 'duration', label: { en: 'Duration', 'pt-BR': 'Duração' } },
    { key: 'userIp', type: 'text', label: { en: 'User IP', 'pt-BR': 'IP do Usuário' } },
    // Off by default: the seed's Activity report has the eight columns above.
    causeColumn(true),
  ],
  reads: ['activity'],
  filters: [periodFilter(31), AGENTS_FILTER, SPLIT_DAYS_FILTER, DEVICE_TIME_FILTER],
  partition: 'agent',

  compute(events, params) {
    const asOf = asOfInstant(params);
    const clock = params.splitDays ? new ZoneClock(params.timeZone) : undefined;
    // Each row with its agent and its place in that agent's timeline (the order of the events that
    // opened the rows), for rule 7's last tie-break.
    const placed: { row: Row; agentId: string; place: number }[] = [];
    for (const timeline of buildTimelines(events, { ...timelineOptions(params), asOf })) {
      const segments = clock ? splitAtMidnight(timeline.segments, clock, asOf) : timeline.segments;
      for (const segment of segments) {
        if (!inPeriod(params, segment.start)) continue;
        const { start, end } = segment;
        const row: Row = [
          timeline.agentName,
          activityTypeLabel(segment, params.locale),
          start,
          start,
          end,
          end,
          shownDurationMs(start, end ?? Math.max(asOf, start)),
          segment.ip === '' ? null : segment.ip,
          causeCell(segment.cause, params.locale),
        ];
        placed.push({ row, agentId: timeline.agentId, place: placed.length });
      }
    }
    placed.sort(
      (a, b) =>
        compareOpening(a.row, b.row) ||
        (a.agentId === b.agentId ? a.place - b.place : activity.compareRows(a.row, b.row)),
    );
    return { columns: activity.columns, rows: placed.map(({ row }) => row) };
  },

  // Rule 7 across agents (what the spill's merge compares: its parts hold different agents):
  // agent name, start, Login < Break < Logout; then, for two agents of one name, any fixed order.
  // Rows of one agent still tied keep their events' order, which only `compute` knows.
  compareRows(a, b) {
    return compareOpening(a, b) || compareCells(a[END] ?? null, b[END] ?? null) || byEveryColumn(a, b);
  },
};
