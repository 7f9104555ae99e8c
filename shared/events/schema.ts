import { z } from 'zod';

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

const common = {
  id: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  at: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 instant with Z or an offset' }),
  agentId: z.string().min(1, 'must not be empty').max(256),
  agentName: z.string().max(256),
  ip: z.string().max(64).optional(),
  sessionId: z.string().max(128).optional(),
  deviceId: z.string().max(128).optional(),
  seq: z.number().int().nonnegative().optional(),
};

/** Fields that belong to one event type only; on another type they are a producer's bug. */
const onlyFor = { cause: 'login', status: 'status', reason: 'status' } as const;

function rejectForeignFields(type: string) {
  return (event: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
    for (const [field, owner] of Object.entries(onlyFor)) {
      if (owner !== type && event[field] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `is only allowed on ${owner} events` });
      }
    }
  };
}

const loginEvent = z
  .looseObject({ ...common, type: z.literal('login'), cause: z.enum(LOGIN_CAUSES) })
  .superRefine(rejectForeignFields('login'));

const statusEvent = z
  .looseObject({
    ...common,
    type: z.literal('status'),
    status: z.enum(['available', 'break']),
    reason: z.string().max(200).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.status === 'available' && event.reason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is only allowed on break status events' });
    }
  });

const logoutEvent = z
  .looseObject({ ...common, type: z.literal('logout') })
  .superRefine(rejectForeignFields('logout'));
const heartbeatEvent = z
  .looseObject({ ...common, type: z.literal('heartbeat') })
  .superRefine(rejectForeignFields('heartbeat'));

/** One captured fact (DESIGN §3). Unknown fields are kept but ignored. */
export const activityEventSchema = z.discriminatedUnion('type', [
  loginEvent,
  statusEvent,
  logoutEvent,
  heartbeatEvent,
]);

export type ActivityEvent = z.infer<typeof activityEventSchema>;
export type ActivityEventType = ActivityEvent['type'];

export type EventParseResult = { ok: true; event: ActivityEvent } | { ok: false; error: string };

/** "field: message; field: message" — the first few problems of a rejected event. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const field = issue.path.join('.');
      const message = issue.message.endsWith('received undefined') ? 'is required' : issue.message;
      return field === '' ? message : `${field}: ${message}`;
    })
    .join('; ');
}

/** Validates an already-parsed value as an activity event. */
export function validateEvent(value: unknown): EventParseResult {
  const result = activityEventSchema.safeParse(value);
  return result.success
    ? { ok: true, event: result.data }
    : { ok: false, error: describeIssues(result.error) };
}

/** Parses and validates one JSON Lines line. */
export function parseEventLine(line: string): EventParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'must be a JSON object' };
  }
  return validateEvent(value);
}
