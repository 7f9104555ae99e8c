import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  WEBHOOK_HEADERS,
  type WebhookEventType,
  type WebhookRequestStatus,
} from '../../shared/api/webhooks.ts';
import type { RecordKindName } from '../../shared/records/kind.ts';
import type { WebhookDeliveryRecord } from '../../shared/records/webhook-delivery.ts';
import type { Database } from '../db/database.ts';
import { storeRecords } from '../routes/events.ts';
import { signWebhook } from './signature.ts';

/** How deliveries are made and retried; docs/integrations.md states the defaults. */
export interface WebhookSettings {
  /** An attempt with no answer by then is a timeout, retried. */
  timeoutMs: number;
  /** Attempts per delivery, the first included: past the last, the delivery has failed. */
  maxAttempts: number;
  /** The wait before the first retry; each retry doubles it, up to `maxDelayMs`, then jitters it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long a leased delivery is left to its instance: longer than an attempt can take. Past it
   * (the instance died mid-attempt), the delivery is due again for any instance.
   */
  leaseMs: number;
  /**
   * Deliveries one instance leases in one round. They are posted `concurrency` at a time; a row
   * whose attempt could no longer end before its lease runs out is released for the next round.
   */
  batch: number;
  /**
   * POSTs in flight at once, per instance. Each answer is written down before its slot posts
   * again, so this is also the most deliveries a `kill -9` can leave posted but not written down:
   * the most that reach a receiver twice (with the same request id) after one.
   */
  concurrency: number;
  /** With nothing announced, how often the instance looks for due deliveries (retries fall due). */
  pollMs: number;
}

export const WEBHOOK_DEFAULTS: WebhookSettings = {
  timeoutMs: 10_000,
  maxAttempts: 8,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  leaseMs: 30_000,
  batch: 200,
  concurrency: 16,
  pollMs: 1_000,
};

export interface DelivererOptions extends Partial<WebhookSettings> {
  /** The clock (tests drive it): due times, leases and attempt times are all on it. */
  now?: () => number;
  /** The jitter's randomness, in [0, 1). */
  random?: () => number;
  /** Told of the tenants whose `webhook_delivery` records were stored (the event streams). */
  onRecords?: (tenantId: string, kinds: RecordKindName[]) => void;
  log?: { warn(message: string): void };
}

/**
 * The wait before retry `retry` (1 for the first): `baseDelayMs · 2^(retry−1)`, capped at
 * `maxDelayMs`, then jittered to between half and all of it, so that the deliveries of one
 * receiver's outage do not all come back in the same second.
 */
export function retryDelayMs(
  retry: number,
  settings: Pick<WebhookSettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * What an answer means for the delivery: 2xx delivered; 5xx and 429 (and, in `attempt`, a
 * timeout or a connection that failed) tried again; any other answer is the receiver's refusal,
 * which the same request would get again: not retried.
 */
export function answerOutcome(httpStatus: number): 'delivered' | 'retry' | 'refused' {
  if (httpStatus >= 200 && httpStatus < 300) return 'delivered';
  if (httpStatus >= 500 || httpStatus === 429) return 'retry';
  return 'refused';
}

interface LeasedRow {
  id: string;
  tenant_id: string;
  subscription_id: string;
  event_type: WebhookEventType;
  body: string;
  campaign: string | null;
  contact: string | null;
  attempts: number;
  url: string;
  secret: string;
  deleted: boolean;
}

/** One attempt's end, as written back to its delivery row. */
interface Outcome {
  id: string;
  lease: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  due_at: string;
  status: number | null;
  error: string | null;
  at: string;
}

/** An attempt cut short by the instance stopping: not an attempt; the delivery is due at once. */
const RELEASED = Symbol('released');

const MAX_ERROR_LENGTH = 1024;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Makes the deliveries the outbox owes (server/webhooks/triggers.ts): leases due ones with
 * `FOR UPDATE SKIP LOCKED` (instances on one PostgreSQL never take the same one), posts each
 * signed (a few at a time), writes back each outcome under its lease before posting again in its
 * place, and stores each attempt as a
 * `webhook_delivery` record, which reaches the supervisors' app like every other record.
 */
export class WebhookDeliverer {
  readonly settings: WebhookSettings;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly inFlight = new Set<AbortController>();
  private stopping = false;
  private running: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  /** Answers waiting to be written down, and the write under way (`commit`). */
  private readonly unwritten: {
    row: LeasedRow;
    outcome: Outcome;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: DelivererOptions = {},
  ) {
    const { now, random, onRecords: _onRecords, log: _log, ...settings } = options;
    this.settings = {
      ...WEBHOOK_DEFAULTS,
      ...Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)),
    };
    this.now = now ?? Date.now;
    this.random = random ?? Math.random;
  }

  /**
   * Delivers from now until `stop`: at once (deliveries due before a restart), then as they fall
   * due. The instance that stored records owing deliveries is woken by its push (`wake`); the
   * others, and report jobs, are found by the poll: no connection of its own kept listening.
   */
  start(): void {
    this.running ??= this.loop();
  }

  /** Something may be due now (a record that owes deliveries was stored). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops within the attempt timeout at most, and at once in practice: attempts in flight are cut
   * short and their deliveries left due, for this instance after a restart or for another now.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const controller of this.inFlight) controller.abort(RELEASED);
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let made = 0;
      try {
        made = await this.runOnce();
      } catch (error) {
        this.options.log?.warn(`webhook deliveries: ${(error as Error).message}; trying again soon`);
      }
      if (made < this.settings.batch && !this.stopping) await this.idle();
    }
  }

  /** Until woken or the poll interval passes. */
  private async idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.settings.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
    this.woken = false;
  }

  /**
   * One round: leases the deliveries due now (a batch at most) and posts them `concurrency` at a
   * time. Each slot writes its answer down (`commit`) before it posts again, so that a `kill -9`
   * leaves at most the POSTs in flight unwritten: those, and only those, are posted again once
   * their lease runs out. Returns how many it leased.
   */
  async runOnce(): Promise<number> {
    const now = this.now();
    const lease = randomUUID();
    const { batch, leaseMs, timeoutMs, concurrency } = this.settings;
    // The lease moves `due_at` past the attempt's end: an instance that dies leaves the delivery
    // due again then. Writing the outcome back needs the lease id, so a late instance whose lease
    // ran out (and whose delivery another instance took) changes nothing.
    const leased = await this.db.query<LeasedRow>(
      `update webhook_deliveries d set due_at = $2::timestamptz, lease = $3
         from (select id from webhook_deliveries
                where state = 'pending' and due_at <= $1::timestamptz
                order by due_at limit $4 for update skip locked) due,
              webhook_subscriptions s
        where d.id = due.id and s.id = d.subscription_id
       returning d.id, d.tenant_id, d.subscription_id, d.event_type, d.body, d.campaign, d.contact,
                 d.attempts, s.url, s.secret, s.deleted_at is not null as deleted`,
      [iso(now), iso(now + leaseMs), lease, batch],
    );
    if (leased.length === 0) return 0;
    const leaseEnd = now + leaseMs;
    const released: string[] = [];
    let next = 0;
    let failure: { error: unknown } | undefined;
    const slot = async () => {
      while (next < leased.length && failure === undefined) {
        const row = leased[next++]!;
        // Slow receivers can hold the slots long enough for the last rows' leases to run short: an
        // attempt that could outlive its lease might overlap another instance's. Those wait.
        const ended = this.now() + timeoutMs >= leaseEnd ? RELEASED : await this.attempt(row, lease);
        if (ended === RELEASED) {
          released.push(row.id);
          continue;
        }
        try {
          await this.commit(row, ended);
        } catch (error) {
          // Not written down: posting on would only widen what a crash could repeat.
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, leased.length) }, slot));
    released.push(...leased.slice(next).map((row) => row.id));
    if (released.length > 0 && failure === undefined) {
      await this.db.query(
        `update webhook_deliveries set due_at = $3::timestamptz, lease = null
          where id = any ($1::text[]) and lease = $2`,
        [released, lease, iso(now)],
      );
    }
    if (failure !== undefined) throw failure.error;
    return leased.length;
  }

  /**
   * Writes one attempt's outcome down, resolved once it is committed. Answers that arrive while a
   * write is under way go together in the next one (a group commit): one statement per group
   * rather than per answer, and no answer waits for more than the write before it.
   */
  private commit(row: LeasedRow, outcome: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.unwritten.push({ row, outcome, resolve, reject });
      this.writing ??= this.writeUnwritten();
    });
  }

  private async writeUnwritten(): Promise<void> {
    while (this.unwritten.length > 0) {
      const group = this.unwritten.splice(0);
      try {
        await this.record(
          group.map((entry) => entry.row),
          group.map((entry) => entry.outcome),
        );
        for (const entry of group) entry.resolve();
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    this.writing = undefined;
  }

  private async attempt(row: LeasedRow, lease: string): Promise<Outcome | typeof RELEASED> {
    const attempts = row.attempts + 1;
    const ended = (
      state: Outcome['state'],
      status: number | null,
      error: string | null,
      dueAt = this.now(),
    ): Outcome => ({
      id: row.id,
      lease,
      state,
      attempts,
      due_at: iso(dueAt),
      status,
      error: error === null ? null : error.slice(0, MAX_ERROR_LENGTH),
      at: iso(this.now()),
    });
    if (row.deleted)
      return { ...ended('failed', null, 'the subscription was deleted'), attempts: row.attempts };
    if (this.stopping) return RELEASED;
    const retryOrFail = (status: number | null, error: string, retryAfterMs = 0): Outcome => {
      if (attempts >= this.settings.maxAttempts)
        return ended('failed', status, `${error}; gave up after ${attempts} attempts`);
      const wait = Math.max(retryDelayMs(attempts, this.settings, this.random), retryAfterMs);
      return ended('pending', status, error, this.now() + Math.min(wait, this.settings.maxDelayMs));
    };
    const controller = new AbortController();
    const timeout = new Error(`no answer within ${this.settings.timeoutMs} ms`);
    const timer = setTimeout(() => controller.abort(timeout), this.settings.timeoutMs);
    this.inFlight.add(controller);
    try {
      const response = await postJson(
        row.url,
        row.body,
        {
          [WEBHOOK_HEADERS.requestId]: row.id,
          [WEBHOOK_HEADERS.event]: row.event_type,
          [WEBHOOK_HEADERS.attempt]: String(attempts),
          [WEBHOOK_HEADERS.signature]: signWebhook(row.secret, row.body),
        },
        controller.signal,
      );
      const outcome = answerOutcome(response.status);
      if (outcome === 'delivered') return ended('delivered', response.status, null);
      if (outcome === 'refused') {
        return ended(
          'failed',
          response.status,
          `the receiver answered ${response.status}, which is not retried (only 5xx, 429 and timeouts are)`,
        );
      }
      return retryOrFail(
        response.status,
        `the receiver answered ${response.status}`,
        retryAfter(response.retryAfter, this.now()),
      );
    } catch (error) {
      if (controller.signal.reason === RELEASED) return RELEASED;
      if (controller.signal.reason === timeout) return retryOrFail(null, timeout.message);
      const cause = (error as Error & { cause?: Error }).cause;
      return retryOrFail(null, `could not reach the receiver: ${cause?.message ?? (error as Error).message}`);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
  }

  /**
   * Writes the outcomes back (only where the lease still holds) and stores one `webhook_delivery`
   * record per attempt written, per tenant, through the one way records are stored.
   */
  private async record(leased: LeasedRow[], outcomes: Outcome[]): Promise<void> {
    const written = new Set(
      (
        await this.db.query<{ id: string }>(
          `update webhook_deliveries d
              set state = o.state, attempts = o.attempts, due_at = o.due_at, lease = null,
                  last_status = o.status, last_error = o.error, last_attempt_at = o.at
             from json_to_recordset($1::json) as o(id text, lease text, state text, attempts integer,
                  due_at timestamptz, status integer, error text, at timestamptz)
            where d.id = o.id and d.lease = o.lease
           returning d.id`,
          [JSON.stringify(outcomes)],
        )
      ).map((row) => row.id),
    );
    const byId = new Map(leased.map((row) => [row.id, row]));
    const perTenant = new Map<string, WebhookDeliveryRecord[]>();
    for (const outcome of outcomes) {
      const row = byId.get(outcome.id)!;
      // A deleted subscription's delivery was not attempted: nothing to record.
      if (!written.has(outcome.id) || outcome.attempts === row.attempts) continue;
      const records = perTenant.get(row.tenant_id) ?? [];
      records.push(attemptRecord(row, outcome));
      perTenant.set(row.tenant_id, records);
    }
    for (const [tenantId, records] of perTenant) {
      const stored = await storeRecords(this.db, { tenantId, role: 'server' }, records, 0);
      for (const refused of stored.rejected)
        this.options.log?.warn(
          `webhook delivery record ${refused.id ?? refused.index} refused: ${refused.error}`,
        );
      if (stored.kinds.length > 0) this.options.onRecords?.(tenantId, stored.kinds);
    }
  }
}

/** The record of one attempt: what the `webhook-events` report lists. */
function attemptRecord(row: LeasedRow, outcome: Outcome): WebhookDeliveryRecord {
  const status: WebhookRequestStatus =
    outcome.state === 'pending' ? 'retrying' : outcome.state === 'delivered' ? 'delivered' : 'failed';
  return {
    id: `${row.id}.${outcome.attempts}`,
    type: 'webhook_delivery',
    at: outcome.at,
    requestId: row.id,
    subscriptionId: row.subscription_id,
    url: row.url,
    eventType: row.event_type,
    status,
    ...(outcome.status === null ? {} : { httpStatus: outcome.status }),
    ...(outcome.error === null ? {} : { error: outcome.error }),
    retries: outcome.attempts - 1,
    ...(row.campaign === null ? {} : { campaignId: row.campaign }),
    ...(row.contact === null ? {} : { contact: row.contact }),
    ...(status === 'retrying' ? { nextAttemptAt: outcome.due_at } : {}),
  };
}

/**
 * Connections kept open between deliveries, the most recently used first; an idle one is closed
 * after 4 s, before the 5 s after which many servers (Node's, Apache) close it themselves, so that
 * a POST is rarely written to a connection the receiver is closing. `node:http` rather than `fetch`: fetch's machinery (streams,
 * AbortSignal chains) was most of the server's CPU per delivery (bench/webhooks.ts).
 */
const AGENTS = {
  'http:': new HttpAgent({ keepAlive: true, scheduling: 'lifo', timeout: 4_000 }),
  'https:': new HttpsAgent({ keepAlive: true, scheduling: 'lifo', timeout: 4_000 }),
};

/**
 * One POST of `body` to `url` (http or https; redirects are answers, not followed). Resolves with
 * the answer's status and `Retry-After`; the answer's body is not read (a receiver's page of HTML
 * would only cost memory).
 */
function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<{ status: number; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new Error(`${target.protocol} URLs cannot be posted to (only http: and https:)`));
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'POST',
        agent: AGENTS[target.protocol],
        signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Pontual-Webhooks/1',
          ...headers,
        },
      },
      (response) => {
        response.resume();
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: firstHeader(response.headers, 'retry-after'),
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function firstHeader(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `now`; 0 if absent or bad. */
function retryAfter(header: string | null, now: number): number {
  if (header === null) return 0;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}
