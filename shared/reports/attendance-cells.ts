import { gatherTickets, openedAt, type Ticket } from '../attendance/tickets.ts';
import type { Locale, Localized } from '../i18n.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { TicketStatus } from '../records/ticket.ts';
import type { SelectFilter, TextFilter } from './filter-schema.ts';
import { inPeriod } from './params.ts';
import type { Column, ReportParams } from './types.ts';

// What the attendance reports (DESIGN §11) share: their tickets, their filters and their cells.

/** The tickets the records name, as known at the run's "now". */
export const ticketsOf = (records: Iterable<AnyRecord>, params: ReportParams): Ticket[] => [
  ...gatherTickets(records, params.now).values(),
];

/** A ticket belongs to the period it was opened in (`[from, to)` in the report's zone). */
export function openedInPeriod(ticket: Ticket, params: ReportParams): boolean {
  const at = openedAt(ticket);
  return at !== undefined && inPeriod(params, at);
}

export const STATUS_LABEL: Record<TicketStatus, Localized> = {
  open: { en: 'Open', 'pt-BR': 'Aberto' },
  pending: { en: 'Pending', 'pt-BR': 'Pendente' },
  paused: { en: 'Paused', 'pt-BR': 'Pausado' },
  closed: { en: 'Closed', 'pt-BR': 'Encerrado' },
};

export const statusCell = (status: TicketStatus | undefined, locale: Locale) =>
  status === undefined ? null : STATUS_LABEL[status][locale];

export const KIND_LABEL: Record<'receptive' | 'active', Localized> = {
  receptive: { en: 'Receptive', 'pt-BR': 'Receptivo' },
  active: { en: 'Active', 'pt-BR': 'Ativo' },
};

/** Who sent a message of a ticket: the contact (MO), an agent, or the bot (an MT before any agent). */
export const SENDER_LABEL = {
  agent: { en: 'Agent', 'pt-BR': 'Agente' },
  contact: { en: 'Contact', 'pt-BR': 'Contato' },
  bot: { en: 'Bot', 'pt-BR': 'Bot' },
} as const satisfies Record<string, Localized>;

export const LEVEL_LABEL = {
  agent: { en: 'Agent', 'pt-BR': 'Agente' },
  queue: { en: 'Queue', 'pt-BR': 'Fila' },
  total: { en: 'Total', 'pt-BR': 'Total' },
} as const satisfies Record<string, Localized>;

export const STATUS_FILTER: SelectFilter = {
  widget: 'select',
  key: 'ticketStatus',
  label: { en: 'Ticket status', 'pt-BR': 'Status do ticket' },
  choices: (['open', 'pending', 'paused', 'closed'] as const).map((value) => ({
    value,
    label: STATUS_LABEL[value],
  })),
};

export const QUEUES_FILTER: TextFilter = {
  widget: 'text',
  key: 'queues',
  label: { en: 'Queues', 'pt-BR': 'Filas' },
  hint: {
    en: 'One or more queue names, separated by commas; empty: every queue.',
    'pt-BR': 'Um ou mais nomes de fila, separados por vírgulas; vazio: todas as filas.',
  },
  maxLength: 1000,
  suggest: { local: 'queues' },
};

/** The queues the run asks for (`--queues Billing,Support`), or `undefined` for every queue. */
export function queuesAsked(params: ReportParams): Set<string> | undefined {
  const value = params.options?.queues;
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length === 0 ? undefined : new Set(names);
}

/** The ticket status the run asks for, or `undefined` for any. */
export const statusAsked = (params: ReportParams) => params.options?.ticketStatus as TicketStatus | undefined;

/** `2/3` as `66.7%` (pt-BR `66,7%`); empty when nothing was handled. */
export function rateCell(part: number, whole: number, locale: Locale): string | null {
  if (whole === 0) return null;
  const text = ((part * 100) / whole).toFixed(1);
  return `${locale === 'pt-BR' ? text.replace('.', ',') : text}%`;
}

/** A mean of whole milliseconds, rounded to one, so parts that add up give the same figure. */
export const meanMs = (total: number, count: number) => (count === 0 ? null : Math.round(total / count));

/** A column with its en and pt-BR labels. */
export const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});

/** The columns the attendance reports share, labelled once. */
export const ATTENDANCE_COLUMN = {
  ticketId: column('ticketId', 'text', 'Ticket ID', 'ID do Ticket'),
  trackingId: column('trackingId', 'text', 'Tracking ID', 'ID de Rastreamento'),
  message: column('message', 'text', 'Message', 'Mensagem'),
  sentAt: column('sentAt', 'datetime', 'Sent At', 'Enviada em'),
  sender: column('sender', 'text', 'Sender', 'Remetente'),
  contactNumber: column('contactNumber', 'text', 'Contact Number', 'Número do Contato'),
  whatsappNumber: column('whatsappNumber', 'text', 'WhatsApp Number', 'Número do WhatsApp'),
  agent: column('agent', 'text', 'Agent', 'Agente'),
  queue: column('queue', 'text', 'Queue', 'Fila'),
  ticketStatus: column('ticketStatus', 'text', 'Ticket Status', 'Status do Ticket'),
  contract: column('contract', 'text', 'Contract', 'Contrato'),
  contactPhone: column('contactPhone', 'text', 'Contact Phone', 'Telefone do Contato'),
  type: column('type', 'text', 'Type', 'Tipo'),
  openedAt: column('openedAt', 'datetime', 'Opened At', 'Aberto em'),
  lastMessage: column('lastMessage', 'text', 'Last Message', 'Última Mensagem'),
  status: column('status', 'text', 'Status', 'Status'),
  tag: column('tag', 'text', 'Tag', 'Etiqueta'),
  level: column('level', 'text', 'Level', 'Nível'),
  name: column('name', 'text', 'Name', 'Nome'),
  agentId: column('agentId', 'text', 'Agent ID', 'ID do Agente'),
} as const;
