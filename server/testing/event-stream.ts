/** A supervisor's `GET /api/v1/stream`, read the way the server sends it. */
export interface EventStream {
  /** The kinds of the events received so far, in order (`events`, `report-jobs`, `resync`). */
  readonly kinds: readonly string[];
  /** The data of each event received, parsed, at the same index as its kind. */
  readonly data: readonly unknown[];
  /** Whether the server ended the stream (or the connection broke). */
  readonly ended: boolean;
  /**
   * Resolves when an event of `kind` is at index `from` or later of {@link kinds}: take
   * `kinds.length` before acting, so that only what the action caused counts. Rejects if the
   * stream ends first.
   */
  waitFor(kind: string, from?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  untilEnded(): Promise<void>;
  close(): void;
}

/** Opens the stream and resolves once the server said it is listening (its opening comment). */
export async function openEventStream(serverUrl: string, token: string): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(`${serverUrl}/api/v1/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body)
    throw new Error(`the stream answered ${response.status}: ${await response.text()}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const kinds: string[] = [];
  const data: unknown[] = [];
  let ended = false;
  const waiters = new Set<() => void>();
  const settle = () => {
    for (const waiter of waiters) waiter();
  };

  let buffer = '';
  const readBlock = async (): Promise<string | undefined> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return block;
      }
      const { done, value } = await reader.read();
      if (done) return undefined;
      buffer += value;
    }
  };
  if (!(await readBlock())?.startsWith(': connected'))
    throw new Error('the stream did not open with its ": connected" comment');
  void (async () => {
    try {
      for (let block = await readBlock(); block !== undefined; block = await readBlock()) {
        const kind = /^event: (.+)$/m.exec(block)?.[1];
        if (kind !== undefined) {
          kinds.push(kind);
          const text = /^data: (.+)$/m.exec(block)?.[1];
          data.push(text === undefined ? undefined : JSON.parse(text));
        }
        settle();
      }
    } catch {
      // aborted by close(), or the connection broke: ended either way
    }
    ended = true;
    settle();
  })();

  const when = (done: () => boolean, failed: () => string | undefined) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        const failure = failed();
        if (done()) resolve();
        else if (failure !== undefined) reject(new Error(failure));
        else return;
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    kinds,
    data,
    get ended() {
      return ended;
    },
    waitFor: (kind, from = 0) =>
      when(
        () => kinds.indexOf(kind, from) >= 0,
        () =>
          ended ? `the stream ended before a "${kind}" event (received: ${kinds.join(', ')})` : undefined,
      ),
    untilEnded: () =>
      when(
        () => ended,
        () => undefined,
      ),
    close: () => controller.abort(),
  };
}
