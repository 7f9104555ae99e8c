import { type ChatMessage, type ChatSender, chatMessages } from '../chat/conversations.ts';
import type { Localized } from '../i18n.ts';
import type { AnyRecord } from '../records/registry.ts';
import { ZoneClock } from '../time/zone.ts';
import { ATTENDANCE_COLUMN, column } from './attendance-cells.ts';
import { MESSAGE_COLUMN } from './dispatch-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { inPeriod } from './params.ts';
import type { ReportParams, ReportResult, Row } from './types.ts';

// What the chat reports (DESIGN §11, "Chat export") share: their messages, period and cells.

/** Every chat report needs a period of at most 31 days: each is a day-by-day export. */
export const CHAT_PERIOD = periodFilter(31, { required: true });

/** The messages of the run, as known at its "now", and those sent in its period. */
export function chatOf(records: Iterable<AnyRecord>, params: ReportParams) {
  const all = chatMessages(records, params.now);
  return { all, inPeriod: all.filter((message) => inPeriod(params, message.at)) };
}

/** The local midnight of an instant's day and its hour 0–23, in the report's zone. */
export function dayAndHour(clock: ZoneClock, at: number): { day: number; hour: number } {
  return { day: clock.startOfDay(at), hour: clock.parts(at).hour };
}

/** The local midnights of the days of `[from, to)` in the report's zone. */
export function periodDays(params: ReportParams): number[] {
  const days: number[] = [];
  if (params.from === undefined || params.to === undefined) return days;
  const clock = new ZoneClock(params.timeZone);
  for (let day = clock.startOfDay(params.from); day < params.to; day = clock.startOfNextDay(day))
    days.push(day);
  return days;
}

export const SENDER_LABEL: Record<ChatSender, Localized> = {
  contact: { en: 'Contact', 'pt-BR': 'Contato' },
  agent: { en: 'Agent', 'pt-BR': 'Agente' },
  campaign: { en: 'Campaign', 'pt-BR': 'Campanha' },
  bot: { en: 'Bot', 'pt-BR': 'Bot' },
};

/** The columns the chat reports share, labelled once; the attendance ones where they mean the same. */
export const CHAT_COLUMN = {
  conversationId: MESSAGE_COLUMN.conversationId,
  contactName: column('contactName', 'text', 'Contact Name', 'Nome do Contato'),
  contentType: MESSAGE_COLUMN.contentType,
  date: column('date', 'date', 'Date', 'Data'),
  hour: column('hour', 'integer', 'Hour', 'Hora'),
  contacts: column('contacts', 'integer', 'Contacts', 'Contatos'),
  conversations: column('conversations', 'integer', 'Conversations', 'Conversas'),
  messages: column('messages', 'integer', 'Messages', 'Mensagens'),
  incoming: column('incoming', 'integer', 'Incoming', 'Recebidas'),
  outgoing: column('outgoing', 'integer', 'Outgoing', 'Enviadas'),
  userId: column('userId', 'text', 'User ID', 'ID do Usuário'),
  queues: column('queues', 'text', 'Queues', 'Filas'),
  messagesSent: column('messagesSent', 'integer', 'Messages Sent', 'Mensagens Enviadas'),
  messagesReceived: column('messagesReceived', 'integer', 'Messages Received', 'Mensagens Recebidas'),
  firstMessageAt: column('firstMessageAt', 'datetime', 'First Message', 'Primeira Mensagem'),
  lastMessageAt: column('lastMessageAt', 'datetime', 'Last Message', 'Última Mensagem'),
  dispatchedAt: column('dispatchedAt', 'datetime', 'Dispatched At', 'Disparada em'),
  template: column('template', 'text', 'Template', 'Template'),
  sent: column('sent', 'integer', 'Sent', 'Enviada'),
  confirmed: column('confirmed', 'integer', 'Confirmed', 'Confirmada'),
  read: column('read', 'integer', 'Read', 'Lida'),
  failed: column('failed', 'integer', 'Failed', 'Falha'),
  interaction: column('interaction', 'integer', 'Interaction', 'Interação'),
  ...ATTENDANCE_COLUMN,
} as const;

/** A queue cell, or empty for a message that never reached one (the bot, a campaign). */
export const queueCell = (message: ChatMessage) => message.queue ?? null;

/**
 * Adds up rows keyed by their first `keyCount` cells, the rest whole counts: the `combine` of the
 * chat reports split by contact, whose counts (contacts, conversations, messages) are disjoint
 * between parts — a conversation belongs to one contact.
 */
export function addRows(parts: readonly ReportResult[], keyCount: number): Row[] {
  const sums = new Map<string, Row>();
  for (const part of parts) {
    for (const row of part.rows) {
      const key = JSON.stringify(row.slice(0, keyCount));
      const sum = sums.get(key);
      if (!sum) sums.set(key, [...row]);
      else
        for (let index = keyCount; index < row.length; index++)
          sum[index] = Number(sum[index]) + Number(row[index]);
    }
  }
  return [...sums.values()];
}
