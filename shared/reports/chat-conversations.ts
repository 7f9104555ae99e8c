import type { Dispatch } from '../messaging/dispatches.ts';
import { QUEUES_FILTER, queuesAsked } from './attendance-cells.ts';
import { CHAT_PERIOD, CHAT_COLUMN as COLUMN, chatOf, queueCell, SENDER_LABEL } from './chat-cells.ts';
import {
  CONTENT_TYPE_LABEL,
  gatherMessaging,
  COLUMN as MESSAGE_COLUMN,
  statusLabel,
} from './dispatch-cells.ts';
import { rowOrder } from './order.ts';
import type { ReportDefinition, Row } from './types.ts';

const CONVERSATION_ID = 0;
const SENT_AT = 1;
const CONTACT = 3;
const BUSINESS = 5;

/** Chat conversations (DESIGN §11, chat export): every message of the period in its conversation. */
export const chatConversations: ReportDefinition = {
  id: 'chat-conversations',
  category: 'messaging',
  title: { en: 'Chat conversations', 'pt-BR': 'Conversas do chat' },
  description: {
    en: 'One row per message sent or received in the period, in its conversation and inbox: who wrote it, the agent and queue of that moment, and an outgoing message’s delivery status.',
    'pt-BR':
      'Uma linha por mensagem enviada ou recebida no período, na sua conversa e caixa de entrada: quem escreveu, o agente e a fila naquele momento e o status de entrega de uma mensagem enviada.',
  },
  columns: [
    COLUMN.conversationId,
    COLUMN.sentAt,
    COLUMN.sender,
    COLUMN.contactNumber,
    COLUMN.contactName,
    COLUMN.whatsappNumber,
    COLUMN.queue,
    COLUMN.agent,
    COLUMN.contentType,
    COLUMN.message,
    MESSAGE_COLUMN.status,
  ],
  reads: ['ticket', 'message', 'message_status'],
  filters: [CHAT_PERIOD, QUEUES_FILTER],
  // A contact's conversations, tickets and delivery statuses together.
  partition: 'contact',

  compute(records, params) {
    const input = [...records];
    const queues = queuesAsked(params);
    const statuses = new Map<string, Dispatch>();
    for (const dispatch of gatherMessaging(input).dispatches()) statuses.set(dispatch.messageId, dispatch);
    const rows: Row[] = [];
    for (const message of chatOf(input, params).inPeriod) {
      if (queues && (message.queue === undefined || !queues.has(message.queue))) continue;
      const record = message.record;
      const dispatch = record.direction === 'MT' ? statuses.get(record.messageId) : undefined;
      rows.push([
        message.conversationId ?? null,
        message.at,
        SENDER_LABEL[message.sender][params.locale],
        record.contact,
        message.contactName ?? null,
        message.business,
        queueCell(message),
        message.agent?.name ?? null,
        CONTENT_TYPE_LABEL[record.contentType]![params.locale], // the schema allows CONTENT_TYPES only
        record.text ?? null,
        dispatch ? statusLabel(dispatch, params.locale) : null,
      ]);
    }
    return { columns: chatConversations.columns, rows: rows.sort(chatConversations.compareRows) };
  },

  // Each conversation together, in the order it was said; those without an id by contact and number.
  compareRows: rowOrder(CONVERSATION_ID, CONTACT, BUSINESS, SENT_AT),
};
