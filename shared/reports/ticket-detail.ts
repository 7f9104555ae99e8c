import {
  type Agent,
  agentOf,
  closingStep,
  currentState,
  gatherTickets,
  openedAt,
  stateAt,
  type Ticket,
  ticketParts,
} from '../attendance/tickets.ts';
import type { TranscriptDocument, TranscriptMessage } from '../files/transcript.ts';
import { CellFormatter } from '../format/cells.ts';
import type { Localized } from '../i18n.ts';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import { ATTENDANCE_COLUMN as COLUMN, SENDER_LABEL, statusCell } from './attendance-cells.ts';
import { periodFilter, type SelectFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { ReportDefinition, ReportParams, Row } from './types.ts';

const SENT_AT = 0;

/** The ticket to export: one of the tickets in the local data (the app's picker), typed on the CLI. */
export const TICKET_FILTER: SelectFilter = {
  widget: 'select',
  key: 'ticket',
  label: { en: 'Ticket', 'pt-BR': 'Ticket' },
  choices: { local: 'tickets' },
  required: true,
};

const TEXT = {
  title: { en: 'Ticket', 'pt-BR': 'Ticket' },
  contact: { en: 'Contact', 'pt-BR': 'Contato' },
  queue: { en: 'Queue', 'pt-BR': 'Fila' },
  status: { en: 'Status', 'pt-BR': 'Status' },
  opened: { en: 'Opened', 'pt-BR': 'Aberto em' },
  closed: { en: 'Closed', 'pt-BR': 'Encerrado em' },
  agents: { en: 'Agents', 'pt-BR': 'Agentes' },
  business: { en: 'WhatsApp number', 'pt-BR': 'Número do WhatsApp' },
  none: { en: 'No messages.', 'pt-BR': 'Nenhuma mensagem.' },
  template: { en: 'Template', 'pt-BR': 'Modelo' },
} as const satisfies Record<string, Localized>;

/** A message without text, as the transcript shows it: its template's name, else its kind. */
function messageText(record: MessageRecord, params: ReportParams): string {
  if (record.text !== undefined) return record.text;
  if (record.templateName !== undefined) return `[${TEXT.template[params.locale]}: ${record.templateName}]`;
  return `[${record.contentType}]`;
}

/**
 * Who sent a message: the contact (MO, by the ticket's contact name, else number); an agent (an
 * MT naming one, else the agent holding the ticket then); else the bot (an MT before any agent).
 */
function senderOf(
  ticket: Ticket,
  at: number,
  record: MessageRecord,
): { role: keyof typeof SENDER_LABEL; name?: string } {
  if (record.direction === 'MO') return { role: 'contact', name: ticket.contactName ?? record.contact };
  const agent = agentOf(record) ?? stateAt(ticket, at)?.holder;
  return agent ? { role: 'agent', name: agent.name } : { role: 'bot' };
}

/** The agents who handled the ticket: took it, closed it, or wrote in it, in that order of first appearance. */
function agentsOf(ticket: Ticket): Agent[] {
  const agents = new Map<string, Agent>();
  for (const [id, part] of ticketParts(ticket).agents) agents.set(id, { id, name: part.name });
  for (const message of ticket.messages) {
    const agent = message.record.direction === 'MT' ? agentOf(message.record) : undefined;
    if (agent && !agents.has(agent.id)) agents.set(agent.id, agent);
  }
  return [...agents.values()];
}

/**
 * Ticket detail (DESIGN §11): one ticket's whole conversation. The rows are its messages (Sent
 * At, Sender, Name, Message); the PDF is the transcript of the same messages with the ticket's
 * header — contact, queue, status, opened and closed, the agents who handled it.
 */
export const ticketDetail: ReportDefinition = {
  id: 'ticket-detail',
  category: 'messaging',
  title: { en: 'Ticket detail', 'pt-BR': 'Detalhe do ticket' },
  description: {
    en: 'One ticket’s whole conversation, laid out as a chat transcript in the PDF (contact, agents, every message with its time and sender); one row per message in CSV and XLSX.',
    'pt-BR':
      'A conversa inteira de um ticket, como uma transcrição de chat no PDF (contato, agentes, cada mensagem com horário e remetente); uma linha por mensagem em CSV e XLSX.',
  },
  columns: [COLUMN.sentAt, COLUMN.sender, COLUMN.name, COLUMN.message],
  reads: ['ticket', 'message'],
  // The period may be left out: a ticket is its whole conversation. Given, it keeps the messages sent in it.
  filters: [periodFilter(31, { orFilter: TICKET_FILTER }), TICKET_FILTER],
  partition: 'ticket',

  compute(records, params) {
    const ticketId = params.options?.ticket;
    // Only this ticket's records are assembled: the others may be hundreds of thousands.
    const ticket =
      ticketId === undefined
        ? undefined
        : gatherTickets(recordsOf(records, ticketId), params.now).get(ticketId);
    if (!ticket) return { columns: ticketDetail.columns, rows: [] };
    const rows: Row[] = [];
    const messages: TranscriptMessage[] = [];
    const formatter = new CellFormatter(params.locale, params.timeZone);
    for (const message of ticket.messages) {
      if (!inPeriod(params, message.at)) continue;
      const sender = senderOf(ticket, message.at, message.record);
      const role = SENDER_LABEL[sender.role][params.locale];
      const text = messageText(message.record, params);
      rows.push([message.at, role, sender.name ?? null, text]);
      messages.push({
        time: formatter.format('datetime', message.at),
        sender: sender.name ?? role,
        text,
        side: sender.role === 'contact' ? 'contact' : 'business',
      });
    }
    return {
      columns: ticketDetail.columns,
      rows,
      transcript: transcriptOf(ticket, messages, params, formatter),
    };
  },

  // In the order it was said (the ticket's messages come by instant, then provider id).
  compareRows: rowOrder(SENT_AT),
};

function* recordsOf(records: Iterable<AnyRecord>, ticketId: string): Generator<AnyRecord> {
  for (const record of records)
    if ((record.type === 'ticket' || record.type === 'message') && record.ticketId === ticketId) yield record;
}

function transcriptOf(
  ticket: Ticket,
  messages: TranscriptMessage[],
  params: ReportParams,
  formatter: CellFormatter,
): TranscriptDocument {
  const { locale } = params;
  const state = currentState(ticket);
  const opened = openedAt(ticket) ?? ticket.messages[0]?.at;
  const closed = closingStep(ticket)?.at;
  const contact = ticket.contact ?? '';
  const header: { label: Localized; value: string }[] = [
    { label: TEXT.contact, value: ticket.contactName ? `${ticket.contactName} (${contact})` : contact },
    { label: TEXT.business, value: ticket.business ?? '' },
    { label: TEXT.queue, value: state?.queue ?? '' },
    { label: TEXT.status, value: statusCell(state?.status, locale) ?? '' },
    { label: TEXT.opened, value: opened === undefined ? '' : formatter.format('datetime', opened) },
    { label: TEXT.closed, value: closed === undefined ? '—' : formatter.format('datetime', closed) },
    {
      label: TEXT.agents,
      value:
        agentsOf(ticket)
          .map((agent) => agent.name)
          .join(', ') || '—',
    },
  ];
  return {
    locale,
    title: `${TEXT.title[locale]} ${ticket.ticketId}`,
    header: header.map((item) => ({ label: item.label[locale], value: item.value })),
    messages,
    emptyText: TEXT.none[locale],
  };
}
