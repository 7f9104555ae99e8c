import { currentState, messagePlace, ticketParts } from '../attendance/tickets.ts';
import { LEVEL_LABEL, openedInPeriod, ticketsOf } from './attendance-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { Column, ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});

type Level = 'agent' | 'queue' | 'total';
const COUNTS = [
  'tickets',
  'receptive',
  'active',
  'transferred',
  'reopened',
  'closed',
  'received',
  'sent',
] as const;
type Counts = Record<(typeof COUNTS)[number], number>;
interface Totals extends Counts {
  level: Level;
  name: string | null;
  agentId: string | null;
}
const FIRST_COUNT = 3;

const keyOf = (totals: Pick<Totals, 'level' | 'agentId' | 'name'>) =>
  `${totals.level}\u0000${totals.agentId ?? totals.name ?? ''}`;

function add(into: Totals, more: Totals): void {
  if (more.name !== null && (into.name === null || more.name < into.name)) into.name = more.name;
  for (const count of COUNTS) into[count] += more[count];
}

function toRow(totals: Totals, params: ReportParams): Row {
  return [
    LEVEL_LABEL[totals.level][params.locale],
    totals.name,
    totals.agentId,
    ...COUNTS.map((count) => totals[count]),
  ];
}

function rowsOf(all: Iterable<Totals>, params: ReportParams): Row[] {
  return [...all].map((totals) => toRow(totals, params)).sort(attendanceSummary.compareRows);
}

/** Keeps per-level totals, one entry per agent, queue and the period. */
class Tally {
  readonly entries = new Map<string, Totals>();
  of(level: Level, name: string | null, agentId: string | null = null): Totals {
    const key = keyOf({ level, agentId, name });
    let totals = this.entries.get(key);
    if (!totals) {
      totals = { level, name, agentId, ...(Object.fromEntries(COUNTS.map((c) => [c, 0])) as Counts) };
      this.entries.set(key, totals);
    } else if (name !== null && (totals.name === null || name < totals.name)) {
      // Of an agent's names, the first in code-unit order, whatever the split.
      totals.name = name;
    }
    return totals;
  }
  merge(more: Totals): void {
    const known = this.entries.get(keyOf(more));
    if (known) add(known, more);
    else this.entries.set(keyOf(more), { ...more });
  }
}

/** Attendance summary (DESIGN §11): the period's volumes in all, per queue and per agent. */
export const attendanceSummary: ReportDefinition = {
  id: 'attendance-summary',
  category: 'messaging',
  title: { en: 'Attendance summary', 'pt-BR': 'Resumo de atendimento' },
  description: {
    en: 'Totals for the period, per agent, per queue and in all: tickets opened (receptive, active), transferred, reopened and closed, messages received and sent.',
    'pt-BR':
      'Totais do período, por agente, por fila e no total: tickets abertos (receptivos, ativos), transferidos, reabertos e encerrados, mensagens recebidas e enviadas.',
  },
  columns: [
    column('level', 'text', 'Level', 'Nível'),
    column('name', 'text', 'Name', 'Nome'),
    column('agentId', 'text', 'Agent ID', 'ID do Agente'),
    column('tickets', 'integer', 'Tickets', 'Tickets'),
    column('receptive', 'integer', 'Receptive', 'Receptivos'),
    column('active', 'integer', 'Active', 'Ativos'),
    column('transferred', 'integer', 'Transferred', 'Transferidos'),
    column('reopened', 'integer', 'Reopened', 'Reabertos'),
    column('closed', 'integer', 'Closed', 'Encerrados'),
    column('received', 'integer', 'Messages Received', 'Mensagens Recebidas'),
    column('sent', 'integer', 'Messages Sent', 'Mensagens Enviadas'),
  ],
  reads: ['ticket', 'message'],
  filters: [periodFilter(31)],
  // A ticket's steps and messages together; the sums of the parts are added by `combine`.
  partition: 'ticket',

  compute(records, params) {
    const tally = new Tally();
    for (const ticket of ticketsOf(records, params)) {
      if (openedInPeriod(ticket, params)) {
        const parts = ticketParts(ticket);
        const actions = new Set(ticket.steps.map((step) => step.action));
        const groups = [
          tally.of('total', null),
          ...[...parts.agents].map(([id, part]) => tally.of('agent', part.name, id)),
          ...[...parts.queues.keys()].map((name) => tally.of('queue', name)),
        ];
        const closedIn = [
          ...(currentState(ticket)?.status === 'closed' ? [tally.of('total', null)] : []),
          ...[...parts.agents]
            .filter(([, part]) => part.resolved)
            .map(([id, part]) => tally.of('agent', part.name, id)),
          ...[...parts.queues].filter(([, part]) => part.resolved).map(([name]) => tally.of('queue', name)),
        ];
        for (const totals of groups) {
          totals.tickets++;
          if (ticket.kind === 'receptive') totals.receptive++;
          if (ticket.kind === 'active') totals.active++;
          if (actions.has('transferred')) totals.transferred++;
          if (actions.has('reopened')) totals.reopened++;
        }
        for (const totals of closedIn) totals.closed++;
      }
      for (const message of ticket.messages) {
        if (!inPeriod(params, message.at)) continue;
        const { agent, queue } = messagePlace(ticket, message);
        const count = message.record.direction === 'MO' ? 'received' : 'sent';
        tally.of('total', null)[count]++;
        if (agent) tally.of('agent', agent.name, agent.id)[count]++;
        if (queue !== undefined) tally.of('queue', queue)[count]++;
      }
    }
    return { columns: attendanceSummary.columns, rows: rowsOf(tally.entries.values(), params) };
  },

  // Agents, then queues, each by name; the period's total last (Agent < Queue < Total, Agente < Fila < Total).
  compareRows: rowOrder(0, 1, 2),

  /** Parts split by ticket: each ticket and each message counted in one part, so sums add up. */
  combine(parts: readonly ReportResult[], params: ReportParams): ReportResult {
    const levels = new Map<string, Level>(
      (['agent', 'queue', 'total'] as const).map((level) => [LEVEL_LABEL[level][params.locale], level]),
    );
    const tally = new Tally();
    for (const part of parts) {
      for (const row of part.rows) {
        const counts = Object.fromEntries(
          COUNTS.map((count, index) => [count, Number(row[FIRST_COUNT + index])]),
        ) as Counts;
        tally.merge({
          level: levels.get(String(row[0]))!,
          name: row[1] === null ? null : String(row[1]),
          agentId: row[2] === null ? null : String(row[2]),
          ...counts,
        });
      }
    }
    return { columns: attendanceSummary.columns, rows: rowsOf(tally.entries.values(), params) };
  },
};
