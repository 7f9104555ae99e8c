import type { PullPage, PushAnswer } from '../shared/api/events.ts';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { agentsOf, type LocalStore, rememberAgents, toChunk } from './local-store.ts';

/** Events per pull page: one page becomes one chunk of the local store. */
export const PULL_PAGE = 5_000;
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
    text = await response.text();
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
  return body as T;
}

/**
 * Brings the local copy up to date: pushes imported events, then pulls every page after the
 * stored cursor. Each page is stored with its cursor in one transaction, so an interrupted sync
 * resumes where it stopped and never stores a page twice.
 */
export async function syncStore(
  store: LocalStore,
  connection: SyncConnection,
  onPage?: (pulled: number) => void,
): Promise<SyncSummary> {
  const summary: SyncSummary = { pulled: 0, pushed: 0, rejected: [] };
  const pushed = await pushPending(store, connection, summary);
  for (;;) {
    const cursor = String((await store.meta.get('cursor'))?.value ?? '0');
    const page = await apiRequest<PullPage<ActivityEvent>>(
      connection,
      `/api/v1/events/pull?limit=${PULL_PAGE}&cursor=${encodeURIComponent(cursor)}`,
    );
    const syncedAt = Date.now();
    await store.transaction('rw', store.chunks, store.agents, store.meta, async () => {
      if (page.events.length > 0) {
        await store.chunks.add(toChunk(page.events));
        await rememberAgents(store, agentsOf(page.events));
        const before = Number((await store.meta.get('eventCount'))?.value ?? 0);
        await store.meta.put({ key: 'eventCount', value: before + page.events.length });
      }
      await store.meta.put({ key: 'cursor', value: page.cursor });
      if (!page.hasMore) await store.meta.put({ key: 'syncedAt', value: syncedAt });
    });
    summary.pulled += page.events.length;
    onPage?.(summary.pulled);
    if (!page.hasMore) {
      // Only now are the pushed events in the chunks: until then reports read them from pending.
      await store.pending.bulkDelete(pushed);
      summary.syncedAt = syncedAt;
      return summary;
    }
  }
}

/**
 * Pushes the imported chunks; returns those the server now has whole. They are deleted once the
 * pull has brought them back; if the pull fails first, the next sync pushes them again
 * (idempotent: the server answers duplicates).
 */
async function pushPending(
  store: LocalStore,
  connection: SyncConnection,
  summary: SyncSummary,
): Promise<number[]> {
  const pushed: number[] = [];
  for (const key of await store.pending.toCollection().primaryKeys()) {
    const chunk = await store.pending.get(key);
    if (!chunk) continue;
    const events = JSON.parse(chunk.text) as ActivityEvent[];
    for (let start = 0; start < events.length; start += PUSH_PAGE) {
      const answer = await apiRequest<PushAnswer>(connection, '/api/v1/events/import', {
        body: { events: events.slice(start, start + PUSH_PAGE) },
      });
      summary.pushed += answer.accepted.length;
      summary.rejected.push(...answer.rejected.slice(0, 20 - summary.rejected.length));
    }
    // Rejected ones were checked with the same rules on import, so they are the server's to
    // explain, not to keep retrying.
    pushed.push(key);
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
