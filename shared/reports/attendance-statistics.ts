import { handlingTime, type TicketPart, ticketParts } from '../attendance/tickets.ts';
import { LEVEL_LABEL, meanMs, openedInPeriod, rateCell, ticketsOf } from './attendance-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import type { Column, ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});

interface Figures {
  level: 'agent' | 'queue';
  name: string;
  agentId: string | null;
  handled: number;
  answered: number;
  firstResponseTotal: number;
  resolved: number;
  handlingTotal: number;
}

function toRow(figures: Figures, params: ReportParams): Row {
  return [
    LEVEL_LABEL[figures.level][params.locale],
    figures.name,
    figures.agentId,
    figures.handled,
    meanMs(figures.firstResponseTotal, figures.answered),
    meanMs(figures.handlingTotal, figures.resolved),
    rateCell(figures.resolved, figures.handled, params.locale),
    figures.answered,
    figures.resolved,
    figures.firstResponseTotal,
    figures.handlingTotal,
  ];
}

/** The figures a row holds, back from it: every one a whole number, so parts add up exactly. */
function fromRow(row: Row, level: 'agent' | 'queue'): Figures {
  return {
    level,
    name: String(row[1]),
    agentId: row[2] === null ? null : String(row[2]),
    handled: Number(row[3]),
    answered: Number(row[7]),
    resolved: Number(row[8]),
    firstResponseTotal: Number(row[9]),
    handlingTotal: Number(row[10]),
  };
}

const keyOf = (figures: Pick<Figures, 'level' | 'agentId' | 'name'>) =>
  `${figures.level}\u0000${figures.agentId ?? figures.name}`;

/** Adds `more` into `into`; of an agent's names, the first in code-unit order, whatever the split. */
function add(into: Figures, more: Figures): void {
  if (more.name < into.name) into.name = more.name;
  into.handled += more.handled;
  into.answered += more.answered;
  into.firstResponseTotal += more.firstResponseTotal;
  into.resolved += more.resolved;
  into.handlingTotal += more.handlingTotal;
}

function rowsOf(all: Iterable<Figures>, params: ReportParams): Row[] {
  return [...all].map((figures) => toRow(figures, params)).sort(attendanceStatistics.compareRows);
}

/**
 * Attendance statistics (DESIGN §11), per agent and per queue, over the tickets opened in the
 * period: tickets handled, mean first response, mean handling time (opened → closed) and the
 * resolution rate. How transferred and reopened tickets count: docs/reports.md.
 */
export const attendanceStatistics: ReportDefinition = {
  id: 'attendance-statistics',
  category: 'messaging',
  title: { en: 'Attendance statistics', 'pt-BR': 'Estatísticas de atendimento' },
  description: {
    en: 'Per agent and per queue, for the tickets opened in the period: tickets handled, mean time to the first response, mean handling time and resolution rate.',
    'pt-BR':
      'Por agente e por fila, para os tickets abertos no período: tickets atendidos, tempo médio até a primeira resposta, tempo médio de atendimento e taxa de resolução.',
  },
  columns: [
    column('level', 'text', 'Level', 'Nível'),
    column('name', 'text', 'Name', 'Nome'),
    column('agentId', 'text', 'Agent ID', 'ID do Agente'),
    column('handled', 'integer', 'Tickets Handled', 'Tickets Atendidos'),
    column('meanFirstResponse', 'duration', 'Mean First Response', 'Tempo Médio de Primeira Resposta'),
    column('meanHandling', 'duration', 'Mean Handling Time', 'Tempo Médio de Atendimento'),
    column('resolutionRate', 'text', 'Resolution Rate', 'Taxa de Resolução'),
    column('answered', 'integer', 'Tickets Answered', 'Tickets Respondidos'),
    column('resolved', 'integer', 'Tickets Resolved', 'Tickets Resolvidos'),
    column('firstResponseTotal', 'duration', 'Total First Response', 'Tempo Total de Primeira Resposta'),
    column('handlingTotal', 'duration', 'Total Handling Time', 'Tempo Total de Atendimento'),
  ],
  reads: ['ticket', 'message'],
  filters: [periodFilter(31)],
  // A ticket's steps and messages together; an agent's tickets lie in many parts, added up by `combine`.
  partition: 'ticket',

  compute(records, params) {
    const figures = new Map<string, Figures>();
    const count = (level: 'agent' | 'queue', id: string, part: TicketPart, handling: number | undefined) => {
      const more: Figures = {
        level,
        name: part.name,
        agentId: level === 'agent' ? id : null,
        handled: 1,
        answered: part.firstResponse === undefined ? 0 : 1,
        firstResponseTotal: part.firstResponse ?? 0,
        resolved: part.resolved ? 1 : 0,
        handlingTotal: part.resolved ? (handling ?? 0) : 0,
      };
      const known = figures.get(keyOf(more));
      if (known) add(known, more);
      else figures.set(keyOf(more), more);
    };
    for (const ticket of ticketsOf(records, params)) {
      if (!openedInPeriod(ticket, params)) continue;
      const parts = ticketParts(ticket);
      const handling = handlingTime(ticket);
      for (const [id, part] of parts.agents) count('agent', id, part, handling);
      for (const [name, part] of parts.queues) count('queue', name, part, handling);
    }
    return { columns: attendanceStatistics.columns, rows: rowsOf(figures.values(), params) };
  },

  // Agents, then queues (Agent < Queue, Agente < Fila), each by name.
  compareRows: rowOrder(0, 1, 2),

  /** Parts split by ticket: each ticket counted in one part, so the sums add up. */
  combine(parts: readonly ReportResult[], params: ReportParams): ReportResult {
    const agentLabel = LEVEL_LABEL.agent[params.locale];
    const merged = new Map<string, Figures>();
    for (const part of parts) {
      for (const row of part.rows) {
        const figures = fromRow(row, row[0] === agentLabel ? 'agent' : 'queue');
        const known = merged.get(keyOf(figures));
        if (known) add(known, figures);
        else merged.set(keyOf(figures), figures);
      }
    }
    return { columns: attendanceStatistics.columns, rows: rowsOf(merged.values(), params) };
  },
};
