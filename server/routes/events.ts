import { setTimeout as sleep } from 'node:timers/promises';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  MAX_PUSH_EVENTS,
  PullQuery,
  type PushAnswer,
  PushBody,
  type Rejected,
} from '../../shared/api/events.ts';
import { EVENT_TYPES } from '../../shared/events/schema.ts';
import type { RecordKindName } from '../../shared/records/kind.ts';
import { type AnyRecord, validateRecord } from '../../shared/records/registry.ts';
import { parseInstant } from '../../shared/time/iso.ts';
import { type Principal, requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';
import { recordDeviceReport } from './devices.ts';
import type { SchemaRequest } from './typed.ts';

/**
 * The server measures each device's clock offset itself; an offset a client sent along (say, in
 * events pulled and imported again) is dropped, or the pulled event would carry the key twice.
 */
function withoutClientOffset(record: AnyRecord): AnyRecord {
  if (!('clockOffsetMs' in record)) return record;
  const { clockOffsetMs: _dropped, ...rest } = record as AnyRecord & { clockOffsetMs: unknown };
  return rest as AnyRecord;
}

/**
 * What the attendance screen shows an agent, and so what a device may record: its activity, the
 * messages of its conversations and its tickets. Campaigns and delivery statuses come from the
 * provider and the messaging platform (integrations, imports), never from an agent's browser.
 */
const DEVICE_KINDS: ReadonlySet<RecordKindName> = new Set(['activity', 'message', 'ticket']);

/**
 * Kinds only the server writes, with what it writes them from: its own record of webhook
 * attempts, the app's people and the business numbers its webhooks saw. No token may push them,
 * so the reports built on them (webhook-events, licenses, numbers) cannot be forged.
 */
const SERVER_KINDS: ReadonlyMap<RecordKindName, string> = new Map([
  ['webhook_delivery', 'as it delivers webhooks'],
  ['user', 'as people are added, changed and sign in'],
  ['business_number', 'as its webhooks see the numbers'],
]);

/** Who stores records: a signed-in caller, or the server itself (`server`, for `SERVER_KINDS`). */
export type RecordWriter = Pick<Principal, 'tenantId' | 'deviceId' | 'agentIds'> & {
  role: Principal['role'] | 'server';
};

export { MAX_PUSH_EVENTS };

/** The name of the last agent among the stored events of a push, to name the device by. */
function lastAgentName(events: unknown[], stored: ReadonlySet<string>): { agentName?: string } {
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index] as { id?: unknown; agentName?: unknown } | null;
    const name = typeof event?.agentName === 'string' ? event.agentName.trim() : '';
    if (name !== '' && typeof event?.id === 'string' && stored.has(event.id)) return { agentName: name };
  }
  return {};
}

const UNIQUE_VIOLATION = '23505';
/** SQLSTATE class 22, data exception: PostgreSQL refused a value (a text, a time, a number). */
const DATA_EXCEPTION = /^22/;
/** The largest transaction id (`xid8`) and sequence (`bigint`) a cursor can hold. */
const MAX_XID = 2n ** 64n - 1n;
const MAX_SEQ = 2n ** 63n - 1n;
/** Pulls one instance runs at once (measured on 2 cores: 2 keeps push p99 under 100 ms). */
const PULLS_AT_ONCE = 2;
/**
 * How long a pull that reached the end waits for older transactions still running, when rows
 * committed after them are held back: long enough for pushes in flight, short enough that a
 * long transaction elsewhere on the cluster only delays the answer.
 */
export const PULL_SETTLE_MS = 2_000;
/** Between two looks at whether the older transactions have ended. */
const SETTLE_POLL_MS = 10;

/**
 * The (transaction, sequence) of a cursor as decimal text, or `undefined` for one no pull gave
 * (out of range). Written out again, as PostgreSQL reads an `xid8` with a leading zero as octal.
 */
function parseCursor(cursor: string): [xid: string, seq: string] | undefined {
  const [xid, seq] = cursor.split('.').map((part) => BigInt(part));
  if (xid! > MAX_XID || (seq ?? 0n) > MAX_SEQ) return undefined;
  return [xid!.toString(), (seq ?? 0n).toString()];
}

/** Devices push events (idempotent by id), supervisors import them; supervisors pull them after a cursor. */
export function eventRoutes(
  root: FastifyInstance,
  db: Database,
  pushesPerMinute: number,
  onStored: (tenantId: string, kinds: RecordKindName[]) => void,
  pullSettleMs = PULL_SETTLE_MS,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // Per caller (its token), not per address: a whole office may share one public address.
  const rateLimit = {
    max: pushesPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (request: { headers: { authorization?: string }; ip: string }) =>
      request.headers.authorization ?? request.ip,
  };
  /** Push and import share everything but who may call and which device the rows record. */
  const ingest = async (request: SchemaRequest<{ body: typeof PushBody }>, reply: FastifyReply) => {
    const principal = request.principal!;
    const { body } = request;
    if (body.events.length > MAX_PUSH_EVENTS) {
      return reply.code(413).send({
        error: `a push carries at most ${MAX_PUSH_EVENTS} events; send ${body.events.length} in smaller batches`,
      });
    }
    const receivedAt = Date.now();
    const clockOffsetMs = body.sentAt === undefined ? 0 : Math.round(receivedAt - parseInstant(body.sentAt));
    const stored = await storeRecords(db, principal, body.events, clockOffsetMs);
    if (stored.kinds.length > 0) onStored(principal.tenantId, stored.kinds);
    if (principal.role === 'device' && principal.deviceId) {
      const { waiting, version } = body;
      await recordDeviceReport(db, principal.deviceId, {
        ...(waiting === undefined ? {} : { waiting }),
        ...(version === undefined ? {} : { version }),
        ...lastAgentName(body.events, new Set([...stored.accepted, ...stored.duplicates])),
      });
    }
    const { accepted, duplicates, rejected } = stored;
    return { accepted, duplicates, rejected, clockOffsetMs } satisfies PushAnswer;
  };
  // Each event is checked and answered alone (`ingest`), so the request check skips them.
  const config = { rateLimit, itemsCheckedAlone: 'events' };
  app.post(
    '/api/v1/events/push',
    { schema: { body: PushBody }, preHandler: requireRole(db, 'device', 'integration'), config },
    ingest,
  );
  // Supervisors bring in events from elsewhere (a file, another system): stored with no device.
  app.post(
    '/api/v1/events/import',
    {
      schema: { body: PushBody },
      preHandler: requireRole(db, 'admin', 'supervisor'),
      config,
    },
    ingest,
  );

  // Pulls are bulk reads (every supervisor reads every event): a few at a time, so that they
  // cannot take the database's cores from pushes, whose answer a device is waiting for.
  const pulling = new Slots(PULLS_AT_ONCE);
  app.get(
    '/api/v1/events/pull',
    { schema: { querystring: PullQuery }, preHandler: requireRole(db, 'admin', 'supervisor') },
    async (request, reply) => {
      const { query } = request;
      const limit = query.limit ?? 1_000;
      const kinds = [...new Set((query.kinds ?? 'activity').split(','))];
      // The cursor is "<transaction>.<sequence>" of the last row returned.
      const position = parseCursor(query.cursor ?? '0');
      if (!position)
        return reply.code(400).send({ error: 'querystring.cursor: is not a cursor this server gave' });
      const [xid, seq] = position;
      const conditions = [
        'tenant_id = $1',
        'kind = $KIND',
        '(xid, seq) > ($2::xid8, $3::bigint)',
        'xid < pg_snapshot_xmin(pg_current_snapshot())',
      ];
      const params: unknown[] = [request.principal!.tenantId, xid, seq];
      if (query.from) conditions.push(`at >= $${params.push(query.from)}::timestamptz`);
      if (query.to) conditions.push(`at < $${params.push(query.to)}::timestamptz`);
      if (query.agentId) conditions.push(`agent_id = $${params.push(query.agentId)}`);
      // Rows newer than the statistics are estimated at a handful, so the planner would collect
      // every row after the cursor by bitmap and sort them all for one page: for a reader behind
      // a busy stream, hundreds of thousands of rows a page. The (transaction, sequence) index
      // already yields them in order, and the scan stops at the page's end.
      const limitParam = params.push(limit);
      const kindsParam = params.push(kinds);
      // One index scan per kind, each stopping at the page's end, merged in commit order.
      const scans = kinds.map(
        (kind) =>
          `(select xid, seq, id, body::text as body, clock_offset_ms, kind from events
             where ${conditions.join(' and ').replace('$KIND', `$${params.push(kind)}`)}
             order by xid, seq limit $${limitParam}::integer + 1)`,
      );
      const readPage = () =>
        pulling.run(() =>
          db.transaction(async (tx) => {
            await tx.query('set local enable_bitmapscan = off');
            // The page is put together as JSON text by PostgreSQL, one string: nothing to parse and
            // serialize again per event (pulls are many: every supervisor reads every event).
            // The rows come out of the scan in commit order and are numbered in that order (no sort:
            // the window's order is the input's); they are joined as they come, with no ORDER BY in
            // the aggregate and no count over the whole page, which cost a sort and a second pass
            // per page (a 5,000-record page in about half the time: docs/server.md). The cursor is
            // the highest (number, transaction, sequence) among the rows sent.
            return tx.query<{
              events: string | null;
              last: string[] | null;
              more: boolean;
              held: string | null;
            }>(
              `with page as (
             select *, row_number() over (order by xid, seq) as k
               from (select * from (${scans.join(' union all ')}) as scanned
                      order by xid, seq limit $${limitParam}::integer + 1) as ordered
           )
           select string_agg(${EVENT_JSON}, ',') filter (where k <= $${limitParam}) as events,
                  max(array[k::numeric, xid::text::numeric, seq::numeric])
                    filter (where k <= $${limitParam})::text[] as last,
                  count(*) > $${limitParam} as more,
                  (select max(xid)::text from events
                    where tenant_id = $1 and kind = any($${kindsParam}::text[])
                      and xid >= pg_snapshot_xmin(pg_current_snapshot())) as held
             from page`,
              params,
            );
          }),
        );
      let [page] = await readPage();
      // Rows committed after a transaction that is still running are held back (the gap-free
      // rule above). Transaction ids are the whole cluster's, so that older transaction may be a
      // push in flight or anything on another database: a pull that reached the end waits a
      // moment for it, so that what was pushed before the pull began comes in this answer.
      if (
        page &&
        !page.more &&
        page.held !== null &&
        (await olderTransactionsEnd(db, page.held, pullSettleMs))
      )
        [page] = await readPage();
      const cursor = page?.last ? `${page.last[1]}.${page.last[2]}` : (query.cursor ?? '0');
      return reply
        .type('application/json; charset=utf-8')
        .send(
          `{"events":[${page?.events ?? ''}],"cursor":${JSON.stringify(cursor)},"hasMore":${page?.more === true}}`,
        );
    },
  );
}

/** What one push, import or webhook delivery stored and refused, each record by its index. */
export interface StoredRecords {
  accepted: string[];
  duplicates: string[];
  rejected: Rejected[];
  /** The kinds of the records newly stored, to announce. */
  kinds: RecordKindName[];
}

/**
 * Validates each value as a record of its kind, checks the caller may record it, and stores the
 * good ones once each: the one way records come in, whoever sends them.
 */
export async function storeRecords(
  db: Database,
  caller: RecordWriter,
  values: readonly unknown[],
  clockOffsetMs: number,
): Promise<StoredRecords> {
  // A device enrolled for some agents may push only theirs; a supervisor's import has no such limit.
  const allowed = caller.role === 'device' && caller.agentIds ? new Set(caller.agentIds) : undefined;
  const rejected: Rejected[] = [];
  const good: AnyRecord[] = [];
  const kindOf = new Map<string, RecordKindName>();
  const seen = new Set<string>();
  const repeated: { index: number; id: string }[] = [];
  const indexOf = new Map<string, number>();
  values.forEach((value, index) => {
    const checked = validateRecord(value);
    const id = typeof (value as { id?: unknown })?.id === 'string' ? (value as { id: string }).id : undefined;
    if (!checked.ok) {
      rejected.push({ index, ...(id === undefined ? {} : { id }), error: checked.error });
      return;
    }
    const { record, kind } = checked;
    const agentId = (record as { agentId?: string }).agentId;
    if (SERVER_KINDS.has(kind) && caller.role !== 'server') {
      rejected.push({
        index,
        id: record.id,
        error: `type: ${record.type} records are written by the server ${SERVER_KINDS.get(kind)}; they cannot be pushed`,
      });
    } else if (caller.role === 'device' && !DEVICE_KINDS.has(kind)) {
      rejected.push({
        index,
        id: record.id,
        error: `type: a device records agent activity, messages and tickets; ${record.type} records come from integrations and imports`,
      });
    } else if (allowed && agentId !== undefined && !allowed.has(agentId)) {
      rejected.push({ index, id: record.id, error: `agentId: ${agentId} is not enrolled on this device` });
    } else if (seen.has(record.id)) repeated.push({ index, id: record.id });
    else {
      seen.add(record.id);
      indexOf.set(record.id, index);
      kindOf.set(record.id, kind);
      good.push(withoutClientOffset(record));
    }
  });

  const { accepted, refused } =
    good.length === 0
      ? { accepted: [], refused: new Map<string, string>() }
      : await insertRecords(db, caller.tenantId, caller.deviceId ?? null, clockOffsetMs, good);
  const acceptedSet = new Set(accepted);
  for (const event of good) {
    const index = indexOf.get(event.id)!;
    const reason = refused.get(event.id);
    if (reason !== undefined)
      rejected.push({ index, id: event.id, error: `refused by the database: ${reason}` });
    else if (!acceptedSet.has(event.id)) repeated.push({ index, id: event.id });
  }
  rejected.sort((a, b) => a.index - b.index);
  const duplicates = repeated.sort((a, b) => a.index - b.index).map((entry) => entry.id);
  const kinds = [...new Set(accepted.map((stored) => kindOf.get(stored)!))];
  return { accepted, duplicates, rejected, kinds };
}

/**
 * One stored record as pushed (its JSON text); an activity event with the clock offset the server
 * measured added at the end (a value the client sent was dropped at push: see
 * `withoutClientOffset`). Other kinds carry the platform's or the provider's times, not the
 * device's clock, so an offset would only mislead.
 */
const EVENT_JSON = `case when kind = 'activity'
  then left(body, -1) || ',"clockOffsetMs":' || clock_offset_ms::text || '}' else body end`;

/**
 * Stores events once each; returns the ids newly stored, and the events PostgreSQL refused with its
 * reason. Concurrent pushes do not wait for each other: the pull's snapshot rule (see migration 4)
 * keeps its cursor from skipping any of them.
 */
async function insertRecords(
  db: Database,
  tenantId: string,
  deviceId: string | null,
  clockOffsetMs: number,
  events: AnyRecord[],
): Promise<{ accepted: string[]; refused: Map<string, string> }> {
  // One JSON text parameter, parsed once by PostgreSQL (no array literals to escape). Each
  // element is stored as the body, as `json`: the text as sent, no jsonb conversion on the way
  // in, and ready to send on the way out.
  const insert = (batch: AnyRecord[], onConflict: string, returning: string) =>
    db.query<{ id: string }>(
      `insert into events (tenant_id, id, kind, agent_id, at, clock_offset_ms, device_id, body)
       select $1, fields.id,
              case when fields.type = any($5::text[]) then 'activity' else fields.type end,
              fields."agentId", fields.at, $2, $3, input.body
         from json_array_elements($4::json) with ordinality as input(body, n),
              json_to_record(input.body) as fields(id text, type text, "agentId" text, at timestamptz)
        order by input.n
       ${onConflict}
       ${returning}`,
      [tenantId, clockOffsetMs, deviceId, JSON.stringify(batch), EVENT_TYPES],
    );
  const accepted: string[] = [];
  const refused = new Map<string, string>();
  const store = async (batch: AnyRecord[]): Promise<void> => {
    let inserted: { id: string }[];
    try {
      try {
        // Most pushes carry only new events: a plain insert is cheaper than ON CONFLICT's
        // speculative one. A single statement: on a duplicate nothing of it is stored, so when it
        // succeeds every event was stored, and there are no rows to return (PGlite pays for each
        // returned row on the server's one core).
        await insert(batch, '', '');
        inserted = batch;
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
        inserted = await insert(batch, 'on conflict (tenant_id, id) do nothing', 'returning id');
      }
    } catch (error) {
      // The validator refuses what PostgreSQL is known to refuse; should the database still
      // refuse a value, halves are stored apart until the refused events stand alone, so that
      // one event never fails its batch (the device would send that batch again forever).
      const { code, message } = error as { code?: string; message?: string };
      if (!DATA_EXCEPTION.test(code ?? '')) throw error;
      if (batch.length === 1) {
        refused.set(batch[0]!.id, message ?? `SQLSTATE ${code}`);
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await store(batch.slice(0, half));
      await store(batch.slice(half));
      return;
    }
    for (const row of inserted) accepted.push(row.id);
  };
  await store(events);
  return { accepted, refused };
}

/**
 * Waits, up to `withinMs`, until every transaction older than `xid` has ended: whether it did.
 * Each look is its own statement, so it sees the transactions as they are then.
 */
async function olderTransactionsEnd(db: Database, xid: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [look] = await db.query<{ ended: boolean }>(
      '/* pull: waiting for older transactions */ select pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 as ended',
      [xid],
    );
    if (look?.ended) return true;
    if (Date.now() >= deadline) return false;
    await sleep(SETTLE_POLL_MS);
  }
}

/** At most `size` tasks at once; the others wait their turn, in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = Math.max(1, size);
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
