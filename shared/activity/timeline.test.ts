import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../events/schema.ts';
import { LOGIN_CAUSES } from '../events/schema.ts';
import { activity } from '../reports/activity.ts';
import type { ReportParams, Row } from '../reports/types.ts';
import { ZoneClock } from '../time/zone.ts';
import { buildTimelines, splitAtMidnight } from './timeline.ts';

const BASE = Date.parse('2026-03-10T20:00:00Z');
const HOUR = 3_600_000;

const agents = ['ana', 'bruno', 'carla'];
const eventArb = fc
  .record({
    agent: fc.constantFrom(...agents),
    offset: fc.integer({ min: 0, max: 8 * HOUR }),
    kind: fc.constantFrom('login', 'break', 'available', 'logout', 'heartbeat'),
    cause: fc.constantFrom(...LOGIN_CAUSES),
    reason: fc.option(fc.constantFrom('Lunch', 'Training', 'Meeting'), { nil: undefined }),
    seq: fc.option(fc.nat({ max: 50 }), { nil: undefined }),
    ip: fc.option(fc.constantFrom('203.0.113.7', '198.51.100.4'), { nil: undefined }),
    session: fc.constantFrom('s1', 's2'),
  })
  .map(({ agent, offset, kind, cause, reason, seq, ip, session }): Omit<ActivityEvent, 'id'> => {
    const common = {
      at: new Date(BASE + offset).toISOString(),
      agentId: agent,
      agentName: agent.toUpperCase(),
      sessionId: `${agent}-${session}`,
      ...(seq === undefined ? {} : { seq }),
      ...(ip === undefined ? {} : { ip }),
    };
    if (kind === 'login') return { ...common, type: 'login', cause };
    if (kind === 'break')
      return { ...common, type: 'status', status: 'break', ...(reason ? { reason } : {}) };
    if (kind === 'available') return { ...common, type: 'status', status: 'available' };
    return { ...common, type: kind as 'logout' | 'heartbeat' };
  });

const eventsArb = fc
  .array(eventArb, { maxLength: 60 })
  .map((events) => events.map((event, index) => ({ ...event, id: `e${index}` }) as ActivityEvent));

const params = (overrides: Partial<ReportParams> = {}): ReportParams => ({
  timeZone: 'America/Sao_Paulo',
  locale: 'en',
  now: BASE + 9 * HOUR,
  splitDays: false,
  ...overrides,
});

const START = 2;
const END = 4;
const DURATION = 6;
const rowEnd = (row: Row, asOf: number) => (row[END] as number | null) ?? asOf;

describe('activity engine invariants', () => {
  it('per agent, Login rows never overlap and every Break row lies inside a Login row', () => {
    fc.assert(
      fc.property(eventsArb, (events) => {
        const p = params();
        const rows = activity.compute(events, p).rows;
        for (const agent of agents) {
          const mine = rows.filter((row) => row[0] === agent.toUpperCase());
          const logins = mine.filter((row) => row[1] === 'Login');
          for (let i = 1; i < logins.length; i++) {
            expect(logins[i]![START] as number).toBeGreaterThanOrEqual(rowEnd(logins[i - 1]!, p.now));
          }
          for (const pause of mine.filter((row) => String(row[1]).startsWith('Break'))) {
            const inside = logins.some(
              (login) =>
                (login[START] as number) <= (pause[START] as number) &&
                rowEnd(pause, p.now) <= rowEnd(login, p.now),
            );
            expect(inside).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('durations are never negative and rows are in rule 7 order', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 0, max: 10 * HOUR }), (events, nowOffset) => {
        const rows = activity.compute(events, params({ now: BASE + nowOffset })).rows;
        for (const row of rows) expect(row[DURATION] as number).toBeGreaterThanOrEqual(0);
        for (let i = 1; i < rows.length; i++)
          expect(activity.compareRows(rows[i - 1]!, rows[i]!)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('the same events in any order, with any duplicates, give the same rows', () => {
    fc.assert(
      fc.property(
        eventsArb.chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
            fc.array(fc.nat({ max: Math.max(0, events.length - 1) }), { maxLength: 10 }),
          ),
        ),
        ([events, shuffled, repeats]) => {
          const withDuplicates = [
            ...shuffled,
            ...repeats.flatMap((index) => (events[index] ? [events[index]] : [])),
          ];
          expect(activity.compute(withDuplicates, params()).rows).toEqual(
            activity.compute(events, params()).rows,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splitting at midnight keeps the total time and cuts every piece inside one local day', () => {
    const clock = new ZoneClock('Asia/Kolkata');
    fc.assert(
      fc.property(eventsArb, (events) => {
        const asOf = BASE + 9 * HOUR;
        for (const timeline of buildTimelines(events, { now: asOf, asOf })) {
          const pieces = splitAtMidnight(timeline.segments, clock, asOf);
          const total = (list: typeof pieces) =>
            list.reduce((sum, segment) => sum + ((segment.end ?? asOf) - segment.start), 0);
          expect(total(pieces)).toBe(total(timeline.segments));
          for (const piece of pieces) {
            if (piece.end !== null && piece.end > piece.start) {
              expect(clock.localDay(piece.end - 1)).toBe(clock.localDay(piece.start));
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('two adjacent periods hold exactly the rows of the period they make up', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 1, max: 8 * HOUR }), (events, cut) => {
        const now = BASE + 9 * HOUR;
        const whole = activity.compute(events, params({ from: BASE, to: now, now })).rows;
        const second = activity.compute(events, params({ from: BASE + cut, to: now, now })).rows;
        expect(second).toEqual(whole.filter((row) => (row[START] as number) >= BASE + cut));
        // The first period ends earlier, so its open rows run only to the cut, and a session is
        // judged silent at the cut (rule 5): without heartbeats, the rows closed by then agree.
        const live = events.filter((event) => event.type !== 'heartbeat');
        const first = activity.compute(live, params({ from: BASE, to: BASE + cut, now })).rows;
        const closedByCut = (rows: Row[]) =>
          rows.filter((row) => row[END] !== null && (row[END] as number) <= BASE + cut);
        const wholeLive = activity.compute(live, params({ from: BASE, to: now, now })).rows;
        expect(closedByCut(first)).toEqual(
          closedByCut(wholeLive.filter((row) => (row[START] as number) < BASE + cut)),
        );
      }),
      { numRuns: 200 },
    );
  });
});
