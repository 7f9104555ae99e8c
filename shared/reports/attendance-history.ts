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
import { RowTable } from './rows.ts';
import type { CellValue, ReportDefinition, ReportParams } from './types.ts';

const TICKET_ID = 0;
const SENT_AT = 3;

/**
 * The history's rows, kept as a few numbers each (the message's slot, its ticket, and the agent
 * and queue of its moment) and made only when read: 4M rows as arrays would hold hundreds of MB
 * more than the messages themselves (docs/reports.md, "Measured"). A writer reads each row's
 * cells into one array of its own (`RowTable.cellsInto`), so not even a passing array is made.
 */
function historyOf(messages: TicketMessages, params: ReportParams): RowTable {
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
  /** The cells of the row visited `position`th. */
  const cellsAt = (position: number, cells: CellValue[]): void => {
    const slot = slotOf.array[position]!;
    const ticket = ticketCells[ticketOf.array[position]!]!;
    const agent = agentOf.array[position]!;
    const queue = queueOf.array[position]!;
    cells[0] = ticket.ticketId;
    cells[1] = ticket.trackingId;
    cells[2] = messages.text(slot) ?? null;
    cells[3] = messages.at(slot);
    cells[4] = messages.isFromContact(slot) ? sender.contact : sender.agent;
    cells[5] = messages.contact(slot);
    cells[6] = messages.business(slot);
    cells[7] = agent < 0 ? null : names.values[agent]!;
    cells[8] = queue < 0 ? null : names.values[queue]!;
    cells[9] = ticket.status;
    cells[10] = ticket.contract;
  };
  const visited = new RowTable(count, cellsAt);
  // Visited by ticket id, then instant: only rows of one ticket at one instant may be out of
  // `compareRows` order (it then compares every cell), so those runs alone are sorted; when there
  // are none the rows are read in the order visited.
  let order: Uint32Array | undefined;
  let run = 0;
  for (let position = 1; position <= count; position++) {
    const same =
      position < count &&
      ticketOf.array[position] === ticketOf.array[run] &&
      messages.at(slotOf.array[position]!) === messages.at(slotOf.array[run]!);
    if (same) continue;
    if (position - run > 1) {
      if (!order) {
        order = new Uint32Array(count);
        for (let index = 0; index < count; index++) order[index] = index;
      }
      const sorted = [...order.subarray(run, position)]
        .map((index) => ({ index, row: visited.at(index)! }))
        .sort((a, b) => attendanceHistory.compareRows(a.row, b.row));
      for (const [offset, { index }] of sorted.entries()) order[run + offset] = index;
    }
    run = position;
  }
  if (!order) return visited;
  const sortedOrder = order;
  return new RowTable(count, (index, cells) => cellsAt(sortedOrder[index]!, cells));
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
        return { columns: attendanceHistory.columns, rows: historyOf(messages, params) };
      },
    };
  },

  // A ticket's conversation together, in the order it was said.
  compareRows: rowOrder(TICKET_ID, SENT_AT),
};
