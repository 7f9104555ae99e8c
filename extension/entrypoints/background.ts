import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { compileChecker } from '../../shared/validation.ts';
import { AddressLookup } from '../capture/address.ts';
import { syncContentScripts } from '../capture/registration.ts';
import {
  type AnySignal,
  type CaptureAck,
  captureEnvelopeSchema,
  captureSignalSchema,
  isSyncNowMessage,
  recordSignalSchema,
} from '../capture/signals.ts';
import { CaptureDatabase, signalProblem, storeSignals } from '../capture/store.ts';
import { deviceNameOf, SyncEngine, type SyncOutcome } from '../capture/sync.ts';
import { WriteBatcher } from '../capture/write-batcher.ts';
import { loadSettings, onSettingsChanged, publishedSettings, publishSettings } from '../settings.ts';

/** A signal seen more than this far in the future, or older than this, is not a capture of ours. */
const MAX_CLOCK_AHEAD_MS = 5_000;
const MAX_AGE_MS = 7 * 24 * 3_600_000;
const ADDRESS_REFRESH_MINUTES = 5;
/** The outbox's safety net: a push attempt every minute (Chrome allows 30 s at the least). */
const SYNC_ALARM = 'sync';
const SYNC_MINUTES = 1;

const checkCaptureEnvelope = compileChecker(captureEnvelopeSchema);
const checkCaptureSignal = compileChecker(captureSignalSchema);
const checkRecordSignal = compileChecker(recordSignalSchema);
// A record signal's record is checked against its kind's schema by `signalProblem`.
const isCaptureSignal = (value: unknown): value is AnySignal =>
  checkCaptureSignal.check(value) || checkRecordSignal.check(value);

export default defineBackground({
  type: 'module',
  main() {
    const db = new CaptureDatabase();
    // This worker's own origin (chrome-extension://<id>/): where the extension's pages live.
    const ownPages = `${globalThis.location.origin}/`;
    const address = new AddressLookup();
    const batcher = new WriteBatcher((signals) => storeSignals(db, signals, { ip: address.ip }));
    // The published copy: reading the policy store again on every login would be slow.
    const refreshAddress = async () => address.refresh((await publishedSettings()).serverUrl);
    const sync = new SyncEngine({
      db,
      settings: loadSettings,
      deviceName: deviceNameOf(navigator as Navigator & { userAgentData?: { platform?: string } }),
      version: browser.runtime.getManifest().version,
    });

    // Registered synchronously on every start: a worker woken by a message must find its listener.
    browser.runtime.onMessage.addListener(
      (message: unknown, sender, sendResponse: (answer: CaptureAck | SyncOutcome) => void) => {
        // "Try again" on the popup, or the options page checking a new server or code (our own
        // pages, never a tab's content): answered with how the sync went.
        if (
          isSyncNowMessage(message) &&
          sender.id === browser.runtime.id &&
          sender.url?.startsWith(ownPages)
        ) {
          void sync.now().then(sendResponse);
          return true;
        }
        // Only our own content scripts, in a tab, with a well-formed envelope.
        if (sender.id !== browser.runtime.id || !sender.tab || !checkCaptureEnvelope.check(message))
          return false;
        // Then each signal alone: one malformed, impossibly timed or unstorable signal is refused
        // (the content script drops it) without holding back the good ones.
        const now = Date.now();
        const signals: AnySignal[] = [];
        const refused: string[] = [];
        for (const signal of (message as { signals: unknown[] }).signals) {
          const timely =
            isCaptureSignal(signal) &&
            signal.observedAt <= now + MAX_CLOCK_AHEAD_MS &&
            signal.observedAt >= now - MAX_AGE_MS;
          const problem = timely ? signalProblem(signal, { ip: address.ip }) : undefined;
          if (problem !== undefined) console.error(`pontual: captured signal refused: ${problem}`);
          if (timely && problem === undefined) signals.push(signal);
          else if (typeof (signal as { key?: unknown })?.key === 'string')
            refused.push((signal as { key: string }).key);
        }
        if (signals.some((signal) => signal.type === 'login')) void refreshAddress();
        batcher.add(signals).then(
          (stored) => {
            sendResponse({ stored, refused });
            if (stored.length > 0) sync.soon();
          },
          (error: unknown) => {
            console.error('pontual: could not store captured events', error);
            sendResponse({ stored: [], refused });
          },
        );
        return true;
      },
    );

    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === 'refresh-address') void refreshAddress();
      if (alarm.name === SYNC_ALARM) void sync.due();
    });
    // The network came back: push at once, whatever the backoff says.
    globalThis.addEventListener('online', () => void sync.now());
    browser.runtime.onInstalled.addListener(() => {
      void browser.alarms.create('refresh-address', { periodInMinutes: ADDRESS_REFRESH_MINUTES });
    });
    const applySettings = async () => {
      const settings = await publishSettings();
      await Promise.all([refreshAddress(), syncContentScripts(settings.adapter.matches)]);
    };
    onSettingsChanged(() => {
      void applySettings();
      void sync.now(); // a new server or enrollment code
    });
    browser.permissions.onAdded.addListener(() => void applySettings());
    void applySettings();
    // Alarms may not survive a browser restart; created only when missing, so its period holds.
    void browser.alarms.get(SYNC_ALARM).then((alarm) => {
      if (!alarm) return browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_MINUTES });
    });
    void sync.due();
  },
});
