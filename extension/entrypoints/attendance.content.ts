import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import { referenceAdapter } from '../adapters/reference.ts';
import { CHANNEL_EVENTS, openPrivateChannel, splitDetail } from '../capture/channel.ts';
import { SignalDelivery } from '../capture/delivery.ts';
import { PageCapture } from '../capture/page-capture.ts';
import type { CaptureAck } from '../capture/signals.ts';
import { publishedSettings } from '../settings.ts';

/** What the hook reported, and when it arrived (reading the settings may take seconds). */
type HookReport = { type: string; detail: unknown; at: number };

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The isolated half of capture: reads the platform's signals and hands events to the background. */
export default defineContentScript({
  matches: referenceAdapter.defaults.matches,
  runAt: 'document_start',
  async main() {
    const channel = openPrivateChannel();
    const early: HookReport[] = [];
    const collect = (event: Event) =>
      early.push({ type: event.type, detail: (event as CustomEvent).detail, at: Date.now() });
    for (const type of Object.values(CHANNEL_EVENTS)) channel.addEventListener(type, collect);

    const settings = (await publishedSettings()).adapter;
    for (const type of Object.values(CHANNEL_EVENTS)) channel.removeEventListener(type, collect);
    if (!settings.matches.some((pattern) => new MatchPattern(pattern).includes(location.href))) return;

    const delivery = new SignalDelivery(
      (message) => browser.runtime.sendMessage(message) as Promise<CaptureAck>,
    );
    const navigation = performance.getEntriesByType('navigation')[0] as
      | PerformanceNavigationTiming
      | undefined;
    // The time is the extension's: the isolated world's clock, which no page script can touch,
    // read when the signal arrived.
    let observedAt = Date.now();
    const capture = new PageCapture({
      navigationType: navigation?.type ?? 'navigate',
      newSessionId: () => uuidv7(),
      emit: (signal) => delivery.push({ ...signal, key: randomKey(), observedAt }),
      // A record's key is its id, derived from the screen's ids of the fact: a replay is one record.
      emitRecord: (record) => delivery.push({ key: record.id, observedAt, type: 'record', record }),
      ignored: (reason) => console.warn(`pontual: frame not recorded: ${reason}`),
    });

    const socketPattern = new RegExp(settings.socketUrl);
    const watched = new Set<number>();
    const handle = ({ type, detail, at }: HookReport) => {
      observedAt = at;
      const parts = splitDetail(detail);
      if (!parts) return;
      const [socket, payload] = parts;
      if (type === CHANNEL_EVENTS.open) {
        if (socketPattern.test(payload)) watched.add(socket);
      } else if (watched.has(socket)) {
        if (type === CHANNEL_EVENTS.message) {
          const signal = referenceAdapter.readFrame(payload, settings);
          if (signal) capture.onPlatformSignal(signal);
        } else {
          watched.delete(socket);
          capture.onSocketClosed();
        }
      }
    };
    for (const report of early) handle(report);
    for (const type of Object.values(CHANNEL_EVENTS)) {
      channel.addEventListener(type, (event) =>
        handle({ type, detail: (event as CustomEvent).detail, at: Date.now() }),
      );
    }

    watchNetwork(() => {
      observedAt = Date.now();
      capture.onNetworkChange();
    });
    setInterval(() => {
      observedAt = Date.now();
      capture.onHeartbeatTick();
    }, settings.heartbeatSeconds * 1000);
    addEventListener('pagehide', () => void delivery.flush());
  },
});

interface NetworkInformationLike extends EventTarget {
  type?: string;
  effectiveType?: string;
}

/**
 * Calls back when the kind of network changes (Wi-Fi to cable, to mobile…). The connection's
 * speed estimates also fire `change` as they drift, so only a new type counts.
 */
function watchNetwork(onChange: () => void): void {
  const connection = (navigator as Navigator & { connection?: NetworkInformationLike }).connection;
  if (!connection) return;
  const kind = () => `${connection.type ?? ''}/${connection.effectiveType ?? ''}`;
  let last = kind();
  connection.addEventListener('change', () => {
    const now = kind();
    if (now === last || !navigator.onLine) return;
    last = now;
    onChange();
  });
}
