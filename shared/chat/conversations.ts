import {
  type Agent,
  agentOf,
  gatherTickets,
  messagePlace,
  type TimedMessage,
  uniqueMessages,
} from '../attendance/tickets.ts';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import { parseInstant } from '../time/iso.ts';

/**
 * The chat export's view of the messages (docs/reports.md, "The chat reports"): every message,
 * once, in its conversation and its inbox. An account's inboxes are its business numbers and
 * their queues. Records may come in any order and with duplicates; messages after "now" are not
 * known yet.
 */

/** Who wrote a message: the contact (MO), an agent, a broadcast campaign, or the bot (any other MT). */
export type ChatSender = 'contact' | 'agent' | 'campaign' | 'bot';

export interface ChatMessage extends TimedMessage {
  /** The conversation's key, unique in the account (see `conversationOf`). */
  conversation: string;
  /** The conversation's id as shown: its ticket's, else the provider's; `undefined` for neither. */
  conversationId?: string;
  sender: ChatSender;
  /** The agent holding the conversation then (an agent's own message: that agent). */
  agent?: Agent;
  /** The inbox: the business number and the queue the message was in, if any. */
  business: string;
  queue?: string;
  /** The contact's name, when the ticket's steps gave it. */
  contactName?: string;
}

/**
 * A message's conversation: its ticket (the human attendance, with what was said to the bot
 * before the overflow); else the provider's conversation (`conversationId`, one 24 h window);
 * else the contact's one conversation with that business number.
 */
function conversationOf(record: MessageRecord): { key: string; id?: string } {
  if (record.ticketId !== undefined) return { key: `ticket ${record.ticketId}`, id: record.ticketId };
  if (record.conversationId !== undefined)
    return { key: `provider ${record.conversationId}`, id: record.conversationId };
  return { key: `pair ${record.contact} ${record.business}` };
}

function senderOf(record: MessageRecord): ChatSender {
  if (record.direction === 'MO') return 'contact';
  if (record.agentId !== undefined || record.origin === 'attendance') return 'agent';
  return record.origin === 'broadcast' ? 'campaign' : 'bot';
}

/**
 * Every message the records hold, each provider id once (the earliest record standing, as the
 * attendance and message reports do), by instant then provider id. A message of a ticket has the
 * ticket's agent and queue of its moment (`messagePlace`); any other, its own.
 */
export function chatMessages(records: Iterable<AnyRecord>, now: number): ChatMessage[] {
  const steps: AnyRecord[] = [];
  const messages: TimedMessage[] = [];
  for (const record of records) {
    if (record.type === 'ticket') steps.push(record);
    if (record.type !== 'message') continue;
    const at = parseInstant(record.at);
    if (at <= now) messages.push({ at, record });
  }
  // Once over all of them: a copy of a ticket's message that lacks its ticket id is still that message.
  const outside: TimedMessage[] = [];
  for (const message of uniqueMessages(messages)) {
    if (message.record.ticketId === undefined) outside.push(message);
    else steps.push(message.record);
  }
  const result: ChatMessage[] = [];
  const add = (message: TimedMessage, place: { agent?: Agent; queue?: string }, contactName?: string) => {
    const conversation = conversationOf(message.record);
    result.push({
      ...message,
      conversation: conversation.key,
      ...(conversation.id === undefined ? {} : { conversationId: conversation.id }),
      sender: senderOf(message.record),
      ...(place.agent ? { agent: place.agent } : {}),
      business: message.record.business,
      ...(place.queue === undefined ? {} : { queue: place.queue }),
      ...(contactName === undefined ? {} : { contactName }),
    });
  };
  for (const ticket of gatherTickets(steps, now).values())
    for (const message of ticket.messages) add(message, messagePlace(ticket, message), ticket.contactName);
  for (const message of outside) {
    const own = message.record.direction === 'MT' ? agentOf(message.record) : undefined;
    add(message, { agent: own, queue: message.record.queue });
  }
  return result.sort(
    (a, b) =>
      a.at - b.at ||
      (a.record.messageId < b.record.messageId ? -1 : a.record.messageId > b.record.messageId ? 1 : 0),
  );
}

/** The first message of each conversation, by conversation key. */
export function conversationStarts(messages: readonly ChatMessage[]): Map<string, ChatMessage> {
  const starts = new Map<string, ChatMessage>();
  for (const message of messages)
    if (!starts.has(message.conversation)) starts.set(message.conversation, message);
  return starts;
}
