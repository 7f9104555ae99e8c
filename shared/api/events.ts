import { type Static, Type } from '@sinclair/typebox';
import { RECORD_KIND_NAMES } from '../records/kind.ts';
import type { AnyRecord } from '../records/registry.ts';

/** The most events one push may carry; a larger batch is refused whole with 413. */
export const MAX_PUSH_EVENTS = 1_000;
export const MAX_PULL_LIMIT = 5_000;
const KINDS_PATTERN = `^(${RECORD_KIND_NAMES.join('|')})(,(${RECORD_KIND_NAMES.join('|')}))*$`;

/** `POST /api/v1/events/push` and `/api/v1/events/import`: each event is checked alone by the route. */
export const PushBody = Type.Object({
  events: Type.Array(Type.Unknown()),
  /** The device's clock when it sent the batch: the server measures the device's offset from it. */
  sentAt: Type.Optional(Type.String({ format: 'instant' })),
  /** A device's report (Admin → Devices): the events it still has to send after this batch… */
  waiting: Type.Optional(Type.Integer({ minimum: 0 })),
  /** …and its extension's version. */
  version: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type PushBody = Static<typeof PushBody>;

/** `GET /api/v1/events/pull`. */
export const PullQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,19})?$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PULL_LIMIT })),
    from: Type.Optional(Type.String({ format: 'instant' })),
    to: Type.Optional(Type.String({ format: 'instant' })),
    agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** The kinds of record to pull, comma separated; activity events when not given. */
    kinds: Type.Optional(Type.String({ pattern: KINDS_PATTERN, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type PullQuery = Static<typeof PullQuery>;

/** One record a push, import or webhook delivery refused, by its index in the batch. */
export interface Rejected {
  index: number;
  id?: string;
  error: string;
}

/** `POST /api/v1/events/push` and `/api/v1/events/import`. */
export interface PushAnswer {
  accepted: string[];
  duplicates: string[];
  rejected: Rejected[];
  /** The device's clock offset the server measured from `sentAt` (0 without it). */
  clockOffsetMs: number;
}

/** `GET /api/v1/events/pull`: a page of records after the cursor, in commit order. */
export interface PullPage<R = AnyRecord> {
  /** Each as pushed, with the server-measured `clockOffsetMs` (activity events always). */
  events: R[];
  /** The next pull's cursor (the one given when the page is empty). */
  cursor: string;
  hasMore: boolean;
}
