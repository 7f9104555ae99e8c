import type { AnySignal, CaptureAck, CaptureMessage } from './signals.ts';

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 2_000;
const MAX_BATCH = 200;
/**
 * A send the background never answers (a worker stopped while it handled the message) would hold
 * the queue forever. Past this it counts as failed and is sent again: the keys make a resend of
 * what was in fact stored harmless.
 */
const ANSWER_DEADLINE_MS = 5_000;

/**
 * Holds every captured signal until the background says it is stored. The background service
 * worker may be asleep, starting or killed at any moment: a failed send is retried with backoff,
 * and a resend of a signal that was in fact stored is recognised by its key.
 */
export class SignalDelivery {
  private pending: AnySignal[] = [];
  private sending = false;
  private retryMs = FIRST_RETRY_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: (message: CaptureMessage) => Promise<CaptureAck | undefined>) {}

  get waiting(): number {
    return this.pending.length;
  }

  push(signal: AnySignal): void {
    this.pending.push(signal);
    queueMicrotask(() => void this.flush());
  }

  async flush(): Promise<void> {
    if (this.sending || this.pending.length === 0) return;
    this.sending = true;
    clearTimeout(this.timer);
    const batch = this.pending.slice(0, MAX_BATCH);
    try {
      const ack = await answerWithin(
        this.send({ type: 'pontual/capture', signals: batch }),
        ANSWER_DEADLINE_MS,
      );
      if (!ack || !Array.isArray(ack.stored)) throw new Error('no acknowledgement');
      const done = new Set([...ack.stored, ...(ack.refused ?? [])]);
      const before = this.pending.length;
      this.pending = this.pending.filter((signal) => !done.has(signal.key));
      // An answer that settles nothing is a failure too: back off rather than ask again at once.
      if (this.pending.length === before) throw new Error('nothing acknowledged');
      this.retryMs = FIRST_RETRY_MS;
    } catch {
      this.timer = setTimeout(() => void this.flush(), this.retryMs);
      this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
      return;
    } finally {
      this.sending = false;
    }
    if (this.pending.length > 0) void this.flush();
  }
}

function answerWithin<T>(answer: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}
