import { RECORD_KIND_NAMES, type RecordKindName } from '../../../shared/records/kind.ts';

/**
 * What the server's event stream announces (see `server/routes/stream.ts`): data arrived, the
 * shared report history or the team's shared models changed, or `resync` — announcements may have been missed, so both may
 * have changed.
 */
export type StreamKind = 'events' | 'report-jobs' | 'models' | 'resync';

const KINDS: readonly string[] = ['events', 'report-jobs', 'models', 'resync'] satisfies StreamKind[];
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 30_000;

export interface StreamOptions {
  /** The server's origin; `''` for the page's own. */
  server: string;
  token: string;
  /** `kinds`: for `events`, the kinds of record that arrived when the server says (else any). */
  onChange(kind: StreamKind, kinds?: RecordKindName[]): void;
  onConnected(connected: boolean): void;
}

/** The `kinds` of an announcement's data (`{"kind":"events","kinds":["message_status"]}`), if any. */
function recordKindsIn(block: string): RecordKindName[] | undefined {
  const data = /^data: (.+)$/m.exec(block)?.[1];
  if (data === undefined) return undefined;
  try {
    const kinds = (JSON.parse(data) as { kinds?: unknown }).kinds;
    if (!Array.isArray(kinds)) return undefined;
    const known = kinds.filter((kind): kind is RecordKindName => RECORD_KIND_NAMES.includes(kind));
    // A kind this version does not know: pull everything rather than miss it.
    return known.length === kinds.length ? known : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Follows `GET /api/v1/stream` (server-sent events) with the session's token, which
 * `EventSource` cannot send; reconnects with backoff. Whatever was announced while it was cut off
 * is lost, so a reconnection is a `resync` too. Returns a function that stops it.
 */
export function followStream({ server, token, onChange, onConnected }: StreamOptions): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let retryMs = RETRY_MIN_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let connectedBefore = false;

  const connect = async () => {
    controller = new AbortController();
    try {
      const response = await fetch(`${server}/api/v1/stream`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      onConnected(true);
      if (connectedBefore) onChange('resync');
      // The first connection only (User Timing, read by bench/pwa-sync.ts).
      else performance.mark('pontual:stream-connected');
      connectedBefore = true;
      retryMs = RETRY_MIN_MS;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const kind = /^event: (.+)$/m.exec(block)?.[1];
          if (kind !== undefined && KINDS.includes(kind)) onChange(kind as StreamKind, recordKindsIn(block));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Offline, the server restarting, or stopped on purpose: retry below unless stopped.
    }
    onConnected(false);
    if (!stopped) {
      timer = setTimeout(connect, retryMs);
      retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
    }
  };
  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller?.abort();
  };
}
