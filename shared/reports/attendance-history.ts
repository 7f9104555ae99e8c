import { currentState, messagePlace } from '../attendance/tickets.ts';
import {
  ATTENDANCE_COLUMN as COLUMN,
  QUEUES_FILTER,
  queuesAsked,
  SENDER_LABEL,
  STATUS_FILTER,
  statusAsked,
  statusCell,
  ticketsOf,
} from './attendance-cells.ts';
import { AGENTS_FILTER, periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { ReportDefinition, Row } from './types.ts';

const TICKET_ID = 0;
const SENT_AT = 3;

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
    const status = statusAsked(params);
    const queues = queuesAsked(params);
    const agents = params.agentIds ? new Set(params.agentIds) : undefined;
    const rows: Row[] = [];
    for (const ticket of ticketsOf(records, params)) {
      const current = currentState(ticket);
      if (status !== undefined && current?.status !== status) continue;
      for (const message of ticket.messages) {
        if (!inPeriod(params, message.at)) continue;
        const { agent, queue } = messagePlace(ticket, message);
        if (queues && (queue === undefined || !queues.has(queue))) continue;
        if (agents && (agent === undefined || !agents.has(agent.id))) continue;
        const record = message.record;
        rows.push([
          ticket.ticketId,
          ticket.trackingId ?? null,
          record.text ?? null,
          message.at,
          SENDER_LABEL[record.direction === 'MO' ? 'contact' : 'agent'][params.locale],
          record.contact,
          record.business,
          agent?.name ?? null,
          queue ?? null,
          statusCell(current?.status, params.locale),
          ticket.contract ?? null,
        ]);
      }
    }
    return { columns: attendanceHistory.columns, rows: rows.sort(attendanceHistory.compareRows) };
  },

  // A ticket's conversation together, in the order it was said.
  compareRows: rowOrder(TICKET_ID, SENT_AT),
};
