import {
  type CaptureDatabase,
  getMeta,
  type MetaValue,
  recordPushResult,
  setMeta,
  toActivityEvent,
  unsyncedBatch,
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
 *   measure of this device's clock.
 */

/** Events per push (the server takes at most 1000). */
export const BATCH_SIZE = 500;
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 5 * 60_000;
/** New events are pushed this long after the first of them, so a busy moment makes one push. */
export const DEBOUNCE_MS = 2_000;
const REQUEST_TIMEOUT_MS = 30_000;

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

/** A name for this browser in the server's device list, e.g. "Pontual on Windows". */
export function deviceNameOf(nav: { platform?: string; userAgentData?: { platform?: string } }): string {
  const platform = nav.userAgentData?.platform || nav.platform || 'unknown system';
  return `Pontual on ${platform}`.slice(0, 200);
}

type Step<T> = { ok: true; value: T } | { ok: false; outcome: Failure };
type Failure = { kind: 'retry'; error: string; retryAfterMs?: number } | { kind: 'blocked'; error: string };

const retry = (error: string, retryAfterMs?: number): Failure => ({ kind: 'retry', error, retryAfterMs });
const blocked = (error: string): Failure => ({ kind: 'blocked', error });

interface PushAnswer {
  accepted: string[];
  duplicates: string[];
  rejected: { index: number; id?: string; error: string }[];
  clockOffsetMs?: number;
}

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
    for (;;) {
      const credentials = await this.credentials(settings);
      if (!credentials.ok) return this.fail(credentials.outcome, pushed);
      const batch = await unsyncedBatch(this.db, this.batchSize);
      if (batch.length === 0) {
        await setMeta(this.db, {
          [KEYS.failures]: undefined,
          [KEYS.retryAt]: undefined,
          [KEYS.lastSyncError]: firstRejection,
        });
        return { kind: 'synced', pushed };
      }
      const sentAt = new Date(this.clock()).toISOString();
      let response: Response;
      try {
        response = await this.fetch(`${settings.serverUrl}/api/v1/events/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${credentials.value}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: batch.map(toActivityEvent), sentAt }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        return this.fail(retry(`could not reach the server: ${(error as Error).message}`), pushed);
      }

      if (response.status === 401) {
        await setMeta(this.db, {
          [KEYS.token]: undefined,
          [KEYS.deviceId]: undefined,
          [KEYS.serverUrl]: undefined,
          [KEYS.lastSyncError]: TOKEN_REFUSED,
        });
        continue; // enrolls again if a new code was entered, else stops there
      }
      if (response.status === 413) {
        if (batch.length > 1) {
          this.batchSize = Math.max(1, Math.floor(batch.length / 2));
          continue;
        }
        const error = await errorText(response);
        await recordPushResult(this.db, { synced: [], rejected: [{ id: batch[0]!.id, error }] });
        firstRejection ??= `the server refused an event: ${error}`;
        continue;
      }
      if (!response.ok) {
        const error = `the server answered ${await errorText(response)}`;
        return this.fail(retry(error, response.status === 429 ? retryAfterMs(response) : undefined), pushed);
      }

      let answer: unknown;
      try {
        answer = await response.json();
      } catch (error) {
        return this.fail(retry(`the server's answer was cut: ${(error as Error).message}`), pushed);
      }
      if (!isPushAnswer(answer)) return this.fail(retry('the server answered a push with no result'), pushed);
      // Only ids of this batch count: an answer cannot mark events that were not sent.
      const sentIds = new Set(batch.map((event) => event.id));
      const rejected = answer.rejected.flatMap((entry) => {
        const id = batch[entry.index]?.id ?? entry.id;
        return id === undefined || !sentIds.has(id) ? [] : [{ id, error: String(entry.error) }];
      });
      const synced = [...answer.accepted, ...answer.duplicates].filter((id) => sentIds.has(id));
      // A server that acknowledged none of a batch would have it sent again and again.
      if (synced.length + rejected.length === 0)
        return this.fail(retry('the server acknowledged none of the events sent'), pushed);
      await recordPushResult(this.db, { synced, rejected });
      if (rejected.length > 0) {
        const first = rejected[0]!.error;
        firstRejection ??= `the server refused ${rejected.length} event${rejected.length === 1 ? '' : 's'}: ${first}`;
      }
      pushed += answer.accepted.filter((id) => sentIds.has(id)).length;
      await setMeta(this.db, {
        [KEYS.lastSyncAt]: this.clock(),
        [KEYS.failures]: undefined,
        [KEYS.retryAt]: undefined,
        ...(typeof answer.clockOffsetMs === 'number' ? { [KEYS.clockOffsetMs]: answer.clockOffsetMs } : {}),
      });
    }
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
    const body = (await response.json().catch(() => ({}))) as { deviceId?: unknown; token?: unknown };
    if (typeof body.token !== 'string' || body.token === '')
      return { ok: false, outcome: retry('the server answered the enrollment without a token') };
    const values: Record<string, MetaValue> = {
      [KEYS.serverUrl]: settings.serverUrl,
      [KEYS.token]: body.token,
      [KEYS.spentCode]: spent,
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
