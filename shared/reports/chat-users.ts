import { CHAT_PERIOD, CHAT_COLUMN as COLUMN, chatOf } from './chat-cells.ts';
import { compareCells, rowOrder } from './order.ts';
import type { ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

interface User {
  id: string;
  name: string;
  queues: Set<string>;
  conversations: number;
  sent: number;
  received: number;
  first: number;
  last: number;
}

const QUEUE_SEPARATOR = ', ';

/** Adds what one user did to another's tally of the same user; the name of the latest message stands. */
function merge(into: User, user: User): void {
  for (const queue of user.queues) into.queues.add(queue);
  into.conversations += user.conversations;
  into.sent += user.sent;
  into.received += user.received;
  into.first = Math.min(into.first, user.first);
  if (user.last > into.last || (user.last === into.last && compareCells(user.name, into.name) < 0))
    into.name = user.name;
  into.last = Math.max(into.last, user.last);
}

function rowsOf(users: Iterable<User>): Row[] {
  return [...users]
    .map(
      (user): Row => [
        user.id,
        user.name,
        [...user.queues].sort(compareCells).join(QUEUE_SEPARATOR) || null,
        user.conversations,
        user.sent,
        user.received,
        user.first,
        user.last,
      ],
    )
    .sort(chatUsers.compareRows);
}

/**
 * Chat users (DESIGN §11, chat export): per agent, the conversations they took part in during the
 * period, the messages they sent and those the contacts sent them, and the queues they worked in.
 */
export const chatUsers: ReportDefinition = {
  id: 'chat-users',
  category: 'messaging',
  title: { en: 'Chat users', 'pt-BR': 'Usuários do chat' },
  description: {
    en: 'One row per agent who sent or was sent a message in the period: their queues, conversations, messages sent and received, and their first and last message.',
    'pt-BR':
      'Uma linha por agente que enviou ou recebeu mensagens no período: suas filas, conversas, mensagens enviadas e recebidas e sua primeira e última mensagem.',
  },
  columns: [
    COLUMN.userId,
    COLUMN.name,
    COLUMN.queues,
    COLUMN.conversations,
    COLUMN.messagesSent,
    COLUMN.messagesReceived,
    COLUMN.firstMessageAt,
    COLUMN.lastMessageAt,
  ],
  reads: ['ticket', 'message'],
  filters: [CHAT_PERIOD],
  // A contact's conversations together: an agent's conversations in different parts are different ones.
  partition: 'contact',

  compute(records, params) {
    const users = new Map<string, User>();
    const seen = new Set<string>();
    for (const message of chatOf(records, params).inPeriod) {
      const agent = message.agent;
      // The agent's own messages and the contact's while they held the conversation; not the bot's.
      if (!agent || (message.sender !== 'agent' && message.sender !== 'contact')) continue;
      const own: User = {
        id: agent.id,
        name: agent.name,
        queues: new Set(message.queue === undefined ? [] : [message.queue]),
        conversations: seen.has(`${agent.id} ${message.conversation}`) ? 0 : 1,
        sent: message.sender === 'agent' ? 1 : 0,
        received: message.sender === 'contact' ? 1 : 0,
        first: message.at,
        last: message.at,
      };
      seen.add(`${agent.id} ${message.conversation}`);
      const user = users.get(agent.id);
      if (user) merge(user, own);
      else users.set(agent.id, own);
    }
    return { columns: chatUsers.columns, rows: rowsOf(users.values()) };
  },

  // By name, then user id.
  compareRows: rowOrder(1, 0),

  combine(parts: readonly ReportResult[], _params: ReportParams): ReportResult {
    const users = new Map<string, User>();
    for (const part of parts) {
      for (const row of part.rows) {
        const user: User = {
          id: String(row[0]),
          name: String(row[1]),
          queues: new Set(row[2] === null ? [] : String(row[2]).split(QUEUE_SEPARATOR)),
          conversations: Number(row[3]),
          sent: Number(row[4]),
          received: Number(row[5]),
          first: Number(row[6]),
          last: Number(row[7]),
        };
        const known = users.get(user.id);
        if (known) merge(known, user);
        else users.set(user.id, user);
      }
    }
    return { columns: chatUsers.columns, rows: rowsOf(users.values()) };
  },
};
