import { FormatRegistry, type Static, type TObject, Type } from '@sinclair/typebox';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { type StorableOptions, unstorableProblem } from '../json/storable.ts';
import { instantProblem, isIsoInstant } from '../time/parse.ts';
import { type Checker, compileChecker } from '../validation.ts';

/** What a login was caused by (DESIGN §3). */
export const LOGIN_CAUSES = [
  'page_load',
  'refresh',
  'use_here',
  'reconnect',
  'network_change',
  'token_renewal',
] as const;
export type LoginCause = (typeof LOGIN_CAUSES)[number];
export const EVENT_TYPES = ['login', 'status', 'logout', 'heartbeat'] as const;

FormatRegistry.Set('instant', isIsoInstant);

const common = {
  id: Type.String({ minLength: 1, maxLength: 128 }),
  at: Type.String({ format: 'instant' }),
  agentId: Type.String({ minLength: 1, maxLength: 256 }),
  agentName: Type.String({ maxLength: 256 }),
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  sessionId: Type.Optional(Type.String({ maxLength: 128 })),
  deviceId: Type.Optional(Type.String({ maxLength: 128 })),
  seq: Type.Optional(Type.Integer({ minimum: 0 })),
};
/** A field that belongs to another event type: present, it is a producer's bug. */
const absent = Type.Optional(Type.Never());

const loginEvent = Type.Object({
  ...common,
  type: Type.Literal('login'),
  cause: Type.Union(LOGIN_CAUSES.map((cause) => Type.Literal(cause))),
  status: absent,
  reason: absent,
});
const availableEvent = Type.Object({
  ...common,
  type: Type.Literal('status'),
  status: Type.Literal('available'),
  cause: absent,
  reason: absent,
});
const breakEvent = Type.Object({
  ...common,
  type: Type.Literal('status'),
  status: Type.Literal('break'),
  reason: Type.Optional(Type.String({ maxLength: 200 })),
  cause: absent,
});
const logoutEvent = Type.Object({
  ...common,
  type: Type.Literal('logout'),
  cause: absent,
  status: absent,
  reason: absent,
});
const heartbeatEvent = Type.Object({
  ...common,
  type: Type.Literal('heartbeat'),
  cause: absent,
  status: absent,
  reason: absent,
});

/** One captured fact (DESIGN §3). Unknown fields are kept but ignored. */
export const activityEventSchema = Type.Union([
  loginEvent,
  availableEvent,
  breakEvent,
  logoutEvent,
  heartbeatEvent,
]);
export type ActivityEvent = Static<typeof activityEventSchema>;
export type ActivityEventType = ActivityEvent['type'];

export type EventParseResult = { ok: true; event: ActivityEvent } | { ok: false; error: string };

const byKind = new Map<string, { schema: TObject; check: Checker }>(
  (
    [
      ['login', loginEvent],
      ['status:available', availableEvent],
      ['status:break', breakEvent],
      ['logout', logoutEvent],
      ['heartbeat', heartbeatEvent],
    ] as const
  ).map(([kind, schema]) => [kind, { schema, check: compileChecker(schema) }]),
);

const OWNER: Record<string, string> = { cause: 'login', status: 'status', reason: 'break status' };

function describeError(error: {
  type: ValueErrorType;
  path: string;
  message: string;
  value: unknown;
}): string {
  const field = error.path.slice(1).replaceAll('/', '.');
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${field}: is required`;
    case ValueErrorType.Never:
      return `${field}: is only allowed on ${OWNER[field] ?? 'other'} events`;
    case ValueErrorType.StringFormat:
      return `${field}: ${instantProblem(String(error.value))}`;
    case ValueErrorType.StringMinLength:
      return `${field}: must not be empty`;
    case ValueErrorType.Union:
      return field === 'cause'
        ? `cause: must be one of ${LOGIN_CAUSES.join(', ')}`
        : `${field}: ${error.message}`;
    default:
      return `${field}: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`;
  }
}

/**
 * Validates an already-parsed value as an activity event, and that it can be stored as it is (see
 * `unstorableProblem`: unknown fields too). The event returned is the value itself.
 */
export function validateEvent(value: unknown, options?: StorableOptions): EventParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, error: 'must be a JSON object' };
  const { type, status } = value as { type?: unknown; status?: unknown };
  if (!EVENT_TYPES.includes(type as ActivityEventType)) {
    return { ok: false, error: `type: must be one of ${EVENT_TYPES.join(', ')}` };
  }
  const kind = byKind.get(type === 'status' ? `status:${String(status)}` : String(type));
  if (!kind) return { ok: false, error: 'status: must be available or break' };
  const unstorable = unstorableProblem(value, '', options);
  if (kind.check.check(value)) {
    return unstorable === undefined
      ? { ok: true, event: value as ActivityEvent }
      : { ok: false, error: unstorable };
  }
  // The first problem of each field, at most three: enough to fix the producer.
  const problems = new Map<string, string>();
  for (const error of kind.check.errors(value)) {
    if (!problems.has(error.path)) problems.set(error.path, describeError(error));
    if (problems.size === 3) break;
  }
  if (unstorable !== undefined && problems.size < 3) problems.set('#unstorable', unstorable);
  return { ok: false, error: [...problems.values()].join('; ') };
}

/** Parses and validates one JSON Lines line. */
export function parseEventLine(line: string): EventParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  return validateEvent(value);
}
