import { type Static, Type } from '@sinclair/typebox';
import { LOGIN_CAUSES } from '../../shared/events/schema.ts';
import type { MessageRecord } from '../../shared/records/message.ts';
import type { TicketRecord } from '../../shared/records/ticket.ts';

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

/**
 * A ticket step or a message the adapter read from the platform's own frames, as the record it
 * makes. Its key is the record's id, derived from the screen's ids of the fact: a replay of the
 * same frames (a refresh) is the same key, stored once. The background checks the record against
 * its kind's schema and takes only the kinds a screen shows (`RECORD_SIGNAL_TYPES`).
 */
export const recordSignalSchema = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 128 }),
    observedAt: Type.Number(),
    type: Type.Literal('record'),
    record: Type.Object({ id: Type.String(), type: Type.String() }),
  },
  { additionalProperties: false },
);
export type RecordSignal = Omit<Static<typeof recordSignalSchema>, 'record'> & {
  record: TicketRecord | MessageRecord;
};
export const RECORD_SIGNAL_TYPES: ReadonlySet<string> = new Set(['ticket', 'message']);

/** What a content script sends: an activity signal, or a record. */
export type AnySignal = CaptureSignal | RecordSignal;

export const captureMessageSchema = Type.Object(
  {
    type: Type.Literal('pontual/capture'),
    signals: Type.Array(Type.Union([captureSignalSchema, recordSignalSchema]), {
      minItems: 1,
      maxItems: 500,
    }),
  },
  { additionalProperties: false },
);
export type CaptureMessage = { type: 'pontual/capture'; signals: AnySignal[] };

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
