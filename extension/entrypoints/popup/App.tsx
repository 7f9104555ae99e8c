import { liveQuery } from 'dexie';
import { useEffect, useMemo, useState } from 'react';
import { browser } from 'wxt/browser';
import type { ActivityEvent } from '../../../shared/events/schema.ts';
import { CellFormatter } from '../../../shared/format/cells.ts';
import type { Locale } from '../../../shared/i18n.ts';
import { activityTypeLabel } from '../../../shared/reports/activity.ts';
import { systemTimeZone, ZoneClock } from '../../../shared/time/zone.ts';
import {
  CaptureDatabase,
  eventsSince,
  type SyncState,
  syncState,
  ticketsSince,
} from '../../capture/store.ts';
import { loadSettings } from '../../settings.ts';
import { type AgentDay, type DayStatus, dayBar, readSince, summarizeDay } from '../../ui/day.ts';
import type { Messages } from '../../ui/i18n.ts';
import { pageText } from '../../ui/locale.ts';
import { SetAsideSection } from '../../ui/SetAside.tsx';

/** How often the popup rereads the store (Dexie's change notifications may not cross from the worker). */
const REFRESH_MS = 3000;
/** How often ongoing durations tick. */
const TICK_MS = 1000;

const { locale, t } = pageText();
const clock = new ZoneClock(systemTimeZone());
const formatter = new CellFormatter(locale, clock);
const db = new CaptureDatabase();

interface Snapshot {
  events: ActivityEvent[];
  /** Distinct tickets each agent worked today (from the attendance screen's ticket steps). */
  tickets: Map<string, number>;
  sync: SyncState;
  /** `undefined` until read; empty when no server is set. */
  serverUrl: string | undefined;
}

function useCapture(): { snapshot: Snapshot | undefined; error: string | undefined } {
  const [snapshot, setSnapshot] = useState<Snapshot>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let active = true;
    let running = false;
    let again = false;
    const load = async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const now = Date.now();
          const [events, tickets, sync, serverUrl] = await Promise.all([
            eventsSince(db, readSince(clock, now)),
            // Tickets of today alone (the events reach back to yesterday for rows still going).
            ticketsSince(db, clock.startOfDay(now)),
            syncState(db),
            loadSettings().then(
              (settings) => settings.serverUrl,
              () => undefined,
            ),
          ]);
          if (!active) return;
          setSnapshot({ events, tickets, sync, serverUrl });
          setError(undefined);
        } while (again && active);
      } catch (problem) {
        if (active) setError(problem instanceof Error ? problem.message : String(problem));
      } finally {
        running = false;
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    // Reread at once when the store changes (in this page's context, and across contexts where Dexie can tell).
    const subscription = liveQuery(() => Promise.all([db.events.count(), db.meta.toArray()])).subscribe({
      next: () => void load(),
      error: () => {},
    });
    return () => {
      active = false;
      clearInterval(timer);
      subscription.unsubscribe();
    };
  }, []);

  return { snapshot, error };
}

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** A time of today as `HH:MM:SS`; an instant of another day with its date. */
function instantText(ms: number, dayStart: number): string {
  return ms >= dayStart ? formatter.format('time', ms) : formatter.format('datetime', ms);
}

function statusText(status: DayStatus, messages: Messages): string {
  switch (status.kind) {
    case 'available':
      return messages.statusAvailable;
    case 'break':
      return messages.statusBreak(status.reason);
    case 'logged-out':
      return messages.statusLoggedOut;
    case 'none':
      return messages.statusNotCaptured;
  }
}

function StatusCard({ status, dayStart, id }: { status: DayStatus; dayStart: number; id?: string }) {
  return (
    <div className="status" id={id} data-status={status.kind} role="status">
      <span className={`dot ${status.kind}`} aria-hidden="true" />
      <span className="status-text">{statusText(status, t)}</span>
      {status.kind !== 'none' && (
        <span className="status-since">{t.since(instantText(status.since, dayStart))}</span>
      )}
    </div>
  );
}

function DayBarView({ agent, now }: { agent: AgentDay; now: number }) {
  const bar = dayBar(agent.rows, clock, now);
  if (!bar) return null;
  const loggedIn = formatter.format('duration', agent.loggedInMs);
  const onBreak = formatter.format('duration', agent.onBreakMs);
  return (
    <div>
      <div className="day-bar" role="img" aria-label={t.dayBarLabel(loggedIn, onBreak)}>
        {bar.spans
          .filter((span) => span.kind === 'login')
          .map((span) => (
            <span
              key={span.key}
              className="login"
              style={{ left: `${span.left}%`, width: `${span.width}%` }}
            />
          ))}
        {bar.spans
          .filter((span) => span.kind === 'break')
          .map((span) => (
            <span
              key={span.key}
              className="break"
              style={{ left: `${span.left}%`, width: `${span.width}%` }}
            />
          ))}
      </div>
      <div className="day-bar-axis" aria-hidden="true">
        <span>{formatter.format('time', bar.from).slice(0, 5)}</span>
        <span>{formatter.format('time', bar.to).slice(0, 5)}</span>
      </div>
      <div className="legend" aria-hidden="true">
        <span>
          <span className="dot login" />
          {t.legendLoggedIn}
        </span>
        <span>
          <span className="dot break" />
          {t.legendBreak}
        </span>
      </div>
    </div>
  );
}

function RowsTable({ agent, locale, id }: { agent: AgentDay; locale: Locale; id?: string }) {
  return (
    <div className="rows-scroll">
      <table className="rows" id={id}>
        <caption className="visually-hidden">{t.timelineCaption(agent.agentName)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.columnActivity}</th>
            <th scope="col">{t.columnStart}</th>
            <th scope="col">{t.columnEnd}</th>
            <th scope="col" className="num">
              {t.columnDuration}
            </th>
          </tr>
        </thead>
        <tbody>
          {agent.rows.map((row) => (
            <tr key={row.key} data-kind={row.kind}>
              <td>
                <span className="activity">
                  <span className={`dot ${row.kind}`} aria-hidden="true" />
                  {activityTypeLabel(row, locale)}
                </span>
                {row.continued && <span className="muted small">{t.continuedFromYesterday}</span>}
              </td>
              <td className="time">{formatter.format('time', row.start)}</td>
              <td className="time">
                {row.end === null ? (
                  <span className="ongoing">{t.ongoing}</span>
                ) : (
                  formatter.format('time', row.end)
                )}
              </td>
              <td className="num">{formatter.format('duration', row.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Empty() {
  return (
    <div className="empty">
      <strong>{t.emptyTitle}</strong>
      <p className="muted small">{t.emptyHint}</p>
    </div>
  );
}

function AgentSection({
  agent,
  now,
  dayStart,
  showName,
  primary,
  tickets,
}: {
  agent: AgentDay;
  /** Tickets worked today; shown only when the screen reported some. */
  tickets: number;
  now: number;
  dayStart: number;
  showName: boolean;
  /** The most recent agent's parts carry the page's stable ids. */
  primary: boolean;
}) {
  const id = (name: string) => (primary ? name : undefined);
  return (
    <section aria-label={agent.agentName}>
      {showName && <div className="agent-name">{agent.agentName}</div>}
      <StatusCard status={agent.status} dayStart={dayStart} id={id('popup-status')} />
      {agent.rows.length === 0 ? (
        <section>
          <Empty />
        </section>
      ) : (
        <>
          <dl className="totals">
            <div>
              <dt>{t.totalLoggedIn}</dt>
              <dd id={id('total-logged-in')}>{formatter.format('duration', agent.loggedInMs)}</dd>
            </div>
            <div>
              <dt>{t.totalOnBreak}</dt>
              <dd id={id('total-on-break')}>{formatter.format('duration', agent.onBreakMs)}</dd>
            </div>
            {tickets > 0 && (
              <div>
                <dt>{t.totalTickets}</dt>
                <dd id={id('total-tickets')} data-count={tickets}>
                  {tickets}
                </dd>
              </div>
            )}
          </dl>
          <section>
            <DayBarView agent={agent} now={now} />
          </section>
          <section>
            <RowsTable agent={agent} locale={locale} id={id('day-rows')} />
          </section>
        </>
      )}
    </section>
  );
}

function SyncSection({ snapshot, dayStart }: { snapshot: Snapshot; dayStart: number }) {
  const { sync, serverUrl } = snapshot;
  return (
    <section aria-labelledby="sync-heading">
      <h2 id="sync-heading">{t.syncHeading}</h2>
      <p className="sync-waiting" id="sync-waiting" data-count={sync.waiting}>
        {t.syncWaiting(sync.waiting)}
      </p>
      <dl className="sync">
        <dt>{t.syncLast}</dt>
        <dd id="sync-last">
          {sync.lastSyncAt === undefined ? t.syncNever : instantText(sync.lastSyncAt, dayStart)}
        </dd>
        {sync.lastError !== undefined && (
          <>
            <dt>{t.syncLastError}</dt>
            <dd id="sync-error" className="error">
              {sync.lastError}
            </dd>
          </>
        )}
      </dl>
      {serverUrl === '' && <p className="muted small">{t.syncNoServer}</p>}
    </section>
  );
}

function openSettings() {
  void browser.runtime.openOptionsPage().then(() => window.close());
}

export function App() {
  const { snapshot, error } = useCapture();
  const now = useNow();
  const summary = useMemo(
    () => (snapshot ? summarizeDay(snapshot.events, clock, now) : undefined),
    [snapshot, now],
  );

  return (
    <main className="popup">
      <header className="popup-header">
        <div>
          <h1>
            <img src="/icon/32.png" alt="" />
            {t.appName}
          </h1>
          {summary && (
            <p className="muted small today">
              {t.today}, {formatter.format('date', summary.dayStart)}
            </p>
          )}
        </div>
        <button type="button" className="link-button" onClick={openSettings}>
          {t.openSettings}
        </button>
      </header>
      {error !== undefined && (
        <p className="callout error" role="alert">
          {t.readFailed(error)}
        </p>
      )}
      {!summary || !snapshot ? (
        <p className="muted">{t.loading}</p>
      ) : (
        <>
          {summary.agents.length === 0 ? (
            <>
              <StatusCard status={{ kind: 'none' }} dayStart={summary.dayStart} id="popup-status" />
              <section>
                <Empty />
              </section>
            </>
          ) : (
            summary.agents.map((agent, index) => (
              <AgentSection
                key={agent.agentId}
                primary={index === 0}
                agent={agent}
                now={now}
                dayStart={summary.dayStart}
                tickets={snapshot.tickets.get(agent.agentId) ?? 0}
                showName={summary.agents.length > 1 || agent.agentName !== agent.agentId}
              />
            ))
          )}
          <SyncSection snapshot={snapshot} dayStart={summary.dayStart} />
          <SetAsideSection db={db} />
        </>
      )}
    </main>
  );
}
