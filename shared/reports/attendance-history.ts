import { Growing, Interner, TicketMessages } from '../attendance/messages.ts';
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
import type { ReportDefinition, ReportParams, Row } from './types.ts';

const TICKET_ID = 0;
const SENT_AT = 3;

/**
 * The history's rows, kept as a few numbers each (the message's slot, its ticket, and the agent
 * and queue of its moment) and made only when read: 4M rows as arrays would hold hundreds of MB
 * more than the messages themselves (docs/reports.md, "Measured").
 */
function historyOf(
  messages: TicketMessages,
  params: ReportParams,
): { count: number; rowAt: (index: number) => Row } {
  const status = statusAsked(params);
  const queues = queuesAsked(params);
  const agents = params.agentIds ? new Set(params.agentIds) : undefined;
  const sender = {
    contact: SENDER_LABEL.contact[params.locale],
    agent: SENDER_LABEL.agent[params.locale],
  };
  // Per ticket visited (few): its cells.
  const ticketCells: {
    ticketId: string;
    trackingId: string | null;
    status: string | null;
    contract: string | null;
  }[] = [];
  // Per row: the message, its ticket, the names of its agent and queue (in `names`; -1 for none).
  const slotOf = new Growing(Int32Array);
  const ticketOf = new Growing(Int32Array);
  const agentOf = new Growing(Int32Array);
  const queueOf = new Growing(Int32Array);
  const names = new Interner();
  messages.visit(
    (ticket) => {
      const current = currentState(ticket)?.status;
      if (status !== undefined && current !== status) return false;
      ticketCells.push({
        ticketId: ticket.ticketId,
        trackingId: ticket.trackingId ?? null,
        status: statusCell(current, params.locale),
        contract: ticket.contract ?? null,
      });
      return true;
    },
    (ticket, slot) => {
      const at = messages.at(slot);
      if (!inPeriod(params, at)) return;
      const { agent, queue } = placeAt(ticket, at, messages.ownAgent(slot), messages.ownQueue(slot));
      if (queues && (queue === undefined || !queues.has(queue))) return;
      if (agents && (agent === undefined || !agents.has(agent.id))) return;
      slotOf.push(slot);
      ticketOf.push(ticketCells.length - 1);
      agentOf.push(agent === undefined ? -1 : names.of(agent.name));
      queueOf.push(queue === undefined ? -1 : names.of(queue));
    },
  );
  const count = slotOf.length;
  const made = (position: number): Row => {
    const slot = slotOf.array[position]!;
    const ticket = ticketCells[ticketOf.array[position]!]!;
    const agent = agentOf.array[position]!;
    const queue = queueOf.array[position]!;
    return [
      ticket.ticketId,
      ticket.trackingId,
      messages.text(slot) ?? null,
      messages.at(slot),
      messages.isFromContact(slot) ? sender.contact : sender.agent,
      messages.contact(slot),
      messages.business(slot),
      agent < 0 ? null : names.values[agent]!,
      queue < 0 ? null : names.values[queue]!,
      ticket.status,
      ticket.contract,
    ];
  };
  // Visited by ticket id, then instant: only rows of one ticket at one instant may be out of
  // `compareRows` order (it then compares every cell), so those runs alone are sorted.
  const order = new Uint32Array(count);
  for (let position = 0; position < count; position++) order[position] = position;
  let run = 0;
  for (let position = 1; position <= count; position++) {
    const same =
      position < count &&
      ticketOf.array[position] === ticketOf.array[run] &&
      messages.at(slotOf.array[position]!) === messages.at(slotOf.array[run]!);
    if (same) continue;
    if (position - run > 1) {
      const sorted = [...order.subarray(run, position)]
        .map((index) => ({ index, row: made(index) }))
        .sort((a, b) => attendanceHistory.compareRows(a.row, b.row));
      sorted.forEach(({ index }, offset) => {
        order[run + offset] = index;
      });
    }
    run = position;
  }
  return { count, rowAt: (index) => made(order[index]!) };
}

/**
 * An array of `count` rows made on reading (by index, `length`, iteration, `map`…), never held:
 * a report worker writes 4M of them to a file without keeping 4M arrays. Read-only.
 */
function rowsOnRead(count: number, rowAt: (index: number) => Row): Row[] {
  return new Proxy<Row[]>([], {
    get(target, key, receiver) {
      if (key === 'length') return count;
      if (typeof key === 'string') {
        const index = arrayIndex(key);
        if (index !== undefined) return index < count ? rowAt(index) : undefined;
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === 'string') {
        const index = arrayIndex(key);
        if (index !== undefined) return index < count;
      }
      return Reflect.has(target, key);
    },
    set() {
      throw new TypeError('the attendance history rows are read-only');
    },
  });
}

/** `"12"` → 12; anything that is not an array index → `undefined`. */
function arrayIndex(key: string): number | undefined {
  const code = key.charCodeAt(0);
  if (!(code >= 48 && code <= 57)) return undefined;
  const index = Number(key);
  return Number.isInteger(index) && String(index) === key ? index : undefined;
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

  // The rows as plain arrays (the CLI, tests): the same rows `begin` makes on reading.
  compute(records, params) {
    const run = attendanceHistory.begin!(params);
    run.add(records);
    const { columns, rows } = run.finish();
    return { columns, rows: Array.from(rows) };
  },

  // Millions of messages: held as columns, not records (shared/attendance/messages.ts), and
  // the rows made as they are read.
  begin(params) {
    const messages = new TicketMessages(params.now);
    return {
      add: (records) => messages.add(records),
      finish: () => {
        const { count, rowAt } = historyOf(messages, params);
        return { columns: attendanceHistory.columns, rows: rowsOnRead(count, rowAt) };
      },
    };
  },

  // A ticket's conversation together, in the order it was said.
  compareRows: rowOrder(TICKET_ID, SENT_AT),
};
