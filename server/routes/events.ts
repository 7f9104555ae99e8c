import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ActivityEvent, validateEvent } from '../../shared/events/schema.ts';
import { parseInstant } from '../../shared/time/iso.ts';
import { requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';

/** The most events one push may carry; a larger batch is refused whole with 413. */
export const MAX_PUSH_EVENTS = 1_000;
const MAX_PULL_LIMIT = 5_000;

const pushBody = Type.Object({
  events: Type.Array(Type.Unknown()),
  /** The device's clock when it sent the batch: the server measures the device's offset from it. */
  sentAt: Type.Optional(Type.String({ format: 'instant' })),
});
const pullQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}(\\.[0-9]{1,19})?$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PULL_LIMIT })),
    from: Type.Optional(Type.String({ format: 'instant' })),
    to: Type.Optional(Type.String({ format: 'instant' })),
    agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);

interface Rejected {
  index: number;
  id?: string;
  error: string;
}

/** Devices push events (idempotent by id), supervisors import them; supervisors pull them after a cursor. */
export function eventRoutes(
  app: FastifyInstance,
  db: Database,
  pushesPerMinute: number,
  onStored: (tenantId: string) => void,
): void {
  // Per caller (its token), not per address: a whole office may share one public address.
  const rateLimit = {
    max: pushesPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (request: { headers: { authorization?: string }; ip: string }) =>
      request.headers.authorization ?? request.ip,
  };
  /** Push and import share everything but who may call and which device the rows record. */
  const ingest = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = request.principal!;
    const body = request.body as { events: unknown[]; sentAt?: string };
    if (body.events.length > MAX_PUSH_EVENTS) {
      return reply.code(413).send({
        error: `a push carries at most ${MAX_PUSH_EVENTS} events; send ${body.events.length} in smaller batches`,
      });
    }
    const receivedAt = Date.now();
    const clockOffsetMs = body.sentAt === undefined ? 0 : Math.round(receivedAt - parseInstant(body.sentAt));
    // A device enrolled for some agents may push only theirs; a supervisor's import has no such limit.
    const allowed =
      principal.role === 'device' && principal.agentIds ? new Set(principal.agentIds) : undefined;
    const rejected: Rejected[] = [];
    const good: ActivityEvent[] = [];
    const seen = new Set<string>();
    const repeated: { index: number; id: string }[] = [];
    const indexOf = new Map<string, number>();
    body.events.forEach((value, index) => {
      const checked = validateEvent(value);
      const id =
        typeof (value as { id?: unknown })?.id === 'string' ? (value as { id: string }).id : undefined;
      if (!checked.ok) rejected.push({ index, ...(id === undefined ? {} : { id }), error: checked.error });
      else if (allowed && !allowed.has(checked.event.agentId)) {
        rejected.push({
          index,
          id: checked.event.id,
          error: `agentId: ${checked.event.agentId} is not enrolled on this device`,
        });
      } else if (seen.has(checked.event.id)) repeated.push({ index, id: checked.event.id });
      else {
        seen.add(checked.event.id);
        indexOf.set(checked.event.id, index);
        good.push(checked.event);
      }
    });

    const accepted =
      good.length === 0
        ? []
        : await storeEvents(db, principal.tenantId, principal.deviceId ?? null, clockOffsetMs, good);
    const acceptedSet = new Set(accepted);
    for (const event of good)
      if (!acceptedSet.has(event.id)) repeated.push({ index: indexOf.get(event.id)!, id: event.id });
    const duplicates = repeated.sort((a, b) => a.index - b.index).map((entry) => entry.id);
    if (accepted.length > 0) onStored(principal.tenantId);
    return { accepted, duplicates, rejected, clockOffsetMs };
  };
  app.post(
    '/api/v1/events/push',
    { schema: { body: pushBody }, preHandler: requireRole(db, 'device'), config: { rateLimit } },
    ingest,
  );
  // Supervisors bring in events from elsewhere (a file, another system): stored with no device.
  app.post(
    '/api/v1/events/import',
    {
      schema: { body: pushBody },
      preHandler: requireRole(db, 'admin', 'supervisor'),
      config: { rateLimit },
    },
    ingest,
  );

  app.get(
    '/api/v1/events/pull',
    { schema: { querystring: pullQuery }, preHandler: requireRole(db, 'admin', 'supervisor') },
    async (request) => {
      const query = request.query as {
        cursor?: string;
        limit?: number;
        from?: string;
        to?: string;
        agentId?: string;
      };
      const limit = query.limit ?? 1_000;
      // The cursor is "<transaction>.<sequence>" of the last row returned.
      const [xid = '0', seq = '0'] = (query.cursor ?? '0').split('.');
      const conditions = [
        'tenant_id = $1',
        '(xid, seq) > ($2::xid8, $3::bigint)',
        'xid < pg_snapshot_xmin(pg_current_snapshot())',
      ];
      const params: unknown[] = [request.principal!.tenantId, xid, seq];
      if (query.from) conditions.push(`at >= $${params.push(query.from)}::timestamptz`);
      if (query.to) conditions.push(`at < $${params.push(query.to)}::timestamptz`);
      if (query.agentId) conditions.push(`agent_id = $${params.push(query.agentId)}`);
      const rows = await db.query<{ position: string; body: ActivityEvent; clock_offset_ms: number }>(
        `select xid::text || '.' || seq::text as position, body, clock_offset_ms::float8 as clock_offset_ms
           from events where ${conditions.join(' and ')}
          order by xid, seq limit $${params.push(limit + 1)}::integer`,
        params,
      );
      const page = rows.slice(0, limit);
      return {
        events: page.map((row) => ({ ...row.body, clockOffsetMs: row.clock_offset_ms })),
        cursor: page.at(-1)?.position ?? query.cursor ?? '0',
        hasMore: rows.length > limit,
      };
    },
  );
}

/**
 * Stores events once each; returns the ids newly stored. Concurrent pushes do not wait for each
 * other: the pull's snapshot rule (see migration 4) keeps its cursor from skipping any of them.
 */
async function storeEvents(
  db: Database,
  tenantId: string,
  deviceId: string | null,
  clockOffsetMs: number,
  events: ActivityEvent[],
): Promise<string[]> {
  const inserted = await db.query<{ id: string }>(
    `insert into events (tenant_id, id, agent_id, at, clock_offset_ms, device_id, body)
     select $1, input.id, input.agent_id, input.at, $2, $3, input.body
       from unnest($4::text[], $5::text[], $6::timestamptz[], $7::jsonb[]) with ordinality
            as input(id, agent_id, at, body, n)
      order by input.n
     on conflict (tenant_id, id) do nothing
     returning id`,
    [
      tenantId,
      clockOffsetMs,
      deviceId,
      events.map((event) => event.id),
      events.map((event) => event.agentId),
      events.map((event) => event.at),
      events.map((event) => JSON.stringify(event)),
    ],
  );
  return inserted.map((row) => row.id);
}
