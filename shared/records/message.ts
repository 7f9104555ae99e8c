import { type Static, Type } from '@sinclair/typebox';
import { digits, instant, key, oneOf, recordId, recordValidator, text } from './fields.ts';
import type { RecordKind } from './kind.ts';

export const CHANNELS = ['whatsapp', 'sms'] as const;
export const DIRECTIONS = ['MT', 'MO'] as const;
export const CONTENT_TYPES = [
  'text',
  'template',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'button',
  'interactive',
  'other',
] as const;
export const ORIGINS = ['attendance', 'broadcast', 'api'] as const;
export const CONVERSATION_TYPES = ['business_initiated', 'user_initiated', 'free_entry_point'] as const;

/** One message, once: MT sent by the business, MO sent by the contact (DESIGN §9). */
export const messageSchema = Type.Object({
  id: recordId,
  type: Type.Literal('message'),
  /** Sent (MT) or received (MO). */
  at: instant,
  /** The provider's id, which statuses refer to; unique per tenant. */
  messageId: key(),
  channel: oneOf(CHANNELS),
  direction: oneOf(DIRECTIONS),
  contact: digits,
  business: digits,
  contentType: oneOf(CONTENT_TYPES),
  text: Type.Optional(text(65_536)),
  templateId: Type.Optional(text()),
  templateName: Type.Optional(text()),
  origin: Type.Optional(oneOf(ORIGINS)),
  campaignId: Type.Optional(text()),
  ticketId: Type.Optional(text()),
  queue: Type.Optional(text()),
  agentId: Type.Optional(text()),
  agentName: Type.Optional(text()),
  subaccount: Type.Optional(text()),
  user: Type.Optional(text()),
  document: Type.Optional(text(32)),
  correlationId: Type.Optional(text()),
  costCentre: Type.Optional(text()),
  cost: Type.Optional(Type.Number({ minimum: 0 })),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  billable: Type.Optional(Type.Boolean()),
  conversationId: Type.Optional(text()),
  conversationType: Type.Optional(oneOf(CONVERSATION_TYPES)),
  conversationExpiresAt: Type.Optional(instant),
  sessionOpen: Type.Optional(Type.Boolean()),
  replyTo: Type.Optional(text()),
});
export type MessageRecord = Static<typeof messageSchema>;

export const messageKind: RecordKind<MessageRecord> = {
  name: 'message',
  label: { en: 'Messages', 'pt-BR': 'Mensagens' },
  types: ['message'],
  validate: recordValidator(messageSchema),
  keys: {
    contact: (record) => record.contact,
    agent: (record) => record.agentId,
    campaign: (record) => record.campaignId,
    ticket: (record) => record.ticketId,
    message: (record) => record.messageId,
  },
  // The messaging reports look back 90 days at most (DESIGN §10).
  keepLocallyDays: 90,
};
