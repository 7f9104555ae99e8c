import type { AnySignal } from './signals.ts';

const WINDOW_MS = 15;
const MAX_SIGNALS = 500;

/**
 * Gathers signals from many messages into one IndexedDB transaction: a transaction costs far more
 * than a row, and a busy tab (or many tabs) sends many small messages. Each caller's promise
 * settles when its own signals are committed.
 */
export class WriteBatcher {
  private queue: {
    signals: AnySignal[];
    done: (keys: string[]) => void;
    fail: (error: unknown) => void;
  }[] = [];
  private queued = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly write: (signals: AnySignal[]) => Promise<string[]>) {}

  add(signals: AnySignal[]): Promise<string[]> {
    return new Promise((done, fail) => {
      this.queue.push({ signals, done, fail });
      this.queued += signals.length;
      if (this.queued >= MAX_SIGNALS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.queued = 0;
    // One write at a time, in order: the device's sequence numbers follow capture order.
    this.writing = this.writing.then(async () => {
      try {
        const stored = new Set(await this.write(batch.flatMap((entry) => entry.signals)));
        for (const entry of batch)
          entry.done(entry.signals.map((signal) => signal.key).filter((key) => stored.has(key)));
      } catch (error) {
        for (const entry of batch) entry.fail(error);
      }
    });
  }
}
