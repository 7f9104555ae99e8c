import type { Localized } from '../i18n.ts';
import type { StorableOptions } from '../json/storable.ts';

/** What the app, the server and the CLI need to know about one kind of record (DESIGN §9). */
export interface RecordKind<R extends RecordEnvelope = RecordEnvelope> {
  /** The kind's name: `activity`, `message`, `message_status`, `campaign`, `ticket`,
   * `webhook_delivery`, `user`, `business_number`. */
  name: RecordKindName;
  label: Localized;
  /** The `type` values that make a record this kind (activity events have several). */
  types: readonly string[];
  /** Checks an already-parsed value of one of `types`; the record returned is the value itself. */
  /** `options`: what the caller already checked of the value's JSON text (see `StorableOptions`). */
  validate(value: object, options?: StorableOptions): RecordCheck<R>;
  /**
   * How records of this kind group for work that needs them together (the CLI's spill, the
   * local store's index): a key per grouping this kind can answer, `undefined` when a record
   * does not carry it.
   */
  keys: Partial<Record<PartitionName, (record: R) => string | undefined>>;
  /** How many days the supervisors' app keeps records of this kind on the machine. */
  keepLocallyDays: number;
}

export const RECORD_KIND_NAMES = [
  'activity',
  'message',
  'message_status',
  'campaign',
  'ticket',
  'webhook_delivery',
  'user',
  'business_number',
] as const;
export type RecordKindName = (typeof RECORD_KIND_NAMES)[number];

/** What a report's work may be partitioned by, so that each part computes alone. */
export type PartitionName = 'agent' | 'contact' | 'campaign' | 'ticket' | 'message';

/** Every record: an idempotency key, a type and an instant (DESIGN §9). Unknown fields are kept. */
export interface RecordEnvelope {
  id: string;
  type: string;
  at: string;
}

export type RecordCheck<R> = { ok: true; record: R } | { ok: false; error: string };
