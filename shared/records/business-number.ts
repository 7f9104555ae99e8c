import { type Static, Type } from '@sinclair/typebox';
import { digits, instant, key, recordId, recordValidator } from './fields.ts';
import type { RecordKind } from './kind.ts';

/**
 * A business number the server saw a provider's webhook come through (the `numbers` report),
 * written by the server when it first sees the number and whenever its display number or
 * WhatsApp Business account changes: its id is `<phoneNumberId>.<displayNumber>.<wabaId>`, so one
 * state of a number is one record however often it is written. Never pushed.
 */
export const businessNumberSchema = Type.Object({
  id: recordId,
  type: Type.Literal('business_number'),
  /** When the server saw the number in this state. */
  at: instant,
  /** The provider's id of the number (Meta's `phone_number_id`). */
  phoneNumberId: key(),
  /** The number as people dial it, digits only: what `message.business` holds. */
  displayNumber: digits,
  /** The WhatsApp Business account (WABA) the number belongs to. */
  wabaId: key(),
  integrationId: key(),
  /** When the server first saw the number: its activation date. */
  firstSeenAt: instant,
});
export type BusinessNumberRecord = Static<typeof businessNumberSchema>;

export const businessNumberKind: RecordKind<BusinessNumberRecord> = {
  name: 'business_number',
  label: { en: 'Business numbers', 'pt-BR': 'Números comerciais' },
  types: ['business_number'],
  validate: recordValidator(businessNumberSchema),
  keys: {},
  // A handful of records per number: kept as long as the activity.
  keepLocallyDays: 400,
};

/** The id of a number's record in one state. */
export function businessNumberRecordId(number: {
  phoneNumberId: string;
  displayNumber: string;
  wabaId: string;
}): string {
  return `${number.phoneNumberId}.${number.displayNumber}.${number.wabaId}`.slice(0, 128);
}
