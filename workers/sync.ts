import { MAX_PULL_LIMIT, type PullPage, type PushAnswer } from '../shared/api/events.ts';
import { RECORD_KIND_NAMES, type RecordKindName } from '../shared/records/kind.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import {
  addChunk,
  cursorOf,
  dropExpired,
  type LocalStore,
  type PendingChunk,
  setCursor,
  storeTables,
} from './local-store.ts';

/** Events per pull page, the most the server gives: one page becomes one chunk of the local store. */
export const PULL_PAGE = MAX_PULL_LIMIT;
/** Events per import push (the server's limit is 1,000). */
export const PUSH_PAGE = 1_000;

export interface SyncConnection {
  /** The server's origin, e.g. `https://pontual.example.com`; empty for the page's own. */
  server: string;
  token: string;
}

export interface SyncSummary {
  pulled: number;
  pushed: number;
  /** Imported events the server refused, with why (first few). */
  rejected: { id?: string; error: string }[];
  /** When the local copy was last complete with the server, epoch ms. */
  syncedAt?: number;
}

/** The server said no; `status` 0 means it could not be reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is (a report file). */
  raw?: Blob;
  /** Adds to the parsed answer what it needs of the answer's text (a pull page's events as sent). */
  keepText?: (body: unknown, text: string) => unknown;
}

/**
 * A User Timing mark of the sync's progress (`pontual:…`), seen in DevTools' performance panel
 * and read by the bench (bench/pwa-sync.ts) to tell where the time before the first stored page
 * goes. Only the first sync of each store in this worker is marked (the one after sign-in or
 * opening the app), and in it only the first page of each kind, so that a long-lived worker
 * does not gather marks.
 */
export function syncMark(name: string): void {
  performance.mark(`pontual:${name}`);
}

/** The stores whose first sync was marked already. */
const marked = new Set<string>();

/**
 * How often, at most, a sync's progress is told to the page (≤ 4 a second): each notice
 * re-renders the page's header, and a fast pull stores several pages a second.
 */
export const PROGRESS_EVERY_MS = 250;

/** `tell`, passed on at most once per `everyMs` (by `now`, epoch ms); the calls between are dropped. */
export function throttled(
  tell: (value: number) => void,
  everyMs: number,
  now: () => number = Date.now,
): (value: number) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (value) => {
    const at = now();
    if (at - last < everyMs) return;
    last = at;
    tell(value);
  };
}

/** A pull page, with its events' JSON text as the server sent it (when it could be cut out). */
type PulledPage = PullPage & { eventsText?: string };

/**
 * The events array of a pull page, cut out of the answer's text rather than written out again by
 * `JSON.stringify`: the server writes the page as `{"events":[…],"cursor":"…","hasMore":…}`
 * (server/routes/events.ts). When the text is not in that exact shape, nothing is cut out and the
 * chunk is written from the parsed events.
 */
export function eventsTextOf(page: PullPage, text: string): PulledPage {
  const head = '{"events":';
  const tail = `,"cursor":${JSON.stringify(page.cursor)},"hasMore":${page.hasMore}}`;
  if (!text.startsWith(head) || !text.endsWith(tail)) return page;
  return { ...page, eventsText: text.slice(head.length, text.length - tail.length) };
}

/**
 * One call to the API, for the workers and the page alike: JSON in and out, the token as a
 * bearer, every failure an `ApiError` with the status (0 when the server cannot be reached).
 */
export async function apiRequest<T>(
  connection: SyncConnection,
  path: string,
  request: ApiRequest = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${connection.server}${path}`, {
      method: request.method ?? (request.body === undefined && request.raw === undefined ? 'GET' : 'POST'),
      headers: {
        ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}),
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(request.raw === undefined ? {} : { 'content-type': 'application/octet-stream' }),
      },
      body: request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
    });
  } catch {
    throw new ApiError('the server cannot be reached (offline?)', 0);
  }
  let text: string;
  try {
    // Through a Blob rather than `response.text()`: in Chromium the body then gathers in the
    // browser process and comes across in one piece, where `text()` reads the network's pipe in
    // small pieces on this thread. For a pull page of megabytes this took the data worker about
    // a third of the CPU (docs/pwa.md "Where the pull's time goes").
    text = await (await response.blob()).text();
  } catch {
    throw new ApiError('the connection to the server dropped (offline?)', 0);
  }
  let body: T & { error?: string };
  try {
    body = (text === '' ? {} : JSON.parse(text)) as T & { error?: string };
  } catch {
    // Not the API answering (a proxy's error page, a captive portal, a wrong address).
    throw new ApiError(
      response.ok
        ? 'the server’s answer is not understood (is the address right?)'
        : `the server answered ${response.status}`,
      response.status,
    );
  }
  if (!response.ok) {
    throw new ApiError(
      (body as { error?: string }).error ?? `the server answered ${response.status}`,
      response.status,
    );
  }
  return (request.keepText ? request.keepText(body, text) : body) as T;
}

export interface SyncOptions {
  /**
   * The kinds to pull (those the stream announced); every kind when not given. Kinds with
   * imported records waiting are pulled too, so that their pending chunks can go.
   */
  kinds?: readonly RecordKindName[];
  /** The clock for retention, epoch ms (tests); `Date.now()` when not given. */
  now?: number;
}

/**
 * Brings the local copy up to date: pushes imported records, then, kind by kind, pulls every
 * page after that kind's cursor (the pull scope `kinds=<kind>`). Each page is stored with its
 * cursor in one transaction, so an interrupted sync resumes where it stopped and never stores a
 * page twice. Records older than their kind's `keepLocallyDays` are then dropped.
 */
export async function syncStore(
  store: LocalStore,
  connection: SyncConnection,
  onPage?: (pulled: number) => void,
  options: SyncOptions = {},
): Promise<SyncSummary> {
  const summary: SyncSummary = { pulled: 0, pushed: 0, rejected: [] };
  const mark = marked.has(store.name) ? () => undefined : syncMark;
  marked.add(store.name);
  mark('pull-start');
  const pushed = await pushPending(store, connection, summary);
  const kinds = RECORD_KIND_NAMES.filter(
    (kind) => !options.kinds || options.kinds.includes(kind) || pushed.some((chunk) => chunk.kind === kind),
  );
  // The kinds are pulled side by side (each its own scope and cursor, its pages in order): a pull
  // is mostly waiting for the server and the network, and two kinds wait at once. Every kind's
  // loop is let finish (stored pages are consistent with their cursors) before a failure is told,
  // so that no loop outlives this sync and races the next one.
  const pulled = await Promise.allSettled(
    kinds.map((kind) => pullKind(store, connection, kind, summary, onPage, mark)),
  );
  const failed = pulled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  // Complete as of the kind whose last page came first.
  const syncedAt = Math.min(
    Date.now(),
    ...pulled.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : Date.now())),
  );
  // Only now are the pushed records in the chunks: until then reports read them from pending.
  await store.transaction('rw', store.pending, store.pendingRecords, store.meta, async () => {
    await store.pending.bulkDelete(
      pushed.filter((chunk) => chunk.kind === 'activity').map((chunk) => chunk.n),
    );
    await store.pendingRecords.bulkDelete(
      pushed.filter((chunk) => chunk.kind !== 'activity').map((chunk) => chunk.n),
    );
    await store.meta.put({ key: 'syncedAt', value: syncedAt });
  });
  await dropExpired(store, options.now ?? Date.now());
  summary.syncedAt = syncedAt;
  return summary;
}

/**
 * Pulls every page of one kind after its cursor, each stored with its cursor in one transaction;
 * returns when the last page was asked for (the local copy of this kind is complete as of then).
 */
async function pullKind(
  store: LocalStore,
  connection: SyncConnection,
  kind: RecordKindName,
  summary: SyncSummary,
  onPage: ((pulled: number) => void) | undefined,
  mark: (name: string) => void,
): Promise<number> {
  const pull = (cursor: string) =>
    apiRequest<PulledPage>(
      connection,
      `/api/v1/events/pull?kinds=${kind}&limit=${PULL_PAGE}&cursor=${encodeURIComponent(cursor)}`,
      { keepText: (body, text) => eventsTextOf(body as PullPage, text) },
    );
  let syncedAt = Date.now();
  let first = true;
  const cursor = await cursorOf(store, kind);
  mark(`pull-sent:${kind}`);
  let next = pull(cursor);
  for (;;) {
    const page = await next;
    syncedAt = Date.now();
    if (first) mark(`pull-answered:${kind}`);
    // The next page is asked for while this one is stored: the server's time and ours overlap.
    // Pages are still stored in order, each with its own cursor.
    if (page.hasMore) {
      next = pull(page.cursor);
      next.catch(() => undefined); // awaited next turn; a failure while storing this one wins
    }
    await store.transaction('rw', storeTables(store), async () => {
      await addChunk(store, kind, page.events, page.eventsText);
      await setCursor(store, kind, page.cursor);
    });
    if (first) mark(`pull-stored:${kind}`);
    first = false;
    summary.pulled += page.events.length;
    if (page.events.length > 0) onPage?.(summary.pulled);
    if (!page.hasMore) {
      mark(`pull-done:${kind}`);
      return syncedAt;
    }
  }
}

/** A pending chunk the server now has whole. */
interface PushedChunk {
  kind: RecordKindName;
  n: number;
}

/**
 * Pushes the imported chunks of every kind; returns those the server now has whole. They are
 * deleted once the pull has brought them back; if the pull fails first, the next sync pushes
 * them again (idempotent: the server answers duplicates).
 */
async function pushPending(
  store: LocalStore,
  connection: SyncConnection,
  summary: SyncSummary,
): Promise<PushedChunk[]> {
  const pushed: PushedChunk[] = [];
  const waiting: { kind: RecordKindName; n: number; read: () => Promise<PendingChunk | undefined> }[] = [
    ...(await store.pending.toCollection().primaryKeys()).map((n) => ({
      kind: 'activity' as const,
      n,
      read: () => store.pending.get(n),
    })),
    ...(await store.pendingRecords.toArray()).map((chunk) => ({
      kind: chunk.kind,
      n: chunk.n!,
      read: () => store.pendingRecords.get(chunk.n!),
    })),
  ];
  for (const { kind, n, read } of waiting) {
    const chunk = await read();
    if (!chunk) continue;
    const records = JSON.parse(chunk.text) as AnyRecord[];
    for (let start = 0; start < records.length; start += PUSH_PAGE) {
      const answer = await apiRequest<PushAnswer>(connection, '/api/v1/events/import', {
        body: { events: records.slice(start, start + PUSH_PAGE) },
      });
      summary.pushed += answer.accepted.length;
      summary.rejected.push(...answer.rejected.slice(0, 20 - summary.rejected.length));
    }
    // Rejected ones were checked with the same rules on import, so they are the server's to
    // explain, not to keep retrying.
    pushed.push({ kind, n });
  }
  return pushed;
}

/**
 * One run at a time per key. Requests while one runs are all served by a single run after it:
 * the server's stream announces every push, and a busy tenant pushes many times a second.
 */
export class CoalescingQueue<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly waiting = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const queued = this.waiting.get(key);
    if (queued) return queued;
    const before = this.running.get(key) ?? Promise.resolve();
    const next = before
      .catch(() => undefined)
      .then(() => {
        this.waiting.delete(key);
        return task();
      });
    this.waiting.set(key, next);
    this.running.set(key, next);
    return next;
  }
}
