import { ZoneClock } from '../time/zone.ts';
import { addRows, CHAT_PERIOD, CHAT_COLUMN as COLUMN, chatOf } from './chat-cells.ts';
import { rowOrder } from './order.ts';
import type { ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

interface InboxDay {
  row: Row;
  contacts: Set<string>;
  conversations: Set<string>;
  messages: number;
}

/** Chat summary (DESIGN §11, chat export): per day and inbox, its contacts, conversations and messages. */
export const chatSummary: ReportDefinition = {
  id: 'chat-summary',
  category: 'messaging',
  title: { en: 'Chat summary', 'pt-BR': 'Resumo do chat' },
  description: {
    en: 'Per day and inbox (business number and queue): how many contacts wrote or were written to, in how many conversations, and how many messages.',
    'pt-BR':
      'Por dia e caixa de entrada (número e fila): quantos contatos escreveram ou receberam mensagens, em quantas conversas, e quantas mensagens.',
  },
  columns: [
    COLUMN.date,
    COLUMN.whatsappNumber,
    COLUMN.queue,
    COLUMN.contacts,
    COLUMN.conversations,
    COLUMN.messages,
  ],
  reads: ['ticket', 'message'],
  filters: [CHAT_PERIOD],
  // A contact's conversations together: the parts' contacts and conversations are disjoint, so they add up.
  partition: 'contact',

  compute(records, params) {
    const clock = new ZoneClock(params.timeZone);
    const inboxDays = new Map<string, InboxDay>();
    for (const message of chatOf(records, params).inPeriod) {
      const day = clock.startOfDay(message.at);
      const queue = message.queue ?? null;
      const key = JSON.stringify([day, message.business, queue]);
      let entry = inboxDays.get(key);
      if (!entry) {
        entry = {
          row: [day, message.business, queue],
          contacts: new Set(),
          conversations: new Set(),
          messages: 0,
        };
        inboxDays.set(key, entry);
      }
      entry.contacts.add(message.record.contact);
      entry.conversations.add(message.conversation);
      entry.messages++;
    }
    const rows = [...inboxDays.values()].map((entry) => [
      ...entry.row,
      entry.contacts.size,
      entry.conversations.size,
      entry.messages,
    ]);
    return { columns: chatSummary.columns, rows: rows.sort(chatSummary.compareRows) };
  },

  // By day, then business number, then queue (a message in no queue after the queues).
  compareRows: rowOrder(0, 1, 2),

  combine(parts: readonly ReportResult[], _params: ReportParams): ReportResult {
    return { columns: chatSummary.columns, rows: addRows(parts, 3).sort(chatSummary.compareRows) };
  },
};
