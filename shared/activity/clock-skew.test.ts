import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../events/schema.ts';
import { CellFormatter } from '../format/cells.ts';
import { activity } from '../reports/activity.ts';
import { loginLogout } from '../reports/login-logout.ts';
import { validateRequest } from '../reports/params.ts';
import type { ReportResult } from '../reports/types.ts';
import { CLOCK_TOLERANCE_MS, correctClockSkew, measuredOffsetMs } from './clock-skew.ts';
import { groupByAgent, type TimedEvent } from './timeline.ts';

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
/** A device 3 hours fast: the server's clock minus the device's is -3 h (plus the push's delay). */
const FAST = -3 * HOUR;

type Kind = 'login' | 'break' | 'available' | 'logout' | 'heartbeat';

let counter = 0;
/** One event at a device's clock reading (ISO), with the offset measured for its push. */
function ev(
  kind: Kind,
  at: string,
  fields: { offset?: unknown; deviceId?: string; agentId?: string; seq?: number } = {},
): ActivityEvent {
  const { offset, deviceId = 'pc-1', agentId = 'ana', seq = counter } = fields;
  counter++;
  const common = {
    id: `e${String(counter).padStart(4, '0')}`,
    at,
    agentId,
    agentName: agentId.toUpperCase(),
    deviceId,
    seq,
    ...(offset === undefined ? {} : { clockOffsetMs: offset }),
  };
  const typed =
    kind === 'login'
      ? { type: 'login', cause: 'page_load' }
      : kind === 'break'
        ? { type: 'status', status: 'break', reason: 'Lunch' }
        : kind === 'available'
          ? { type: 'status', status: 'available' }
          : { type: kind };
  return { ...common, ...typed } as ActivityEvent;
}

/** The agent's events in device order, as the engine hands them to the correction. */
function ordered(events: ActivityEvent[], agentId = 'ana'): TimedEvent[] {
  return groupByAgent(events, { now: Number.POSITIVE_INFINITY, deviceTime: true }).get(agentId) ?? [];
}

const iso = (ms: number) => new Date(ms).toISOString();
const ids = (list: readonly TimedEvent[]) => list.map((timed) => timed.event.id);
const shifts = (list: readonly TimedEvent[]) =>
  Object.fromEntries(list.map((timed) => [timed.event.id, timed.ms - Date.parse(timed.event.at)]));

describe('correctClockSkew', () => {
  it('moves a whole session by one offset, so its order holds although its pushes measured different offsets', () => {
    const session = [
      ev('login', '2026-03-10T12:00:00.000Z', { offset: FAST + 40 }),
      ev('break', '2026-03-10T12:00:01.000Z', { offset: FAST + 2_500 }), // a push held up 2.5 s
      ev('available', '2026-03-10T12:00:02.000Z', { offset: FAST + 10 }),
      ev('heartbeat', '2026-03-10T12:00:02.500Z', { offset: FAST + 30 }),
      ev('logout', '2026-03-10T12:00:03.000Z', { offset: FAST + 20 }),
    ];
    const input = ordered(session);
    const corrected = correctClockSkew(input);
    expect(ids(corrected)).toEqual(ids(input));
    // The lower median of the five measurements; one slow push does not move the session.
    expect(new Set(Object.values(shifts(corrected)))).toEqual(new Set([FAST + 30]));
    expect(iso(corrected[0]!.ms)).toBe('2026-03-10T09:00:00.030Z');
    // Applied per push instead, the slow push's break would land after the available.
    expect(Date.parse(session[1]!.at) + FAST + 2_500).toBeGreaterThan(Date.parse(session[2]!.at) + FAST + 10);
  });

  it('puts two devices on one clock: the skewed device’s session goes where it happened', () => {
    const events = [
      // The office PC is right; the laptop is 3 h fast.
      ev('login', '2026-03-10T09:00:00Z', { deviceId: 'office', offset: 15 }),
      ev('logout', '2026-03-10T10:00:00Z', { deviceId: 'office', offset: 15 }),
      ev('login', '2026-03-10T13:30:00Z', { deviceId: 'laptop', offset: FAST }),
      ev('logout', '2026-03-10T14:00:00Z', { deviceId: 'laptop', offset: FAST }),
    ];
    const corrected = correctClockSkew(ordered(events));
    expect(corrected.map((timed) => [timed.event.deviceId, iso(timed.ms)])).toEqual([
      ['office', '2026-03-10T09:00:00.000Z'],
      ['office', '2026-03-10T10:00:00.000Z'],
      ['laptop', '2026-03-10T10:30:00.000Z'],
      ['laptop', '2026-03-10T11:00:00.000Z'],
    ]);
  });

  it('a new login or a logout ends a session; each session gets its own offset', () => {
    const events = [
      ev('login', '2026-03-10T12:00:00Z', { offset: FAST }),
      ev('login', '2026-03-10T13:00:00Z', { offset: FAST }), // F5: a new session
      ev('logout', '2026-03-10T13:30:00Z', { offset: FAST }),
      // The clock was set right (NTP) before the next day's work.
      ev('heartbeat', '2026-03-11T09:00:00Z', { offset: 0 }), // before any login: a session too
      ev('login', '2026-03-11T09:00:05Z', { offset: 20 }),
      ev('logout', '2026-03-11T17:00:00Z', { offset: 20 }),
    ];
    const corrected = correctClockSkew(ordered(events));
    expect(Object.values(shifts(corrected))).toEqual([FAST, FAST, FAST, 0, 0, 0]);
  });

  it('leaves offsets a push’s delay could explain alone', () => {
    const within = ordered([
      ev('login', '2026-03-10T12:00:00Z', { offset: CLOCK_TOLERANCE_MS - 1 }),
      ev('logout', '2026-03-10T13:00:00Z', { offset: -(CLOCK_TOLERANCE_MS - 1) }),
    ]);
    expect(correctClockSkew(within)).toBe(within);
    // One slow push does not make a right clock wrong: the session's median is within it.
    const slowPush = ordered([
      ev('login', '2026-03-10T12:00:00Z', { offset: 30 }),
      ev('break', '2026-03-10T12:01:00Z', { offset: 9_000 }),
      ev('logout', '2026-03-10T13:00:00Z', { offset: 25 }),
    ]);
    expect(Object.values(shifts(correctClockSkew(slowPush)))).toEqual([0, 0, 0]);
    const beyond = ordered([ev('login', '2026-03-10T12:00:00Z', { offset: CLOCK_TOLERANCE_MS })]);
    expect(Object.values(shifts(correctClockSkew(beyond)))).toEqual([CLOCK_TOLERANCE_MS]);
  });

  it('keeps one device’s order across sessions when their offsets differ by less than the gap’s worth of delay', () => {
    const events = [
      ev('login', '2026-03-10T12:00:00.000Z', { offset: FAST + 900 }),
      ev('logout', '2026-03-10T12:30:00.000Z', { offset: FAST + 900 }),
      // Logged in again 100 ms later; this push was faster, so its offset is 900 ms smaller.
      ev('login', '2026-03-10T12:30:00.100Z', { offset: FAST }),
      ev('logout', '2026-03-10T13:00:00.000Z', { offset: FAST }),
      // Later sessions get their own offset again.
      ev('login', '2026-03-10T14:00:00.000Z', { offset: FAST }),
    ];
    const input = ordered(events);
    const corrected = correctClockSkew(input);
    expect(ids(corrected)).toEqual(ids(input));
    expect(Object.values(shifts(corrected))).toEqual([FAST + 900, FAST + 900, FAST + 900, FAST + 900, FAST]);
  });

  it('leaves a device with no measured offset on its clock; a session without one takes its device’s', () => {
    const none = [ev('login', '2026-03-10T12:00:00Z'), ev('logout', '2026-03-10T13:00:00Z')];
    const noneOrdered = ordered(none);
    expect(correctClockSkew(noneOrdered)).toBe(noneOrdered);
    const zero = ordered([ev('login', '2026-03-10T12:00:00Z', { offset: 0 })]);
    expect(correctClockSkew(zero)).toBe(zero);

    const mixed = [
      // An imported session with no offset, another device's measured one, and a hand-made line.
      ev('login', '2026-03-10T12:00:00Z', { deviceId: 'imported' }),
      ev('login', '2026-03-10T14:00:00Z', { deviceId: 'laptop' }), // before the laptop's first measurement
      ev('login', '2026-03-10T15:00:00Z', { deviceId: 'laptop', offset: FAST }),
      ev('break', '2026-03-10T15:10:00Z', { deviceId: 'laptop' }), // same session: same clock
      ev('login', '2026-03-10T15:20:00Z', { deviceId: 'laptop' }), // next session, unmeasured
      ev('login', '2026-03-10T16:00:00Z', { deviceId: 'typed', offset: 'about 3 hours' }),
    ];
    const corrected = correctClockSkew(ordered(mixed));
    expect(corrected.map((timed) => [timed.event.deviceId, iso(timed.ms)])).toEqual([
      ['laptop', '2026-03-10T11:00:00.000Z'],
      ['imported', '2026-03-10T12:00:00.000Z'],
      ['laptop', '2026-03-10T12:00:00.000Z'],
      ['laptop', '2026-03-10T12:10:00.000Z'],
      ['laptop', '2026-03-10T12:20:00.000Z'],
      ['typed', '2026-03-10T16:00:00.000Z'],
    ]);
    expect(measuredOffsetMs(mixed[3]!)).toBeUndefined();
    expect(measuredOffsetMs(ev('login', '2026-03-10T12:00:00Z', { offset: Number.NaN }))).toBeUndefined();
  });

  it('never reorders one device’s events, whatever the offsets (property)', () => {
    const kinds: Kind[] = ['login', 'break', 'available', 'logout', 'heartbeat'];
    const arb = fc.array(
      fc.record({
        kind: fc.constantFrom(...kinds),
        device: fc.constantFrom('a', 'b', 'c'),
        stepMs: fc.integer({ min: 0, max: 10 * 60_000 }),
        offset: fc.option(fc.integer({ min: -26 * HOUR, max: 26 * HOUR }), { nil: undefined }),
        jitter: fc.integer({ min: 0, max: 5_000 }),
      }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(arb, (steps) => {
        // Each device's clock moves forward through its own steps; each push adds its delay.
        const clocks = new Map<string, number>();
        const events = steps.map((step, index) => {
          const at = (clocks.get(step.device) ?? Date.parse('2026-03-10T12:00:00Z')) + step.stepMs;
          clocks.set(step.device, at);
          const offset = step.offset === undefined ? undefined : step.offset + step.jitter;
          return ev(step.kind, iso(at), { deviceId: step.device, offset, seq: index });
        });
        const input = ordered(events);
        const corrected = correctClockSkew(input);
        expect(new Set(ids(corrected))).toEqual(new Set(ids(input)));
        for (const device of ['a', 'b', 'c']) {
          const mine = (list: readonly TimedEvent[]) => ids(list.filter((t) => t.event.deviceId === device));
          expect(mine(corrected)).toEqual(mine(input));
        }
        for (let i = 1; i < corrected.length; i++)
          expect(corrected[i - 1]!.ms).toBeLessThanOrEqual(corrected[i]!.ms);
      }),
    );
  });
});

describe('reports read corrected times', () => {
  const report = (
    events: ActivityEvent[],
    request: { splitDays?: boolean; deviceTime?: boolean; from?: string; to?: string; asOf?: string },
    definition = activity,
  ): string[][] => {
    const checked = validateRequest(definition, {
      timeZone: TZ,
      locale: 'en',
      asOf: '2026-03-12T00:00',
      ...request,
    });
    if (!checked.ok) throw new Error(checked.error);
    return table(definition.compute(events, checked.params), definition === activity);
  };
  const table = (result: ReportResult, isActivity: boolean): string[][] => {
    const fmt = new CellFormatter('en', TZ);
    return result.rows.map((row) =>
      isActivity
        ? [
            String(row[1]),
            fmt.format('date', row[2] ?? null),
            fmt.format('time', row[3] ?? null),
            fmt.format('time', row[5] ?? null),
          ]
        : [String(row[2]), fmt.format('datetime', row[3] ?? null)],
    );
  };

  // In São Paulo (UTC-3): worked 19:30–22:30 on the 10th; the PC, 3 h fast, read 22:30–01:30.
  const lateShift = [
    ev('login', '2026-03-11T01:30:00Z', { offset: FAST + 25 }),
    ev('break', '2026-03-11T03:00:00Z', { offset: FAST + 12 }),
    ev('available', '2026-03-11T03:10:00Z', { offset: FAST + 60_000 }), // sent after a drop
    ev('logout', '2026-03-11T04:30:00Z', { offset: FAST + 18 }),
  ];

  it('a session the skewed clock put across midnight moves back to the day it was worked', () => {
    expect(report(lateShift, { splitDays: true })).toEqual([
      ['Login', '2026-03-10', '19:30:00', '22:30:00'],
      ['Break - Lunch', '2026-03-10', '21:00:00', '21:10:00'],
      ['Logout', '2026-03-10', '22:30:00', '22:30:00'],
    ]);
    expect(report(lateShift, { splitDays: true, deviceTime: true })).toEqual([
      ['Login', '2026-03-10', '22:30:00', '00:00:00'],
      ['Login', '2026-03-11', '00:00:00', '01:30:00'],
      ['Break - Lunch', '2026-03-11', '00:00:00', '00:10:00'],
      ['Logout', '2026-03-11', '01:30:00', '01:30:00'],
    ]);
    // The period filter sees corrected starts too: the 11th has nothing of this session.
    expect(report(lateShift, { from: '2026-03-11', to: '2026-03-12' })).toEqual([]);
  });

  it('every report goes through the correction; a fast clock’s "future" is not dropped', () => {
    expect(report(lateShift, {}, loginLogout)).toEqual([
      ['Login', '2026-03-10 19:30:00'],
      ['Logout', '2026-03-10 22:30:00'],
    ]);
    // At 22:45 on the 10th the device's logout reading (01:30) is still in the future; corrected,
    // it is past.
    const asOf = '2026-03-10T22:45';
    expect(report(lateShift, { asOf }, loginLogout)).toHaveLength(2);
    expect(report(lateShift, { asOf, deviceTime: true }, loginLogout)).toEqual([
      ['Login', '2026-03-10 22:30:00'],
    ]);
  });
});
