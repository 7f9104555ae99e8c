import {
  type ActivitySegment,
  buildTimelines,
  type SegmentKind,
  shownDurationMs,
  splitAtMidnight,
} from '../../shared/activity/timeline.ts';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import type { ZoneClock } from '../../shared/time/zone.ts';

/**
 * The agent's day as the popup shows it: today's Login, Break and Logout rows (DESIGN §4, cut at
 * local midnight), the current status and the day's totals. Pure, so it is tested without a browser.
 */

export type DayStatus =
  | { kind: 'available'; since: number }
  | { kind: 'break'; reason: string | undefined; since: number }
  | { kind: 'logged-out'; since: number }
  | { kind: 'none' };

export interface DayRow {
  /** Stable and unique within the day (a list key). */
  key: string;
  kind: SegmentKind;
  reason: string | undefined;
  start: number;
  /** `null` while ongoing. */
  end: number | null;
  /** The row began before today's midnight; `start` is midnight. */
  continued: boolean;
  /** Shown duration, running to now when ongoing. */
  durationMs: number;
}

export interface AgentDay {
  agentId: string;
  agentName: string;
  rows: DayRow[];
  status: DayStatus;
  /** Time in Login rows today (breaks happen while logged in, so this includes them). */
  loggedInMs: number;
  onBreakMs: number;
  /** The latest instant anything happened for this agent, to put the most recent agent first. */
  lastActivity: number;
}

export interface DaySummary {
  /** Today's local midnight. */
  dayStart: number;
  now: number;
  /** Most recently active first; usually just one. */
  agents: AgentDay[];
}

/**
 * Where to start reading events for today: the start of yesterday, so a login or break that began
 * before midnight and is still going shows as today's first row instead of vanishing.
 */
export function readSince(clock: ZoneClock, now: number): number {
  const dayStart = clock.startOfDay(now);
  return clock.startOfDay(dayStart - 1);
}

/** The start of a run of segments of one kind (and reason) that follow each other without a gap. */
function runStart(segments: readonly ActivitySegment[], index: number): number {
  const segment = segments[index]!;
  let start = segment.start;
  for (let i = index - 1; i >= 0; i--) {
    const previous = segments[i]!;
    if (previous.kind !== segment.kind) continue;
    if (previous.end !== start || previous.reason !== segment.reason) break;
    start = previous.start;
  }
  return start;
}

function lastIndex(
  segments: readonly ActivitySegment[],
  test: (segment: ActivitySegment) => boolean,
): number {
  for (let i = segments.length - 1; i >= 0; i--) if (test(segments[i]!)) return i;
  return -1;
}

/** What the agent is doing now, from the last segments of the timeline. */
export function currentStatus(segments: readonly ActivitySegment[]): DayStatus {
  if (segments.length === 0) return { kind: 'none' };
  const openBreak = lastIndex(segments, (s) => s.kind === 'break' && s.end === null);
  if (openBreak >= 0) {
    return { kind: 'break', reason: segments[openBreak]!.reason, since: runStart(segments, openBreak) };
  }
  const openLogin = lastIndex(segments, (s) => s.kind === 'login' && s.end === null);
  if (openLogin >= 0) {
    // Available since the login run began, or since the last break of that run ended.
    let since = runStart(segments, openLogin);
    for (const segment of segments) {
      if (segment.kind === 'break' && segment.end !== null && segment.end > since) since = segment.end;
    }
    return { kind: 'available', since };
  }
  // Nothing open: a logout, or a session that went silent (rule 5).
  let since = Number.NEGATIVE_INFINITY;
  for (const segment of segments) since = Math.max(since, segment.end ?? segment.start);
  return { kind: 'logged-out', since };
}

/** Today's rows and status of every agent seen in `events` (read with {@link readSince}). */
export function summarizeDay(events: Iterable<ActivityEvent>, clock: ZoneClock, now: number): DaySummary {
  const dayStart = clock.startOfDay(now);
  const agents: AgentDay[] = [];
  for (const timeline of buildTimelines(events, { now, asOf: now })) {
    const rows: DayRow[] = [];
    const keys = new Map<string, number>();
    let loggedInMs = 0;
    let onBreakMs = 0;
    for (const piece of splitAtMidnight(timeline.segments, clock, now)) {
      if (piece.start < dayStart) continue;
      const durationMs = shownDurationMs(piece.start, piece.end ?? Math.max(now, piece.start));
      if (piece.kind === 'login') loggedInMs += durationMs;
      if (piece.kind === 'break') onBreakMs += durationMs;
      const base = `${piece.kind}:${piece.start}`;
      const repeat = keys.get(base) ?? 0;
      keys.set(base, repeat + 1);
      rows.push({
        key: repeat === 0 ? base : `${base}:${repeat}`,
        kind: piece.kind,
        reason: piece.reason,
        start: piece.start,
        end: piece.end,
        continued: piece.continued,
        durationMs,
      });
    }
    let lastActivity = Number.NEGATIVE_INFINITY;
    for (const segment of timeline.segments) {
      lastActivity = Math.max(lastActivity, segment.end ?? now, segment.start);
    }
    agents.push({
      agentId: timeline.agentId,
      agentName: timeline.agentName,
      rows,
      status: currentStatus(timeline.segments),
      loggedInMs,
      onBreakMs,
      lastActivity,
    });
  }
  agents.sort((a, b) => b.lastActivity - a.lastActivity || a.agentName.localeCompare(b.agentName));
  return { dayStart, now, agents };
}

export interface BarSpan {
  key: string;
  kind: 'login' | 'break';
  /** Percent of the bar from its left edge. */
  left: number;
  width: number;
}

export interface DayBar {
  from: number;
  to: number;
  spans: BarSpan[];
}

const HOUR_MS = 3_600_000;

/**
 * The bar of the day: from the hour of the first row to now (at least an hour wide), with the
 * logged-in and break spans placed on it.
 */
export function dayBar(rows: readonly DayRow[], clock: ZoneClock, now: number): DayBar | undefined {
  const timed = rows.filter((row) => row.kind !== 'logout');
  if (timed.length === 0) return undefined;
  const first = Math.min(...timed.map((row) => row.start));
  const firstLocal = clock.localMs(first);
  const from = Math.max(clock.startOfDay(first), first - (firstLocal % HOUR_MS));
  const last = Math.max(now, ...timed.map((row) => row.end ?? now));
  const to = Math.max(last, from + HOUR_MS);
  const span = to - from;
  const spans = timed.map((row) => {
    const end = row.end ?? now;
    return {
      key: row.key,
      kind: row.kind as 'login' | 'break',
      left: ((row.start - from) / span) * 100,
      width: (Math.max(0, end - row.start) / span) * 100,
    };
  });
  return { from, to, spans };
}
