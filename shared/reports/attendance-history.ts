import { TicketMessages } from '../attendance/messages.ts';
import { currentState, placeAt } from '../attendance/tickets.ts';
import {
  ATTENDANCE_COLUMN as COLUMN,
  QUEUES_FILTER,
  queuesAsked,
  SENDER_LABEL,
  STATUS_FILTER,
  statusAsked,
  statusCell,
} from './attendance-cells.ts';
import { AGENTS_FILTER, periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const TICKET_ID = 0;
const SENT_AT = 3;

function historyOf(messages: TicketMessages, params: ReportParams): ReportResult {
  const status = statusAsked(params);
  const queues = queuesAsked(params);
  const agents = params.agentIds ? new Set(params.agentIds) : undefined;
  const rows: Row[] = [];
  const sender = {
    contact: SENDER_LABEL.contact[params.locale],
    agent: SENDER_LABEL.agent[params.locale],
  };
  let statusText: string | null = null;
  messages.visit(
    (ticket) => {
      const current = currentState(ticket)?.status;
      statusText = statusCell(current, params.locale);
      return status === undefined || current === status;
    },
    (ticket, slot) => {
      const at = messages.at(slot);
      if (!inPeriod(params, at)) return;
      const { agent, queue } = placeAt(ticket, at, messages.ownAgent(slot), messages.ownQueue(slot));
      if (queues && (queue === undefined || !queues.has(queue))) return;
      if (agents && (agent === undefined || !agents.has(agent.id))) return;
      rows.push([
        ticket.ticketId,
        ticket.trackingId ?? null,
        messages.text(slot) ?? null,
        at,
        messages.isFromContact(slot) ? sender.contact : sender.agent,
        messages.contact(slot),
        messages.business(slot),
        agent?.name ?? null,
        queue ?? null,
        statusText,
        ticket.contract ?? null,
      ]);
    },
  );
  // Already by ticket and instant; rows at the same instant of a ticket are then put in the
  // order of all their cells (nearly sorted: one pass).
  return { columns: attendanceHistory.columns, rows: rows.sort(attendanceHistory.compareRows) };
}

/** Attendance history (DESIGN §11): every message of every ticket, with the ticket around it. */
export const attendanceHistory: ReportDefinition = {
  id: 'attendance-history',
  category: 'messaging',
  title: { en: 'Attendance history', 'pt-BR': 'Histórico de atendimento' },
  description: {
    en: 'One row per message of each ticket in the period: who sent it, the agent and queue at that moment, and the ticket’s status.',
    'pt-BR':
      'Uma linha por mensagem de cada ticket no período: quem enviou, o agente e a fila naquele momento e o status do ticket.',
  },
  columns: [
    COLUMN.ticketId,
    COLUMN.trackingId,
    COLUMN.message,
    COLUMN.sentAt,
    COLUMN.sender,
    COLUMN.contactNumber,
    COLUMN.whatsappNumber,
    COLUMN.agent,
    COLUMN.queue,
    COLUMN.ticketStatus,
    COLUMN.contract,
  ],
  reads: ['ticket', 'message'],
  filters: [periodFilter(31, { required: true }), STATUS_FILTER, QUEUES_FILTER, AGENTS_FILTER],
  // A ticket's steps and messages together: each row needs the ticket's state at its instant.
  partition: 'ticket',

  compute(records, params) {
    const run = attendanceHistory.begin!(params);
    run.add(records);
    return run.finish();
  },

  // Millions of messages: held as columns, not records (shared/attendance/messages.ts).
  begin(params) {
    const messages = new TicketMessages(params.now);
    return {
      add: (records) => messages.add(records),
      finish: () => historyOf(messages, params),
    };
  },

  // A ticket's conversation together, in the order it was said.
  compareRows: rowOrder(TICKET_ID, SENT_AT),
};
