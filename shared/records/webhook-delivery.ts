import { type Static, Type } from '@sinclair/typebox';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_REQUEST_STATUSES } from '../api/webhooks.ts';
import { digits, instant, key, oneOf, recordId, recordValidator, text } from './fields.ts';
import type { RecordKind } from './kind.ts';

/**
 * One attempt of an outbound webhook delivery (DESIGN §12), recorded by the server itself: its
 * id is `<requestId>.<attempt>`, so an attempt is one record however often it is stored.
 */
export const webhookDeliverySchema = Type.Object({
  id: recordId,
  type: Type.Literal('webhook_delivery'),
  /** When the attempt ended (answered, refused, or timed out). */
  at: instant,
  /** The delivery's id, the same on each of its attempts (the `x-pontual-request-id` header). */
  requestId: key(),
  subscriptionId: key(),
  url: text(2048),
  eventType: oneOf(WEBHOOK_EVENT_TYPES),
  /** Where the delivery stands after this attempt. */
  status: oneOf(WEBHOOK_REQUEST_STATUSES),
  /** The receiver's answer; absent when there was none (a timeout, a refused connection). */
  httpStatus: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  error: Type.Optional(text(1024)),
  /** Attempts before this one: 0 for the first. */
  retries: Type.Integer({ minimum: 0, maximum: 1000 }),
  campaignId: Type.Optional(text()),
  contact: Type.Optional(digits),
  /** When the next attempt is due, for a delivery still `retrying`. */
  nextAttemptAt: Type.Optional(instant),
});
export type WebhookDeliveryRecord = Static<typeof webhookDeliverySchema>;

export const webhookDeliveryKind: RecordKind<WebhookDeliveryRecord> = {
  name: 'webhook_delivery',
  label: { en: 'Webhook deliveries', 'pt-BR': 'Entregas de webhooks' },
  types: ['webhook_delivery'],
  validate: recordValidator(webhookDeliverySchema),
  keys: {
    campaign: (record) => record.campaignId,
    contact: (record) => record.contact,
    message: (record) => record.requestId,
  },
  // The webhook-events report reads at most 31 days; a little more for the month before.
  keepLocallyDays: 62,
};
