import type { MessageRecord } from '../records/message.ts';
import type { MessageStatusRecord } from '../records/message-status.ts';
import type { MessageStatus } from '../records/status-catalog.ts';
import type { TicketRecord } from '../records/ticket.ts';

/** Builders of messaging records for tests: one contact and business number unless told. */
export const CONTACT = '5511987654321';
export const BUSINESS = '551133334444';
const iso = (ms: number) => new Date(ms).toISOString();

let n = 0;
export function mt(at: number, fields: Partial<MessageRecord> = {}): MessageRecord {
  n++;
  return {
    id: `m-${n}`,
    type: 'message',
    at: iso(at),
    messageId: `wamid.${n}`,
    channel: 'whatsapp',
    direction: 'MT',
    contact: CONTACT,
    business: BUSINESS,
    contentType: 'template',
    origin: 'attendance',
    ...fields,
  };
}

export const mo = (at: number, fields: Partial<MessageRecord> = {}) =>
  mt(at, { direction: 'MO', contentType: 'text', origin: undefined, ...fields });

export function status(
  messageId: string,
  at: number,
  value: MessageStatus,
  id = `s-${++n}`,
): MessageStatusRecord {
  return {
    id,
    type: 'message_status',
    at: iso(at),
    messageId,
    status: value,
    providerStatus: `provider ${value}`,
  };
}

export function opened(at: number, fields: Partial<TicketRecord> = {}): TicketRecord {
  n++;
  return {
    id: `t-${n}`,
    type: 'ticket',
    at: iso(at),
    ticketId: `T-${n}`,
    action: 'opened',
    contact: CONTACT,
    business: BUSINESS,
    ...fields,
  };
}
