import { type Static, Type } from '@sinclair/typebox';
import { LOGIN_CAUSES } from '../../shared/events/schema.ts';

/** The longest break reason and agent name an event may carry (see shared/events/schema.ts). */
export const MAX_REASON = 200;
export const MAX_NAME = 256;

/**
 * What a content script tells the background it saw. The background turns each into an event
 * and gives it its id, device, sequence number and address: nothing of those comes from a page.
 */
export const captureSignalSchema = Type.Object(
  {
    /** Random, from the content script: a resend after a lost acknowledgement is stored once. */
    key: Type.String({ minLength: 8, maxLength: 64 }),
    /** When the content script saw it, by the extension's clock (the isolated world's Date). */
    observedAt: Type.Number(),
    type: Type.Union([
      Type.Literal('login'),
      Type.Literal('status'),
      Type.Literal('logout'),
      Type.Literal('heartbeat'),
    ]),
    cause: Type.Optional(Type.Union(LOGIN_CAUSES.map((cause) => Type.Literal(cause)))),
    status: Type.Optional(Type.Union([Type.Literal('available'), Type.Literal('break')])),
    reason: Type.Optional(Type.String({ maxLength: MAX_REASON })),
    agentId: Type.String({ minLength: 1, maxLength: 256 }),
    agentName: Type.String({ maxLength: MAX_NAME }),
    sessionId: Type.String({ minLength: 1, maxLength: 128 }),
  },
  { additionalProperties: false },
);
export type CaptureSignal = Static<typeof captureSignalSchema>;

export const captureMessageSchema = Type.Object(
  {
    type: Type.Literal('pontual/capture'),
    signals: Type.Array(captureSignalSchema, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type CaptureMessage = Static<typeof captureMessageSchema>;

/** The message's shape without its signals' details, which the background checks one by one. */
export const captureEnvelopeSchema = Type.Object(
  {
    type: Type.Literal('pontual/capture'),
    signals: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);

export interface CaptureAck {
  /** Keys of the signals now safely stored (or stored before). */
  stored: string[];
  /** Keys of signals the background will never store (malformed, or timed impossibly): drop them. */
  refused?: string[];
}

/** What an extension page sends the background to have the outbox push at once ("Try again"). */
export const SYNC_NOW_MESSAGE = { type: 'pontual/sync-now' } as const;

export function isSyncNowMessage(message: unknown): boolean {
  return (message as { type?: unknown } | null)?.type === SYNC_NOW_MESSAGE.type;
}
