import { type Static, Type } from '@sinclair/typebox';
import { digits, instant, key, oneOf, recordId, recordValidator, text } from './fields.ts';
import type { RecordKind } from './kind.ts';

export const TICKET_ACTIONS = [
  'opened',
  'assigned',
  'transferred',
  'pending',
  'paused',
  'reopened',
  'closed',
  'tagged',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];
export const TICKET_KINDS = ['receptive', 'active'] as const;

/** One step of a ticket of the human attendance (DESIGN §9). */
export const ticketSchema = Type.Object({
  id: recordId,
  type: Type.Literal('ticket'),
  at: instant,
  ticketId: key(),
  action: oneOf(TICKET_ACTIONS),
  contact: Type.Optional(digits),
  business: Type.Optional(digits),
  contactName: Type.Optional(text()),
  queue: Type.Optional(text()),
  agentId: Type.Optional(text()),
  agentName: Type.Optional(text()),
  kind: Type.Optional(oneOf(TICKET_KINDS)),
  trackingId: Type.Optional(text()),
  tag: Type.Optional(text()),
  contract: Type.Optional(text()),
});
export type TicketRecord = Static<typeof ticketSchema>;

export type TicketStatus = 'open' | 'pending' | 'paused' | 'closed';

/** A ticket's status after one of its steps (DESIGN §9); `tagged` leaves it as it was. */
export function ticketStatusAfter(
  action: TicketAction,
  before: TicketStatus | undefined,
): TicketStatus | undefined {
  switch (action) {
    case 'pending':
      return 'pending';
    case 'paused':
      return 'paused';
    case 'closed':
      return 'closed';
    case 'tagged':
      return before;
    default:
      return 'open';
  }
}

export const ticketKind: RecordKind<TicketRecord> = {
  name: 'ticket',
  label: { en: 'Tickets', 'pt-BR': 'Tickets' },
  types: ['ticket'],
  validate: recordValidator(ticketSchema),
  keys: {
    ticket: (record) => record.ticketId,
    contact: (record) => record.contact,
    agent: (record) => record.agentId,
  },
  keepLocallyDays: 90,
};
