import { type Static, Type } from '@sinclair/typebox';
import { digits, instant, key, oneOf, recordId, recordValidator, text } from './fields.ts';
import type { RecordKind } from './kind.ts';
import { MESSAGE_STATUS_VALUES } from './status-catalog.ts';

/** One delivery update of an MT message (DESIGN §9). */
export const messageStatusSchema = Type.Object({
  id: recordId,
  type: Type.Literal('message_status'),
  at: instant,
  messageId: key(),
  status: oneOf(MESSAGE_STATUS_VALUES),
  /** The provider's own code or text, as received ("External Status"). */
  providerStatus: Type.Optional(text()),
  error: Type.Optional(text(1024)),
  /** Known when the provider says (webhooks do): a status whose message was never seen still names them. */
  contact: Type.Optional(digits),
  business: Type.Optional(digits),
});
export type MessageStatusRecord = Static<typeof messageStatusSchema>;

export const messageStatusKind: RecordKind<MessageStatusRecord> = {
  name: 'message_status',
  label: { en: 'Delivery statuses', 'pt-BR': 'Status de entrega' },
  types: ['message_status'],
  validate: recordValidator(messageStatusSchema),
  keys: { message: (record) => record.messageId, contact: (record) => record.contact },
  keepLocallyDays: 90,
};
