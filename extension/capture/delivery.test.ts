import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalDelivery } from './delivery.ts';
import type { CaptureAck, CaptureMessage, CaptureSignal } from './signals.ts';

const signal = (key: string): CaptureSignal => ({
  key: `key-${key}-0000`,
  observedAt: 1,
  type: 'heartbeat',
  agentId: 'ana',
  agentName: 'Ana',
  sessionId: 's',
});

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SignalDelivery', () => {
  it('holds signals until acknowledged, retrying with backoff while the background is away', async () => {
    const calls: number[] = [];
    let up = false;
    const delivery = new SignalDelivery(async (message: CaptureMessage): Promise<CaptureAck> => {
      calls.push(Date.now());
      if (!up) throw new Error('Could not establish connection. Receiving end does not exist.');
      return { stored: message.signals.map((s) => s.key) };
    });
    delivery.push(signal('a'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(delivery.waiting).toBe(1);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    expect(gaps.slice(0, 3)).toEqual([100, 200, 400]);
    up = true;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(delivery.waiting).toBe(0);
  });

  it('drops what the background refuses, and backs off when an answer settles nothing', async () => {
    let calls = 0;
    const delivery = new SignalDelivery(async (message): Promise<CaptureAck> => {
      calls++;
      const [first, ...rest] = message.signals;
      return first?.key === 'key-bad-0000'
        ? { stored: rest.map((s) => s.key), refused: [first.key] }
        : { stored: [] };
    });
    delivery.push(signal('bad'));
    delivery.push(signal('ok'));
    await vi.advanceTimersByTimeAsync(10);
    expect(delivery.waiting).toBe(0);

    calls = 0;
    delivery.push(signal('never'));
    await vi.advanceTimersByTimeAsync(1_000);
    // Without the backoff this would be thousands of calls.
    expect(calls).toBeLessThan(6);
    expect(delivery.waiting).toBe(1);
  });

  it('sends again when the background never answers (a message lost with a stopping worker)', async () => {
    let calls = 0;
    const delivery = new SignalDelivery((message): Promise<CaptureAck> => {
      calls++;
      // The first message is swallowed: neither answered nor refused.
      if (calls === 1) return new Promise(() => {});
      return Promise.resolve({ stored: message.signals.map((s) => s.key) });
    });
    delivery.push(signal('a'));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(delivery.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(calls).toBe(2);
    expect(delivery.waiting).toBe(0);
  });
});
