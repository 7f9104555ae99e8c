import type { ActivityEvent } from '../events/schema.ts';
import { jsonMayHoldUnstorableText, type StorableOptions } from '../json/storable.ts';
import { activityKind } from './activity.ts';
import { type BusinessNumberRecord, businessNumberKind } from './business-number.ts';
import { type CampaignRecord, campaignKind } from './campaign.ts';
import type { RecordCheck, RecordKind, RecordKindName } from './kind.ts';
import { type MessageRecord, messageKind } from './message.ts';
import { type MessageStatusRecord, messageStatusKind } from './message-status.ts';
import { type TicketRecord, ticketKind } from './ticket.ts';
import { type UserRecord, userKind } from './user.ts';
import { type WebhookDeliveryRecord, webhookDeliveryKind } from './webhook-delivery.ts';

/** A record of any kind, told apart by `type`. */
export type AnyRecord =
  | ActivityEvent
  | MessageRecord
  | MessageStatusRecord
  | CampaignRecord
  | TicketRecord
  | WebhookDeliveryRecord
  | UserRecord
  | BusinessNumberRecord;

/** Every kind of record Pontual stores and reports on; adding one is adding its file here. */
export const RECORD_KINDS = [
  activityKind,
  messageKind,
  messageStatusKind,
  campaignKind,
  ticketKind,
  webhookDeliveryKind,
  userKind,
  businessNumberKind,
] as const;

const BY_TYPE = new Map<string, RecordKind>(
  RECORD_KINDS.flatMap((kind) => kind.types.map((type) => [type, kind as unknown as RecordKind] as const)),
);
const ALL_TYPES = [...BY_TYPE.keys()];

export function findKind(name: RecordKindName): RecordKind {
  return RECORD_KINDS.find((kind) => kind.name === name) as unknown as RecordKind;
}

/** The kind a record's `type` makes it, or `undefined` for a type no kind has. */
export function kindOfType(type: unknown): RecordKind | undefined {
  return typeof type === 'string' ? BY_TYPE.get(type) : undefined;
}

export type RecordParseResult =
  | { ok: true; record: AnyRecord; kind: RecordKindName }
  | { ok: false; error: string };

/** Validates an already-parsed value as a record of whichever kind its `type` names. */
export function validateRecord(value: unknown, options?: StorableOptions): RecordParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: 'must be a JSON object' };
  const kind = kindOfType((value as { type?: unknown }).type);
  if (!kind) return { ok: false, error: `type: must be one of ${ALL_TYPES.join(', ')}` };
  const result = kind.validate(value, options) as RecordCheck<AnyRecord>;
  return result.ok ? { ok: true, record: result.record, kind: kind.name } : result;
}

/** Parses and validates one JSON Lines line as a record of any kind. */
export function parseRecordLine(line: string): RecordParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  // A line with no `\u` escape and no surrogate holds no string PostgreSQL refuses: one scan of
  // the line spares the validator a test per string.
  return validateRecord(value, jsonMayHoldUnstorableText(line) ? undefined : { textsChecked: true });
}
