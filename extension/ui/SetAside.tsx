import { useCallback, useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { CellFormatter } from '../../shared/format/cells.ts';
import type { Locale } from '../../shared/i18n.ts';
import { findKind } from '../../shared/records/registry.ts';
import { activityTypeLabel } from '../../shared/reports/activity.ts';
import { systemTimeZone, ZoneClock } from '../../shared/time/zone.ts';
import { SYNC_NOW_MESSAGE } from '../capture/signals.ts';
import {
  type CaptureDatabase,
  type CapturedRecord,
  retrySetAside,
  type StoredEvent,
  setAsideEvents,
  setAsideJsonLines,
} from '../capture/store.ts';
import { downloadText, exportFileName } from './download.ts';
import type { Messages } from './i18n.ts';
import { pageText } from './locale.ts';

/**
 * How often the list is reread. No Dexie liveQuery here: one more subscription on the options page
 * kept Chromium from reporting the service worker stopped (tests/e2e/capture.spec.ts).
 */
const REFRESH_MS = 3000;
/** Rows listed; the download has them all. */
const MAX_ROWS = 100;

const { locale, t } = pageText();
const formatter = new CellFormatter(locale, new ZoneClock(systemTimeZone()));

/** What an event was, as the agent knows it: "Login", "Break - Lunch", "Available"… */
export function eventKindText(event: CapturedRecord, locale: Locale, messages: Messages): string {
  switch (event.type) {
    // A ticket step or message read from the attendance screen: its kind, and the screen's ids.
    case 'ticket':
      return `${findKind('ticket').label[locale]} ${event.ticketId} · ${event.action}`;
    case 'message':
      return `${findKind('message').label[locale]} ${event.direction} ${event.messageId}`;
    case 'login':
    case 'logout':
      return activityTypeLabel({ kind: event.type, reason: undefined }, locale);
    case 'heartbeat':
      return messages.kindHeartbeat;
    case 'status':
      return event.status === 'break'
        ? activityTypeLabel({ kind: 'break', reason: event.reason }, locale)
        : messages.statusAvailable;
  }
}

function useSetAside(db: CaptureDatabase): {
  events: StoredEvent[] | undefined;
  reload: () => Promise<void>;
} {
  const [events, setEvents] = useState<StoredEvent[]>();
  const reload = useCallback(async () => setEvents(await setAsideEvents(db)), [db]);
  useEffect(() => {
    void reload().catch(() => {});
    const timer = setInterval(() => void reload().catch(() => {}), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  return { events, reload };
}

/**
 * The events the server refused (issue 9), in the popup and on the options page: how many, each
 * one's kind, time and the server's reason, a download for support and "Try again". Nothing is
 * shown while none is set aside.
 */
export function SetAsideSection({ db, className }: { db: CaptureDatabase; className?: string }) {
  const { events, reload } = useSetAside(db);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();

  if (events === undefined || (events.length === 0 && message === undefined)) return null;

  const onDownload = () => {
    const fileName = exportFileName(Date.now()).replace('pontual-events-', 'pontual-set-aside-');
    downloadText(setAsideJsonLines(events), fileName, 'application/x-ndjson');
    setMessage({ kind: 'ok', text: t.setAsideDownloaded(fileName) });
  };
  const onRetry = async () => {
    setBusy(true);
    try {
      const count = await retrySetAside(db);
      // The background pushes at once; were it not listening, its alarm comes within a minute.
      await browser.runtime.sendMessage(SYNC_NOW_MESSAGE).catch(() => {});
      setMessage({ kind: 'ok', text: t.setAsideRetried(count) });
      await reload();
    } catch (problem) {
      setMessage({
        kind: 'error',
        text: t.setAsideFailed(problem instanceof Error ? problem.message : String(problem)),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={`set-aside ${className ?? ''}`} aria-labelledby="set-aside-heading" id="set-aside">
      <h2 id="set-aside-heading">{t.setAsideHeading}</h2>
      {events.length > 0 && (
        <>
          <p className="callout error" id="set-aside-count" data-count={events.length}>
            {t.setAsideCount(events.length)}
          </p>
          <p className="muted small">{t.setAsideIntro}</p>
          <div className="rows-scroll">
            <table className="rows" id="set-aside-rows">
              <caption className="visually-hidden">{t.setAsideHeading}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.columnActivity}</th>
                  <th scope="col">{t.columnTime}</th>
                  <th scope="col">{t.columnReason}</th>
                </tr>
              </thead>
              <tbody>
                {events.slice(0, MAX_ROWS).map((event) => (
                  <tr key={event.id} data-id={event.id} data-status={event.syncStatus ?? ''}>
                    <td>
                      <span className="activity">{eventKindText(event, locale, t)}</span>
                    </td>
                    <td className="time">{formatter.format('datetime', Date.parse(event.at))}</td>
                    <td className="reason">{event.syncError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {events.length > MAX_ROWS && (
            <p className="muted small">{t.setAsideMore(events.length - MAX_ROWS)}</p>
          )}
        </>
      )}
      <div className="panel-actions">
        {events.length > 0 && (
          <>
            <button type="button" className="button secondary" id="set-aside-download" onClick={onDownload}>
              {t.setAsideDownload}
            </button>
            <button type="button" className="button" id="set-aside-retry" onClick={onRetry} disabled={busy}>
              {t.setAsideRetry}
            </button>
          </>
        )}
        <p
          id="set-aside-message"
          className={`message ${message?.kind ?? ''}`}
          role={message?.kind === 'error' ? 'alert' : 'status'}
        >
          {message?.text ?? ''}
        </p>
      </div>
    </section>
  );
}
