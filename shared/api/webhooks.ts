import { type Static, Type } from '@sinclair/typebox';
import type { CreatedBy } from './common.ts';

/**
 * What an admin may subscribe a URL to (DESIGN §12, docs/integrations.md "Outbound webhooks"):
 * a report job became READY, a ticket's closing step, a message status of the failed group, a
 * campaign that finished.
 */
export const WEBHOOK_EVENT_TYPES = [
  'report.ready',
  'ticket.closed',
  'message.failed',
  'campaign.finished',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Where a delivery stands after an attempt (the `webhook-events` report's request status). */
export const WEBHOOK_REQUEST_STATUSES = ['delivered', 'failed', 'retrying'] as const;
export type WebhookRequestStatus = (typeof WEBHOOK_REQUEST_STATUSES)[number];

/** The headers of every delivery (docs/integrations.md says how to check the signature). */
export const WEBHOOK_HEADERS = {
  /** The delivery's id: the same on each retry of one delivery, so a receiver can drop repeats. */
  requestId: 'x-pontual-request-id',
  event: 'x-pontual-event',
  /** `sha256=` and the hex HMAC-SHA256 of the raw body with the subscription's secret. */
  signature: 'x-pontual-signature-256',
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: 'x-pontual-attempt',
} as const;

/** `POST /api/v1/webhooks`. */
export const WebhookSubscriptionBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    events: Type.Array(Type.Union(WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type))), {
      minItems: 1,
      maxItems: WEBHOOK_EVENT_TYPES.length,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);
export type WebhookSubscriptionBody = Static<typeof WebhookSubscriptionBody>;

/** A delivery's latest state, as the subscription list shows it. */
export interface WebhookLastDelivery {
  requestId: string;
  eventType: WebhookEventType;
  /** `pending`: not attempted yet. */
  state: WebhookRequestStatus | 'pending';
  httpStatus: number | null;
  error: string | null;
  attempts: number;
  at: string;
}

/** A subscription as listed: its secret is never shown after creation. */
export interface WebhookSubscription {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
  createdBy: CreatedBy;
  lastDelivery: WebhookLastDelivery | null;
}

/** `POST /api/v1/webhooks` (201): the signing secret, shown this once. */
export interface NewWebhookSubscriptionAnswer {
  subscription: WebhookSubscription;
  secret: string;
}

/** `GET /api/v1/webhooks`. */
export interface WebhookSubscriptionsAnswer {
  subscriptions: WebhookSubscription[];
}
