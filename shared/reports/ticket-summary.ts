import { currentState, openedAt } from '../attendance/tickets.ts';
import {
  ATTENDANCE_COLUMN as COLUMN,
  KIND_LABEL,
  openedInPeriod,
  QUEUES_FILTER,
  queuesAsked,
  STATUS_FILTER,
  statusAsked,
  statusCell,
  ticketsOf,
} from './attendance-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import type { ReportDefinition, Row } from './types.ts';

const TICKET_ID = 0;
const OPENED_AT = 3;

/**
 * Ticket summary (DESIGN §11): one row per ticket opened in the period. Its Last Message is that
 * message's text only (a picture or a template without text leaves it empty); the whole
 * conversation is in `attendance-history` and `ticket-detail`.
 */
export const ticketSummary: ReportDefinition = {
  id: 'ticket-summary',
  category: 'messaging',
  title: { en: 'Ticket summary', 'pt-BR': 'Resumo de tickets' },
  description: {
    en: 'One row per ticket opened in the period: contact, type, status, queue, tag and the text of its last message (the whole conversation is in the attendance history).',
    'pt-BR':
      'Uma linha por ticket aberto no período: contato, tipo, status, fila, etiqueta e o texto da última mensagem (a conversa inteira está no histórico de atendimento).',
  },
  columns: [
    COLUMN.ticketId,
    COLUMN.contactPhone,
    COLUMN.type,
    COLUMN.openedAt,
    {
      ...COLUMN.lastMessage,
      note: {
        en: 'Last Message holds the text of the last message only. For the whole conversation: the ⋮ menu of a row → Export conversation (PDF), or the Attendance history report.',
        'pt-BR':
          'Última Mensagem traz só o texto da última mensagem. Para a conversa inteira: o menu ⋮ de uma linha → Exportar conversa (PDF), ou o relatório Histórico de atendimento.',
      },
    },
    COLUMN.status,
    COLUMN.queue,
    COLUMN.tag,
    COLUMN.contract,
  ],
  reads: ['ticket', 'message'],
  filters: [periodFilter(31), STATUS_FILTER, QUEUES_FILTER],
  partition: 'ticket',

  compute(records, params) {
    const status = statusAsked(params);
    const queues = queuesAsked(params);
    const rows: Row[] = [];
    for (const ticket of ticketsOf(records, params)) {
      if (!openedInPeriod(ticket, params)) continue;
      const current = currentState(ticket);
      if (status !== undefined && current?.status !== status) continue;
      if (queues && (current?.queue === undefined || !queues.has(current.queue))) continue;
      const last = ticket.messages[ticket.messages.length - 1]?.record;
      rows.push([
        ticket.ticketId,
        ticket.contact ?? null,
        ticket.kind ? KIND_LABEL[ticket.kind][params.locale] : null,
        openedAt(ticket)!,
        last?.text ?? null,
        statusCell(current?.status, params.locale),
        current?.queue ?? null,
        ticket.tag ?? null,
        ticket.contract ?? null,
      ]);
    }
    return { columns: ticketSummary.columns, rows: rows.sort(ticketSummary.compareRows) };
  },

  // By Opened At, then Ticket ID.
  compareRows: rowOrder(OPENED_AT, TICKET_ID),
};
