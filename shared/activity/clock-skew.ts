import type { ActivityEvent } from '../events/schema.ts';
import { compareTimed, type TimedEvent } from './timed.ts';

/**
 * The offset the server measured for the push that brought this event: server clock minus device
 * clock, in ms (`clockOffsetMs` on pulled events, DESIGN §7). `undefined` when there is none, or
 * when the field holds something other than a finite number (a hand-made file): such an event is
 * left on its device's clock rather than refused, since the offset is advice, not the fact.
 */
export function measuredOffsetMs(event: ActivityEvent): number | undefined {
  const value = (event as { clockOffsetMs?: unknown }).clockOffsetMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Offsets smaller than this are left alone: a push's delay alone can measure that much, so such a
 * clock is right as far as anyone can tell, and moving its times would only make the report and
 * the agent's own popup disagree by a second now and then.
 */
export const CLOCK_TOLERANCE_MS = 2_000;

/**
 * A session's offset: the lower middle of its measurements (an actual one, so whole
 * milliseconds stay whole), or 0 within the tolerance.
 */
function sessionOffset(offsets: number[]): number {
  offsets.sort((a, b) => a - b);
  const median = offsets[(offsets.length - 1) >> 1]!;
  return Math.abs(median) < CLOCK_TOLERANCE_MS ? 0 : median;
}

interface Session {
  /** Device times of its first and last events. */
  first: number;
  last: number;
  /** Positions of its events in the agent's list. */
  members: number[];
  offsets: number[];
}

/**
 * Puts one agent's events on the server's clock, one offset per session (DESIGN §7: "a skewed
 * clock does not reorder an agent's day").
 *
 * `ordered` is the agent's events in device-time order (`at`, `seq`, `id`) without repeated ids,
 * as `groupByAgent` makes them; it is not changed. The result is the same events, with `ms`
 * corrected, in corrected order; the input array itself when nothing moves.
 *
 * - A session is what the activity rules call one: on one device (`deviceId`; events without one
 *   count as one device), a `login` starts a new one, a `logout` ends the current one, and events
 *   before any login form one of their own.
 * - Every event of a session moves by the same offset, so the order inside it never changes: the
 *   lower median of the offsets measured for its events. Each measurement is the true offset plus
 *   that push's network delay (the server subtracts the device's `sentAt` from its arrival), so a
 *   push held up by a slow or returning network overstates it; the median ignores a few such
 *   pushes, and a clock set right in the middle of a session (the majority of its pushes wins).
 *   The first push alone would be the worst pick: it is often the one sent as the network
 *   comes back. An offset under `CLOCK_TOLERANCE_MS` counts as none.
 * - A session whose offset would start it before the end of the device's previous (corrected)
 *   session keeps that session's offset instead: two offsets differing by network delay must
 *   not swap a logout and the login right after it, so one device's order never changes at all.
 * - A session with no measured offset (say, lines typed into a file) takes its device's previous
 *   session's offset, or the next one's: the same clock, and the device's order holds. Events of
 *   a device with no measured offset at all stay on its clock.
 */
export function correctClockSkew(ordered: TimedEvent[]): TimedEvent[] {
  const skewed = (timed: TimedEvent) => Math.abs(measuredOffsetMs(timed.event) ?? 0) >= CLOCK_TOLERANCE_MS;
  if (!ordered.some(skewed)) return ordered;

  const current = new Map<string, Session>();
  const byDevice = new Map<string, Session[]>();
  ordered.forEach((timed, index) => {
    const device = timed.event.deviceId ?? '';
    let session = current.get(device);
    if (!session || timed.event.type === 'login') {
      session = { first: timed.ms, last: timed.ms, members: [], offsets: [] };
      current.set(device, session);
      const sessions = byDevice.get(device);
      if (sessions) sessions.push(session);
      else byDevice.set(device, [session]);
    }
    session.last = timed.ms;
    session.members.push(index);
    const offset = measuredOffsetMs(timed.event);
    if (offset !== undefined) session.offsets.push(offset);
    if (timed.event.type === 'logout') current.delete(device);
  });

  const shift = new Float64Array(ordered.length);
  for (const sessions of byDevice.values()) {
    const firstMeasured = sessions.find((session) => session.offsets.length > 0);
    if (!firstMeasured) continue;
    let previous: { last: number; offset: number } | undefined;
    for (const session of sessions) {
      let offset =
        session.offsets.length > 0
          ? sessionOffset(session.offsets)
          : (previous?.offset ?? sessionOffset(firstMeasured.offsets));
      if (previous && session.first + offset < previous.last + previous.offset) offset = previous.offset;
      for (const index of session.members) shift[index] = offset;
      previous = { last: session.last, offset };
    }
  }

  const corrected = ordered.map((timed, index) =>
    shift[index] === 0 ? timed : { ms: timed.ms + shift[index]!, seq: timed.seq, event: timed.event },
  );
  // Stable, and a session's events keep their gaps: only sessions of different devices interleave anew.
  return corrected.sort(compareTimed);
}
