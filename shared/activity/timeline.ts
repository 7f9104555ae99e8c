import type { ActivityEvent, LoginCause } from '../events/schema.ts';
import { hashString } from '../ids/hash.ts';
import { parseInstant } from '../time/iso.ts';
import type { ZoneClock } from '../time/zone.ts';
import { correctClockSkew } from './clock-skew.ts';
import { compareTimed, type TimedEvent } from './timed.ts';

/**
 * The Activity engine (DESIGN §4): turns an agent's events into Login, Break and Logout segments.
 * Reports and the extension's popup all read agents' days through it.
 */

export type SegmentKind = 'login' | 'break' | 'logout';

export interface ActivitySegment {
  kind: SegmentKind;
  /** Break reason; `undefined` for a break without one and for other kinds. */
  reason: string | undefined;
  start: number;
  /** `null` while ongoing at the as-of instant. */
  end: number | null;
  /** Address of the event that started the segment, else of its Login segment (rule 6). */
  ip: string;
  /** For a Login segment: what the login was caused by; `undefined` when a status opened it (rule 4). */
  cause: LoginCause | undefined;
  /** True for the later pieces of a segment split at midnight. */
  continued: boolean;
}

export interface AgentTimeline {
  agentId: string;
  /** The name on the agent's latest event that has one (the agent's id when none has). */
  agentName: string;
  /** In creation order, which is also start order. */
  segments: ActivitySegment[];
}

export interface TimelineOptions extends GroupOptions {
  /** Where ongoing segments run to and heartbeats are judged: min(now, period end). */
  asOf: number;
}

/** A session whose last sign of life is older than this before the as-of instant is gone (rule 5). */
export const SESSION_TIMEOUT_MS = 3 * 60_000;

export type { TimedEvent } from './timed.ts';

function isSorted(list: TimedEvent[]): boolean {
  for (let i = 1; i < list.length; i++) if (compareTimed(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

/**
 * Keeps the first (in order) of the events sharing an id, so the result does not depend on input
 * order. An open-addressing table of indexes: a `Set` of a million fresh strings costs several
 * times more.
 */
function dropRepeatedIds(list: TimedEvent[]): void {
  let capacity = 16;
  while (capacity < list.length * 2) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  let kept = 0;
  outer: for (const timed of list) {
    const id = timed.event.id;
    let slot = hashString(id) & mask;
    for (let index = slots[slot]!; index !== -1; index = slots[slot]!) {
      if (list[index]!.event.id === id) continue outer;
      slot = (slot + 1) & mask;
    }
    slots[slot] = kept;
    list[kept++] = timed;
  }
  list.length = kept;
}

/** The name on the agent's latest event that has one, else the agent's id. */
export function latestAgentName(agentId: string, ordered: readonly TimedEvent[]): string {
  for (let i = ordered.length - 1; i >= 0; i--) {
    const name = ordered[i]!.event.agentName;
    if (name !== '') return name;
  }
  return agentId;
}

export interface GroupOptions {
  /** Events after this instant are ignored (epoch ms). */
  now: number;
  /** Only these agents, when given. */
  agentIds?: readonly string[];
  /** Keep each device's own clock: no clock-skew correction (see `correctClockSkew`). */
  deviceTime?: boolean;
}

/**
 * Groups events per agent in order of `at`, then `seq`, then `id`, without repeated ids; drops
 * those after `now`. Unless `deviceTime`, each session is first moved to the server's clock by
 * the offset measured at push (`correctClockSkew`): every report reads events through here.
 */
export function groupByAgent(
  events: Iterable<ActivityEvent>,
  options: GroupOptions,
): Map<string, TimedEvent[]> {
  const { now, agentIds, deviceTime = false } = options;
  const wanted = agentIds ? new Set(agentIds) : undefined;
  const byAgent = new Map<string, TimedEvent[]>();
  for (const event of events) {
    if (wanted && !wanted.has(event.agentId)) continue;
    const ms = parseInstant(event.at);
    // A corrected event may come back before `now`: those are dropped after the correction.
    if (deviceTime && ms > now) continue;
    let list = byAgent.get(event.agentId);
    if (!list) {
      list = [];
      byAgent.set(event.agentId, list);
    }
    // A missing seq sorts before any given one, so the order stays total.
    list.push({ ms, seq: event.seq ?? -1, event });
  }
  for (const [agentId, list] of byAgent) {
    if (!isSorted(list)) list.sort(compareTimed);
    dropRepeatedIds(list);
    if (deviceTime) continue;
    const corrected = correctClockSkew(list);
    let kept = corrected.length;
    while (kept > 0 && corrected[kept - 1]!.ms > now) kept--;
    corrected.length = kept;
    if (kept === 0) byAgent.delete(agentId);
    else if (corrected !== list) byAgent.set(agentId, corrected);
  }
  return byAgent;
}

interface SessionLife {
  hasHeartbeat: boolean;
  lastSign: number;
}

const emptyToUndefined = (text: string | undefined) =>
  text === undefined || text.trim() === '' ? undefined : text;

/** Rules 1–6 over one agent's events, already in order. */
export function buildAgentTimeline(
  agentId: string,
  ordered: readonly TimedEvent[],
  asOf: number,
): AgentTimeline {
  const segments: ActivitySegment[] = [];
  const sessions = new Map<string, SessionLife>();
  let login: ActivitySegment | undefined;
  let loginSession: string | undefined;
  let pause: ActivitySegment | undefined;
  let lastStatusChange = Number.NEGATIVE_INFINITY;

  const open = (kind: SegmentKind, at: number, ip: string, reason?: string, cause?: LoginCause) => {
    const segment: ActivitySegment = { kind, reason, start: at, end: null, ip, cause, continued: false };
    segments.push(segment);
    return segment;
  };
  const openLogin = (at: number, event: ActivityEvent, cause: LoginCause | undefined) => {
    login = open('login', at, event.ip ?? '', undefined, cause);
    loginSession = event.sessionId;
  };
  const openBreak = (at: number, ip: string | undefined, reason: string | undefined) => {
    pause = open('break', at, ip || login?.ip || '', reason);
  };

  for (const { ms, event } of ordered) {
    if (event.sessionId !== undefined) {
      const life = sessions.get(event.sessionId);
      if (life) {
        life.lastSign = ms;
        life.hasHeartbeat ||= event.type === 'heartbeat';
      } else sessions.set(event.sessionId, { hasHeartbeat: event.type === 'heartbeat', lastSign: ms });
    }

    if (event.type === 'login' || event.type === 'status') lastStatusChange = ms;
    switch (event.type) {
      case 'login': {
        // Rule 1: a login ends the open Login row and restarts an open break with its reason.
        const openReason = pause ? pause.reason : null;
        if (pause) pause.end = ms;
        if (login) login.end = ms;
        pause = undefined;
        openLogin(ms, event, event.cause);
        if (openReason !== null) openBreak(ms, event.ip, openReason);
        break;
      }
      case 'status': {
        if (!login) openLogin(ms, event, undefined); // rule 4
        if (event.status === 'available') {
          if (pause) pause.end = ms;
          pause = undefined;
        } else {
          const reason = emptyToUndefined(event.reason);
          if (pause && pause.reason === reason) break; // the same reason again is no change
          if (pause) pause.end = ms;
          openBreak(ms, event.ip, reason);
        }
        break;
      }
      case 'logout': {
        const ip = event.ip ?? login?.ip ?? '';
        if (pause) pause.end = ms;
        if (login) login.end = ms;
        pause = undefined;
        login = undefined;
        open('logout', ms, ip).end = ms;
        break;
      }
      case 'heartbeat':
        break;
    }
  }

  // Rule 5: a session that went silent (tab closed, browser died) ends at its last sign of life.
  const life = loginSession === undefined ? undefined : sessions.get(loginSession);
  // A status change after the session's last heartbeat (say, from another tab) is a sign of life
  // too, so the rows never end before it and breaks stay inside their Login row.
  if (login && life?.hasHeartbeat && life.lastSign < asOf - SESSION_TIMEOUT_MS) {
    const lastSign = Math.max(life.lastSign, lastStatusChange);
    login.end = lastSign;
    if (pause) pause.end = lastSign;
  }

  return { agentId, agentName: latestAgentName(agentId, ordered), segments };
}

/** Every agent's timeline. */
export function buildTimelines(events: Iterable<ActivityEvent>, options: TimelineOptions): AgentTimeline[] {
  const timelines: AgentTimeline[] = [];
  for (const [agentId, ordered] of groupByAgent(events, options)) {
    timelines.push(buildAgentTimeline(agentId, ordered, options.asOf));
  }
  return timelines;
}

/**
 * Splits segments that cross local midnight into one piece per day (for timesheets). An ongoing
 * segment's last piece stays ongoing; `asOf` bounds how far an ongoing one is split.
 */
export function splitAtMidnight(
  segments: readonly ActivitySegment[],
  clock: ZoneClock,
  asOf: number,
): ActivitySegment[] {
  const pieces: ActivitySegment[] = [];
  for (const segment of segments) {
    const until = segment.end ?? Math.max(asOf, segment.start);
    let start = segment.start;
    let midnight = clock.startOfNextDay(start);
    let continued = segment.continued;
    while (midnight < until) {
      pieces.push({ ...segment, start, end: midnight, continued });
      start = midnight;
      continued = true;
      midnight = clock.startOfNextDay(start);
    }
    pieces.push({ ...segment, start, end: segment.end, continued });
  }
  return pieces;
}

/** Whole seconds between two instants as shown (times are shown truncated to the second). */
export function shownDurationMs(start: number, end: number): number {
  return Math.max(0, Math.floor(end / 1000) - Math.floor(start / 1000)) * 1000;
}
