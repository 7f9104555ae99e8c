import type { EnrollAnswer } from '../../shared/api/enrollment.ts';
import type { PushAnswer } from '../../shared/api/events.ts';
import {
  type CaptureDatabase,
  getMeta,
  type MetaValue,
  type Refusal,
  recordPushResult,
  type StoredEvent,
  setMeta,
  toRecord,
  unsyncedBatch,
  waitingCount,
} from './store.ts';

/**
 * The outbox (DESIGN §7, push): the background enrolls this browser with the Pontual server, then
 * pushes the captured events in batches, oldest first, and marks them synced only when the server
 * acknowledges them. Failures that may pass (no network, the server down or busy) are retried
 * with exponential backoff; failures that need a person (a refused enrollment code, a revoked
 * token) wait for new settings.
 *
 * What it keeps, in the capture database's meta table (so it survives the service worker):
 * - `syncServerUrl`, `syncDeviceId`, `syncToken`: this browser's enrollment, valid for that server
 *   only (a different server URL drops it);
 * - `syncSpentCode`: `<server URL> <code>` of the enrollment code last used or refused, which is
 *   never sent again (codes are single-use);
 * - `syncFailures`, `syncRetryAt`: the backoff (consecutive failures, and when to try again);
 * - `lastSyncAt`, `lastSyncError`, `clockOffsetMs`: what the popup shows, and the server's
 *   measure of this device's clock;
 * - `syncRefusedHead`, `syncRefusals`: the oldest waiting event's id when the server answered 500
 *   to its batch, and how many times in a row it did.
 *
 * No event can block the outbox (issue 9). The server refuses a bad event of a batch one by one
 * (`rejected` in its 200), and those are set aside in the store with its reason. A whole batch
 * refused by an answer that speaks of the request (a 4xx other than 401/403/408/413/429), or by
 * a 500 that repeats `REFUSALS_BEFORE_SPLIT` times for the same oldest event, is split in halves,
 * recursively, to find the events the server refuses alone: those are set aside and the rest is
 * synced. An event is set aside that way only when other events got through meanwhile: a server
 * that refuses everything is broken (a wrong proxy, a bad release), and its events wait for it.
 */

/** Events per push (the server takes at most 1000). */
export const BATCH_SIZE = 500;
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 5 * 60_000;
/** New events are pushed this long after the first of them, so a busy moment makes one push. */
export const DEBOUNCE_MS = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * With nothing to send, a browser still reports (an empty push) this often: Admin → Devices shows
 * when each was last seen, and one that stays silent longer is off or cut off.
 */
export const REPORT_EVERY_MS = 5 * 60_000;
/** A 500 for the same batch this many times in a row is taken as the batch's fault, and split. */
export const REFUSALS_BEFORE_SPLIT = 3;

export const ENROLLMENT_REFUSED =
  'the enrollment code is unknown, expired or already used: ask a supervisor for a new one';
export const NOT_ENROLLED = 'not enrolled with the server: enter an enrollment code from a supervisor';
export const TOKEN_REFUSED =
  'the server no longer accepts this browser (device removed or token revoked): enter a new enrollment code';

const KEYS = {
  serverUrl: 'syncServerUrl',
  deviceId: 'syncDeviceId',
  token: 'syncToken',
  spentCode: 'syncSpentCode',
  failures: 'syncFailures',
  retryAt: 'syncRetryAt',
  lastSyncAt: 'lastSyncAt',
  lastSyncError: 'lastSyncError',
  clockOffsetMs: 'clockOffsetMs',
  refusedHead: 'syncRefusedHead',
  refusals: 'syncRefusals',
  enrolledAt: 'syncEnrolledAt',
  deviceName: 'syncDeviceName',
} as const;

export interface SyncSettings {
  serverUrl: string;
  enrollmentCode: string;
}

export type SyncOutcome =
  /** No server is set: events stay local. */
  | { kind: 'off' }
  /** Nothing waits any more (`pushed` events went in this run). */
  | { kind: 'synced'; pushed: number }
  /** Failed for now; tried again in `retryInMs`. */
  | { kind: 'retrying'; pushed: number; retryInMs: number; error: string }
  /** Still backing off from an earlier failure: not tried. */
  | { kind: 'deferred'; retryInMs: number }
  /** Needs new settings (an enrollment code). */
  | { kind: 'blocked'; pushed: number; error: string };

export interface SyncOptions {
  db: CaptureDatabase;
  settings: () => Promise<SyncSettings>;
  /** How the server's device list names this browser. */
  deviceName: string;
  /** The extension's version, reported with each push (Admin → Devices). */
  version?: string;
  fetch?: typeof fetch;
  now?: () => number;
  /** In [0, 1): the backoff's jitter. */
  random?: () => number;
  /** Arms a timer and returns how to cancel it. */
  setTimer?: (callback: () => void, ms: number) => () => void;
  batchSize?: number;
}

/**
 * The wait before retry number `failures` (1 for the first): doubling from 1 s up to 5 min, with
 * "equal jitter" (half of it random) so many browsers that lost the server together do not all
 * come back in the same second.
 */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

/** This browser's enrollment, as the options page shows it: "Enrolled as … on … since …". */
export interface Enrollment {
  serverUrl: string;
  deviceName: string;
  /** When the code was accepted (ms); absent for enrollments made before this was kept. */
  since: number | undefined;
}

export async function enrollmentOf(db: CaptureDatabase): Promise<Enrollment | undefined> {
  const meta = await getMeta(db, [KEYS.token, KEYS.serverUrl, KEYS.deviceName, KEYS.enrolledAt]);
  if (meta.get(KEYS.token) === undefined || meta.get(KEYS.serverUrl) === undefined) return undefined;
  const since = meta.get(KEYS.enrolledAt);
  return {
    serverUrl: String(meta.get(KEYS.serverUrl)),
    deviceName: String(meta.get(KEYS.deviceName) ?? ''),
    since: since === undefined ? undefined : Number(since),
  };
}

/** A name for this browser in the server's device list, e.g. "Pontual on Windows". */
export function deviceNameOf(nav: { platform?: string; userAgentData?: { platform?: string } }): string {
  const platform = nav.userAgentData?.platform || nav.platform || 'unknown system';
  return `Pontual on ${platform}`.slice(0, 200);
}

type Step<T> = { ok: true; value: T } | { ok: false; outcome: Failure };
type Failure = { kind: 'retry'; error: string; retryAfterMs?: number } | { kind: 'blocked'; error: string };

const retry = (error: string, retryAfterMs?: number): Failure => ({ kind: 'retry', error, retryAfterMs });
const blocked = (error: string): Failure => ({ kind: 'blocked', error });

function isPushAnswer(body: unknown): body is PushAnswer {
  const answer = body as Partial<PushAnswer> | null;
  return (
    typeof answer === 'object' &&
    answer !== null &&
    Array.isArray(answer.accepted) &&
    Array.isArray(answer.duplicates) &&
    Array.isArray(answer.rejected)
  );
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') return `${response.status}: ${body.error}`;
  } catch {
    // not JSON
  }
  return `${response.status} ${response.statusText}`.trim();
}

/** What one push request came to. */
type PushResult =
  /** A 200 with a result (which may refuse some events one by one). */
  | { kind: 'answer'; answer: PushAnswer }
  /** 401: the device's token is revoked. */
  | { kind: 'revoked' }
  /** 413: too many events, or one too large. */
  | { kind: 'too-large'; status: number; error: string }
  /** The request itself was refused: a 4xx that speaks of it, or a 500. */
  | { kind: 'refused'; status: number; error: string }
  /** Not the events' fault: retried with backoff (network, 403, 408, 429, 502/503/504…). */
  | { kind: 'failed'; failure: Failure };

/**
 * 4xx answers that say nothing about the events sent: a revoked token (401, 403), a timeout
 * (408), too many requests (429); 413 is handled on its own (smaller batches).
 */
const NOT_ABOUT_THE_EVENTS = new Set([401, 403, 408, 413, 429]);

/** `Retry-After` in seconds, as ms. */
function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_RETRY_MS) : undefined;
}

/**
 * Runs syncs one at a time. `now()` syncs at once (the network came back, the settings changed);
 * `due()` syncs unless backing off (the alarm, the worker's start); `soon()` syncs shortly after
 * new events were stored.
 */
export class SyncEngine {
  private readonly db: CaptureDatabase;
  private readonly fetch: typeof fetch;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly setTimer: (callback: () => void, ms: number) => () => void;
  private batchSize: number;
  private running: Promise<SyncOutcome> | undefined;
  private queued: Promise<SyncOutcome> | undefined;
  private queuedForce = false;
  private cancelRetry: (() => void) | undefined;
  private cancelDebounce: (() => void) | undefined;

  constructor(private readonly options: SyncOptions) {
    this.db = options.db;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.clock = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.setTimer =
      options.setTimer ??
      ((callback, ms) => {
        const timer = setTimeout(callback, ms);
        return () => clearTimeout(timer);
      });
    this.batchSize = options.batchSize ?? BATCH_SIZE;
  }

  now(): Promise<SyncOutcome> {
    return this.start(true);
  }

  due(): Promise<SyncOutcome> {
    return this.start(false);
  }

  /** A sync `DEBOUNCE_MS` after the first call since the last one (not pushed back by later calls). */
  soon(): void {
    this.cancelDebounce ??= this.setTimer(() => {
      this.cancelDebounce = undefined;
      void this.due();
    }, DEBOUNCE_MS);
  }

  /** Stops the timers (tests; a worker that is going away). */
  stop(): void {
    this.disarmRetry();
    this.cancelDebounce?.();
    this.cancelDebounce = undefined;
  }

  /** One run at a time: a request during a run gets one more run after it (however many ask). */
  private start(force: boolean): Promise<SyncOutcome> {
    if (!this.running) {
      this.running = this.run(force).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.queuedForce ||= force;
    const next = () => {
      this.queued = undefined;
      const queuedForce = this.queuedForce;
      this.queuedForce = false;
      return this.start(queuedForce);
    };
    this.queued ??= this.running.then(next, next);
    return this.queued;
  }

  private async run(force: boolean): Promise<SyncOutcome> {
    try {
      return await this.attempt(force);
    } catch (error) {
      // IndexedDB failing, a bug: kept as the sync error, retried like a network failure.
      return this.fail(retry(`sync failed: ${error instanceof Error ? error.message : String(error)}`), 0);
    }
  }

  private async attempt(force: boolean): Promise<SyncOutcome> {
    const settings = await this.options.settings();
    if (settings.serverUrl === '') {
      this.disarmRetry();
      await setMeta(this.db, {
        [KEYS.failures]: undefined,
        [KEYS.retryAt]: undefined,
        [KEYS.lastSyncError]: undefined,
      });
      return { kind: 'off' };
    }
    if (!force) {
      const retryAt = Number((await getMeta(this.db, [KEYS.retryAt])).get(KEYS.retryAt) ?? 0);
      const wait = retryAt - this.clock();
      if (wait > 100) {
        this.armRetry(wait);
        return { kind: 'deferred', retryInMs: wait };
      }
    }
    this.disarmRetry();

    let pushed = 0;
    let firstRejection: string | undefined;
    const noteRefused = (refused: Refusal[]) => {
      if (refused.length === 0) return;
      firstRejection ??= `the server refused ${refused.length} event${refused.length === 1 ? '' : 's'}: ${refused[0]!.error}`;
    };
    let requests = 0;
    for (;;) {
      const credentials = await this.credentials(settings);
      if (!credentials.ok) return this.fail(credentials.outcome, pushed);
      const batch = await unsyncedBatch(this.db, this.batchSize);
      if (batch.length === 0 && requests === 0) await this.report(settings.serverUrl, credentials.value);
      requests++;
      if (batch.length === 0) {
        await setMeta(this.db, {
          [KEYS.failures]: undefined,
          [KEYS.retryAt]: undefined,
          [KEYS.lastSyncError]: firstRejection,
        });
        return { kind: 'synced', pushed };
      }
      const push = (events: StoredEvent[]) => this.push(settings.serverUrl, credentials.value, events);
      const result = await push(batch);

      if (result.kind === 'revoked') {
        await this.dropToken();
        continue; // enrolls again if a new code was entered, else stops there
      }
      if (result.kind === 'failed') return this.fail(result.failure, pushed);
      if (result.kind === 'too-large' && batch.length > 1) {
        this.batchSize = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      if (result.kind === 'too-large') {
        // One event too large for the server: nothing to split, and nothing to wait for.
        const refused = [{ id: batch[0]!.id, error: result.error, status: result.status }];
        await recordPushResult(this.db, { synced: [], rejected: refused }, this.clock());
        noteRefused(refused);
        continue;
      }
      if (result.kind === 'refused') {
        const error = `the server answered ${result.error}`;
        if (result.status >= 500 && (await this.countRefusal(batch[0]!.id)) < REFUSALS_BEFORE_SPLIT)
          return this.fail(retry(error), pushed);
        const split = await this.split(batch, result, push);
        pushed += split.pushed;
        noteRefused(split.refused);
        if (split.stop === 'revoked') {
          await this.dropToken();
          continue;
        }
        if (split.stop) return this.fail(split.stop, pushed);
        await this.synced(undefined);
        continue;
      }

      const recorded = await this.record(batch, result.answer);
      if (!recorded.ok) return this.fail(recorded.outcome, pushed);
      pushed += recorded.value.accepted;
      noteRefused(recorded.value.refused);
      await this.synced(result.answer.clockOffsetMs);
    }
  }

  /**
   * A sign of life when nothing waits, at most every `REPORT_EVERY_MS`: an empty push. Its failure
   * changes nothing (the next one comes), a revoked token shows at the next push of events.
   */
  private async report(serverUrl: string, token: string): Promise<void> {
    const last = Number((await getMeta(this.db, [KEYS.lastSyncAt])).get(KEYS.lastSyncAt) ?? 0);
    if (this.clock() - last < REPORT_EVERY_MS) return;
    const result = await this.push(serverUrl, token, []);
    if (result.kind === 'answer') await this.synced(result.answer.clockOffsetMs);
  }

  /** One push request, and what its answer means. */
  private async push(serverUrl: string, token: string, events: StoredEvent[]): Promise<PushResult> {
    const sentAt = new Date(this.clock()).toISOString();
    // What the device still has to send after this batch, reported for Admin → Devices.
    const waiting = Math.max(0, (await waitingCount(this.db)) - events.length);
    const version = this.options.version === undefined ? {} : { version: this.options.version };
    let response: Response;
    try {
      response = await this.fetch(`${serverUrl}/api/v1/events/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: events.map(toRecord), sentAt, waiting, ...version }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return { kind: 'failed', failure: retry(`could not reach the server: ${(error as Error).message}`) };
    }
    const { status } = response;
    if (status === 401) return { kind: 'revoked' };
    if (status === 413) return { kind: 'too-large', status, error: await errorText(response) };
    if ((status >= 400 && status < 500 && !NOT_ABOUT_THE_EVENTS.has(status)) || status === 500)
      return { kind: 'refused', status, error: await errorText(response) };
    if (!response.ok) {
      const error = `the server answered ${await errorText(response)}`;
      return { kind: 'failed', failure: retry(error, status === 429 ? retryAfterMs(response) : undefined) };
    }
    let answer: unknown;
    try {
      answer = await response.json();
    } catch (error) {
      return { kind: 'failed', failure: retry(`the server's answer was cut: ${(error as Error).message}`) };
    }
    if (!isPushAnswer(answer))
      return { kind: 'failed', failure: retry('the server answered a push with no result') };
    return { kind: 'answer', answer };
  }

  /**
   * Records a 200's result for the events sent: synced, and set aside those it refused one by
   * one. Fails when it acknowledged none of them (they would be sent again and again).
   */
  private async record(
    sent: StoredEvent[],
    answer: PushAnswer,
  ): Promise<Step<{ accepted: number; refused: Refusal[] }>> {
    // Only ids of this batch count: an answer cannot mark events that were not sent.
    const sentIds = new Set(sent.map((event) => event.id));
    const refused = answer.rejected.flatMap((entry) => {
      const id = sent[entry.index]?.id ?? entry.id;
      return id === undefined || !sentIds.has(id) ? [] : [{ id, error: String(entry.error), status: 200 }];
    });
    const synced = [...answer.accepted, ...answer.duplicates].filter((id) => sentIds.has(id));
    if (synced.length + refused.length === 0)
      return { ok: false, outcome: retry('the server acknowledged none of the events sent') };
    await recordPushResult(this.db, { synced, rejected: refused }, this.clock());
    return { ok: true, value: { accepted: answer.accepted.filter((id) => sentIds.has(id)).length, refused } };
  }

  /**
   * Finds the events of a refused batch that the server refuses alone, by pushing its halves, and
   * theirs, recursively: what a part's 200 takes is synced; a lone event refused (twice, for a
   * 500, which may pass) is set aside with the server's words and status.
   *
   * Only once the server took some event meanwhile, though: a server that refuses everything is
   * broken, not the events, and they wait for it (`stop`). Newer halves go first, since the event
   * that blocks a queue is its oldest; and at most `2·⌈log₂ n⌉ + 4` requests are refused before
   * one goes through, so a broken server gets a few requests per retry, not one per event. Stops
   * too at the first answer that is not about the events (a revoked token, the server gone),
   * which the caller handles as for a whole batch.
   */
  private async split(
    batch: StoredEvent[],
    refusal: { status: number; error: string },
    push: (events: StoredEvent[]) => Promise<PushResult>,
  ): Promise<{ pushed: number; refused: Refusal[]; stop?: Failure | 'revoked' }> {
    let pushed = 0;
    let acknowledged = 0;
    let fruitless = 0;
    const budget = 2 * Math.ceil(Math.log2(batch.length)) + 4;
    let stop: Failure | 'revoked' | undefined;
    /** Refused one by one in a part's 200: set aside already. */
    const perEvent: Refusal[] = [];
    /** Refused when sent alone. */
    const alone: Refusal[] = [];
    const send = async (events: StoredEvent[]): Promise<{ status: number; error: string } | undefined> => {
      const result = await push(events);
      if (result.kind === 'answer') {
        const recorded = await this.record(events, result.answer);
        if (!recorded.ok) stop = recorded.outcome;
        else {
          pushed += recorded.value.accepted;
          acknowledged += events.length;
          perEvent.push(...recorded.value.refused);
        }
        return undefined;
      }
      if (result.kind === 'revoked') stop = 'revoked';
      else if (result.kind === 'failed') stop = result.failure;
      else if (acknowledged === 0 && ++fruitless > budget)
        stop = retry(
          `the server answered ${result.error} (to every part of the batch tried; kept to send again)`,
        );
      else return result;
      return undefined;
    };
    const visit = async (events: StoredEvent[], known?: { status: number; error: string }): Promise<void> => {
      let refused = known ?? (await send(events));
      if (refused === undefined || stop) return;
      if (events.length === 1) {
        if (refused.status >= 500 && known === undefined) refused = await send(events);
        if (refused !== undefined && !stop)
          alone.push({ id: events[0]!.id, error: refused.error, status: refused.status });
        return;
      }
      const middle = Math.ceil(events.length / 2);
      await visit(events.slice(middle));
      if (!stop) await visit(events.slice(0, middle));
    };
    await visit(batch, refusal);
    if (acknowledged === 0 && !stop)
      stop = retry(`the server answered ${refusal.error} (to every part of the batch; kept to send again)`);
    const setAside = acknowledged > 0 ? alone : [];
    if (setAside.length > 0)
      await recordPushResult(this.db, { synced: [], rejected: setAside }, this.clock());
    return { pushed, refused: [...perEvent, ...setAside], ...(stop === undefined ? {} : { stop }) };
  }

  /** Counts a 500 for the batch starting with `head`: how many in a row, this one included. */
  private async countRefusal(head: string): Promise<number> {
    const meta = await getMeta(this.db, [KEYS.refusedHead, KEYS.refusals]);
    const count = meta.get(KEYS.refusedHead) === head ? Number(meta.get(KEYS.refusals) ?? 0) + 1 : 1;
    await setMeta(this.db, { [KEYS.refusedHead]: head, [KEYS.refusals]: count });
    return count;
  }

  /** A push went through: the backoff and the count of 500s are over. */
  private async synced(clockOffsetMs: number | undefined): Promise<void> {
    await setMeta(this.db, {
      [KEYS.lastSyncAt]: this.clock(),
      [KEYS.failures]: undefined,
      [KEYS.retryAt]: undefined,
      [KEYS.refusedHead]: undefined,
      [KEYS.refusals]: undefined,
      ...(typeof clockOffsetMs === 'number' ? { [KEYS.clockOffsetMs]: clockOffsetMs } : {}),
    });
  }

  /** 401: the token is no good any more; a new enrollment code is needed. */
  private async dropToken(): Promise<void> {
    await setMeta(this.db, {
      [KEYS.token]: undefined,
      [KEYS.deviceId]: undefined,
      [KEYS.serverUrl]: undefined,
      [KEYS.lastSyncError]: TOKEN_REFUSED,
    });
  }

  /** This browser's token for the server, enrolling with the code in the settings when needed. */
  private async credentials(settings: SyncSettings): Promise<Step<string>> {
    const meta = await getMeta(this.db, [KEYS.serverUrl, KEYS.token, KEYS.spentCode, KEYS.lastSyncError]);
    const token = meta.get(KEYS.token);
    if (token !== undefined && meta.get(KEYS.serverUrl) === settings.serverUrl)
      return { ok: true, value: String(token) };
    if (token !== undefined) {
      // Another server: this token means nothing there.
      await setMeta(this.db, {
        [KEYS.token]: undefined,
        [KEYS.deviceId]: undefined,
        [KEYS.serverUrl]: undefined,
      });
    }
    const code = settings.enrollmentCode.trim();
    if (code === '') return { ok: false, outcome: blocked(NOT_ENROLLED) };
    const spent = `${settings.serverUrl} ${code}`;
    if (meta.get(KEYS.spentCode) === spent) {
      // Used or refused already: the reason was recorded then (a refused code, a revoked token).
      const recorded = meta.get(KEYS.lastSyncError);
      return { ok: false, outcome: blocked(recorded === undefined ? ENROLLMENT_REFUSED : String(recorded)) };
    }

    let response: Response;
    try {
      response = await this.fetch(`${settings.serverUrl}/api/v1/devices/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceName: this.options.deviceName }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      return { ok: false, outcome: retry(`could not reach the server: ${(error as Error).message}`) };
    }
    if (response.status === 429 || response.status >= 500) {
      const error = `the server answered the enrollment ${await errorText(response)}`;
      return { ok: false, outcome: retry(error, retryAfterMs(response)) };
    }
    if (!response.ok) {
      const error =
        response.status === 403
          ? ENROLLMENT_REFUSED
          : `the server refused the enrollment code (${await errorText(response)})`;
      await setMeta(this.db, { [KEYS.spentCode]: spent });
      return { ok: false, outcome: blocked(error) };
    }
    const body = (await response.json().catch(() => ({}))) as Partial<Record<keyof EnrollAnswer, unknown>>;
    if (typeof body.token !== 'string' || body.token === '')
      return { ok: false, outcome: retry('the server answered the enrollment without a token') };
    const values: Record<string, MetaValue> = {
      [KEYS.serverUrl]: settings.serverUrl,
      [KEYS.token]: body.token,
      [KEYS.spentCode]: spent,
      [KEYS.enrolledAt]: this.clock(),
      [KEYS.deviceName]: this.options.deviceName,
    };
    if (typeof body.deviceId === 'string') values[KEYS.deviceId] = body.deviceId;
    await setMeta(this.db, values);
    return { ok: true, value: body.token };
  }

  /** Records a failure: a retry after the backoff, or a stop until the settings change. */
  private async fail(failure: Failure, pushed: number): Promise<SyncOutcome> {
    if (failure.kind === 'blocked') {
      await setMeta(this.db, {
        [KEYS.failures]: undefined,
        [KEYS.retryAt]: undefined,
        [KEYS.lastSyncError]: failure.error,
      });
      return { kind: 'blocked', pushed, error: failure.error };
    }
    const failures = Number((await getMeta(this.db, [KEYS.failures])).get(KEYS.failures) ?? 0) + 1;
    const retryInMs = Math.max(retryDelay(failures, this.random), failure.retryAfterMs ?? 0);
    await setMeta(this.db, {
      [KEYS.failures]: failures,
      [KEYS.retryAt]: this.clock() + retryInMs,
      [KEYS.lastSyncError]: failure.error,
    });
    this.armRetry(retryInMs);
    return { kind: 'retrying', pushed, retryInMs, error: failure.error };
  }

  private disarmRetry(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
  }

  private armRetry(ms: number): void {
    this.disarmRetry();
    this.cancelRetry = this.setTimer(() => {
      this.cancelRetry = undefined;
      void this.due();
    }, ms);
  }
}
