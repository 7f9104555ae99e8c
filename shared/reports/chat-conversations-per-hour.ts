import { conversationStarts } from '../chat/conversations.ts';
import { ZoneClock } from '../time/zone.ts';
import { addRows, CHAT_PERIOD, CHAT_COLUMN as COLUMN, chatOf, dayAndHour, periodDays } from './chat-cells.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const CONVERSATIONS = 2;
const INCOMING = 3;
const OUTGOING = 4;

/** Every hour 0–23 of every day of the period, all counts zero, by `day hour`. */
function emptyGrid(params: ReportParams): Map<string, Row> {
  const grid = new Map<string, Row>();
  for (const day of periodDays(params))
    for (let hour = 0; hour < 24; hour++) grid.set(`${day} ${hour}`, [day, hour, 0, 0, 0]);
  return grid;
}

/**
 * Chat conversations per hour (DESIGN §11, chat export): per date and hour of the day, the
 * conversations that started then, and the messages received and sent.
 */
export const chatConversationsPerHour: ReportDefinition = {
  id: 'chat-conversations-per-hour',
  category: 'messaging',
  title: { en: 'Chat conversations per hour', 'pt-BR': 'Conversas do chat por hora' },
  description: {
    en: 'Every hour 0–23 of every day in the period: the conversations that started in it, and the messages received (incoming) and sent (outgoing).',
    'pt-BR':
      'Cada hora de 0 a 23 de cada dia do período: as conversas iniciadas nela e as mensagens recebidas e enviadas.',
  },
  columns: [COLUMN.date, COLUMN.hour, COLUMN.conversations, COLUMN.incoming, COLUMN.outgoing],
  reads: ['ticket', 'message'],
  filters: [CHAT_PERIOD],
  // A contact's conversations together: each conversation starts in one part, so the parts add up.
  partition: 'contact',

  compute(records, params) {
    const clock = new ZoneClock(params.timeZone);
    const grid = emptyGrid(params);
    const chat = chatOf(records, params);
    const cell = (at: number) => {
      const { day, hour } = dayAndHour(clock, at);
      return grid.get(`${day} ${hour}`)!;
    };
    for (const message of chat.inPeriod) {
      const row = cell(message.at);
      const count = message.record.direction === 'MO' ? INCOMING : OUTGOING;
      row[count] = Number(row[count]) + 1;
    }
    // A conversation counts in the hour of its first message, which may lie before the period.
    for (const start of conversationStarts(chat.all).values()) {
      if (!inPeriod(params, start.at)) continue;
      const row = cell(start.at);
      row[CONVERSATIONS] = Number(row[CONVERSATIONS]) + 1;
    }
    return {
      columns: chatConversationsPerHour.columns,
      rows: [...grid.values()].sort(chatConversationsPerHour.compareRows),
    };
  },

  compareRows: rowOrder(0, 1),

  combine(parts: readonly ReportResult[], params: ReportParams): ReportResult {
    const rows = addRows([{ columns: [], rows: [...emptyGrid(params).values()] }, ...parts], 2);
    return {
      columns: chatConversationsPerHour.columns,
      rows: rows.sort(chatConversationsPerHour.compareRows),
    };
  },
};
