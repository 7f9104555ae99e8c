import type { ChatMessage } from '../chat/conversations.ts';
import { type MessageStatus, statusInGroup } from '../records/status-catalog.ts';
import { CHAT_PERIOD, CHAT_COLUMN as COLUMN, chatOf, queueCell } from './chat-cells.ts';
import { gatherMessaging } from './dispatch-cells.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { ReportDefinition, Row } from './types.ts';

const DISPATCHED_AT = 5;
const CONVERSATION_ID = 0;

const flag = (value: boolean) => (value ? 1 : 0);

/** Each conversation's first message from the business, and whether the contact wrote after it. */
function firstDispatches(
  messages: readonly ChatMessage[],
): Map<string, { dispatch: ChatMessage; answered: boolean }> {
  const firsts = new Map<string, { dispatch: ChatMessage; answered: boolean }>();
  for (const message of messages) {
    const first = firsts.get(message.conversation);
    if (!first && message.record.direction === 'MT')
      firsts.set(message.conversation, { dispatch: message, answered: false });
    else if (first && message.record.direction === 'MO' && message.at > first.dispatch.at)
      first.answered = true;
  }
  return firsts;
}

/**
 * Chat engagement (DESIGN §11, chat export): per conversation, its first dispatch — the first
 * message the business sent in it — with its delivery as 0/1 flags and whether the contact
 * interacted after it.
 */
export const chatEngagement: ReportDefinition = {
  id: 'chat-engagement',
  category: 'messaging',
  title: { en: 'Chat engagement', 'pt-BR': 'Engajamento do chat' },
  description: {
    en: 'One row per conversation whose first dispatch was sent in the period: that message, and 0/1 flags for sent, confirmed (delivered), read, failed, and the contact’s interaction after it.',
    'pt-BR':
      'Uma linha por conversa cujo primeiro disparo foi enviado no período: essa mensagem e indicadores 0/1 de enviada, confirmada (entregue), lida, falha e a interação do contato depois dela.',
  },
  columns: [
    COLUMN.conversationId,
    COLUMN.contactNumber,
    COLUMN.whatsappNumber,
    COLUMN.queue,
    COLUMN.agent,
    COLUMN.dispatchedAt,
    COLUMN.template,
    COLUMN.message,
    COLUMN.sent,
    COLUMN.confirmed,
    COLUMN.read,
    COLUMN.failed,
    COLUMN.interaction,
  ],
  reads: ['ticket', 'message', 'message_status'],
  filters: [CHAT_PERIOD],
  // A contact's conversations and the statuses of their messages together.
  partition: 'contact',

  compute(records, params) {
    const input = [...records];
    const statuses = new Map<string, MessageStatus>();
    for (const dispatch of gatherMessaging(input).dispatches())
      statuses.set(dispatch.messageId, dispatch.status);
    const rows: Row[] = [];
    for (const { dispatch, answered } of firstDispatches(chatOf(input, params).all).values()) {
      if (!inPeriod(params, dispatch.at)) continue;
      const record = dispatch.record;
      const status = statuses.get(record.messageId) ?? 'accepted';
      rows.push([
        dispatch.conversationId ?? null,
        record.contact,
        dispatch.business,
        queueCell(dispatch),
        dispatch.agent?.name ?? null,
        dispatch.at,
        record.templateName ?? null,
        record.text ?? null,
        flag(statusInGroup(status, 'sent')),
        flag(statusInGroup(status, 'delivered')),
        flag(statusInGroup(status, 'read')),
        // Blocked (opt-out, warm-up, tier limit) did not reach the contact either.
        flag(statusInGroup(status, 'failed') || statusInGroup(status, 'blocked')),
        flag(answered),
      ]);
    }
    return { columns: chatEngagement.columns, rows: rows.sort(chatEngagement.compareRows) };
  },

  compareRows: rowOrder(DISPATCHED_AT, CONVERSATION_ID),
};
