import { type Static, Type } from '@sinclair/typebox';
import { instant, key, oneOf, recordId, recordValidator, text } from './fields.ts';
import type { RecordKind } from './kind.ts';

/** What the server saw happen to a person of the app (an admin or a supervisor). */
export const USER_EVENTS = ['created', 'changed', 'removed', 'signed_in', 'active'] as const;
export type UserEvent = (typeof USER_EVENTS)[number];
export const USER_ROLES = ['admin', 'supervisor'] as const;

/**
 * A person of the app as the server knows them at `at` (the `licenses` report), written by the
 * server itself when they are created, changed or removed, when they sign in, and on the first
 * request of each UTC day they use the app (`active`). Never pushed: no token may forge one.
 */
export const userSchema = Type.Object({
  id: recordId,
  type: Type.Literal('user'),
  at: instant,
  userId: key(),
  event: oneOf(USER_EVENTS),
  email: key(320),
  role: oneOf(USER_ROLES),
  /** When the person was added to the account. */
  createdAt: instant,
  /** The person's name, when one is known (the server keeps only their email today). */
  name: Type.Optional(text()),
});
export type UserRecord = Static<typeof userSchema>;

export const userKind: RecordKind<UserRecord> = {
  name: 'user',
  label: { en: 'App users', 'pt-BR': 'Usuários do app' },
  types: ['user'],
  validate: recordValidator(userSchema),
  // A person's records go together under their id, as an agent's do (the licenses report's spill).
  keys: { agent: (record) => record.userId },
  // Few records (a person's days of use), and `created` is where a licence's "created at" comes
  // from: kept as long as the activity.
  keepLocallyDays: 400,
};
