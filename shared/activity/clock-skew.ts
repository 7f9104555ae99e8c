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
function sessionOffset(offsets: readonly number[]): number {
  // A typed array sorts numbers without a comparator call per step.
  const sorted = Float64Array.from(offsets).sort();
  const median = sorted[(sorted.length - 1) >> 1]!;
  return Math.abs(median) < CLOCK_TOLERANCE_MS ? 0 : median;
}

interface Session {
  device: string;
  /** Device times of its first and last events. */
  first: number;
  last: number;
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
  const count = ordered.length;
  // One pass for the common case, a right clock: nothing to do, no allocation but this array.
  const measured = new Float64Array(count);
  let skewed = false;
  for (let i = 0; i < count; i++) {
    const offset = measuredOffsetMs(ordered[i]!.event);
    measured[i] = offset ?? Number.NaN;
    if (offset !== undefined && Math.abs(offset) >= CLOCK_TOLERANCE_MS) skewed = true;
  }
  if (!skewed) return ordered;

  // Sessions, in order of their first event; each event's session by position.
  const sessions: Session[] = [];
  const sessionOf = new Int32Array(count);
  const open = new Map<string, number>();
  let lastDevice: string | undefined;
  let lastSession = -1;
  for (let i = 0; i < count; i++) {
    const { ms, event } = ordered[i]!;
    const device = event.deviceId ?? '';
    // An agent's events mostly come from one device: skip the map while it stays the same.
    let index = device === lastDevice ? lastSession : (open.get(device) ?? -1);
    if (index < 0 || event.type === 'login') {
      index = sessions.push({ device, first: ms, last: ms, offsets: [] }) - 1;
      open.set(device, index);
    }
    const session = sessions[index]!;
    session.last = ms;
    sessionOf[i] = index;
    if (!Number.isNaN(measured[i]!)) session.offsets.push(measured[i]!);
    if (event.type === 'logout') {
      open.delete(device);
      index = -1;
    }
    lastDevice = device;
    lastSession = index;
  }

  const own = sessions.map((session) =>
    session.offsets.length === 0 ? undefined : sessionOffset(session.offsets),
  );
  const firstOfDevice = new Map<string, number>();
  sessions.forEach((session, index) => {
    const offset = own[index];
    if (offset !== undefined && !firstOfDevice.has(session.device)) firstOfDevice.set(session.device, offset);
  });
  const shift = new Float64Array(sessions.length);
  const previousOf = new Map<string, { last: number; offset: number }>();
  sessions.forEach((session, index) => {
    const previous = previousOf.get(session.device);
    let offset = own[index] ?? previous?.offset ?? firstOfDevice.get(session.device);
    if (offset === undefined) return; // a device with no measurement: as recorded
    if (previous && session.first + offset < previous.last + previous.offset) offset = previous.offset;
    shift[index] = offset;
    previousOf.set(session.device, { last: session.last, offset });
  });

  const corrected = new Array<TimedEvent>(count);
  for (let i = 0; i < count; i++) {
    const timed = ordered[i]!;
    const by = shift[sessionOf[i]!]!;
    corrected[i] = by === 0 ? timed : { ms: timed.ms + by, seq: timed.seq, event: timed.event };
  }
  // A session's events keep their gaps: only sessions of different devices interleave anew, and
  // an agent on one device is still in order.
  for (let i = 1; i < count; i++)
    if (compareTimed(corrected[i - 1]!, corrected[i]!) > 0) return corrected.sort(compareTimed);
  return corrected;
}
