import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import { ZoneClock } from '../../shared/time/zone.ts';
import { currentStatus, dayBar, readSince, summarizeDay } from './day.ts';

const clock = new ZoneClock('America/Sao_Paulo');
/** Local wall time of 2026-03-10 in São Paulo (UTC-3) as an instant. */
const at = (time: string, day = 10) => Date.parse(`2026-03-${String(day).padStart(2, '0')}T${time}-03:00`);

let counter = 0;
function event(
  type: ActivityEvent['type'],
  time: string,
  extra: Record<string, unknown> = {},
  day = 10,
): ActivityEvent {
  counter += 1;
  return {
    id: `e${counter}`,
    type,
    at: new Date(at(time, day)).toISOString(),
    agentId: 'fabio.rocha',
    agentName: 'Fabio Rocha',
    seq: counter,
    ...extra,
  } as ActivityEvent;
}

describe('summarizeDay', () => {
  it('gives example B of DESIGN §4 as today’s rows, with totals', () => {
    const events = [
      event('login', '09:58:10', { cause: 'page_load' }),
      event('status', '09:59:00', { status: 'break', reason: 'Training' }),
      event('login', '10:07:42', { cause: 'refresh' }),
      event('status', '10:10:00', { status: 'break', reason: 'Meeting' }),
      event('logout', '10:14:50'),
    ];
    const summary = summarizeDay(events, clock, at('12:00:00'));
    expect(summary.dayStart).toBe(at('00:00:00'));
    const [agent] = summary.agents;
    expect(agent?.rows.map((row) => [row.kind, row.reason, row.durationMs / 1000])).toEqual([
      ['login', undefined, 572],
      ['break', 'Training', 522],
      ['login', undefined, 428],
      ['break', 'Training', 138],
      ['break', 'Meeting', 290],
      ['logout', undefined, 0],
    ]);
    expect(agent?.loggedInMs).toBe(1000 * (572 + 428));
    expect(agent?.onBreakMs).toBe(1000 * (522 + 138 + 290));
    expect(agent?.status).toEqual({ kind: 'logged-out', since: at('10:14:50') });
    expect(new Set(agent?.rows.map((row) => row.key)).size).toBe(6);
  });

  it('runs ongoing rows to now and says since when the break runs, across a token renewal', () => {
    const events = [
      event('login', '08:00:00', { cause: 'page_load' }),
      event('status', '08:00:03', { status: 'break', reason: 'Lunch' }),
      event('login', '10:00:00', { cause: 'token_renewal' }),
    ];
    const now = at('10:30:00');
    const [agent] = summarizeDay(events, clock, now).agents;
    expect(agent?.rows.at(-1)).toMatchObject({
      kind: 'break',
      reason: 'Lunch',
      end: null,
      durationMs: 30 * 60_000,
    });
    expect(agent?.status).toEqual({ kind: 'break', reason: 'Lunch', since: at('08:00:03') });
  });

  it('is available since the last break ended', () => {
    const events = [
      event('login', '08:00:00', { cause: 'page_load' }),
      event('status', '09:00:00', { status: 'break' }),
      event('status', '09:15:00', { status: 'available' }),
    ];
    const [agent] = summarizeDay(events, clock, at('10:00:00')).agents;
    expect(agent?.status).toEqual({ kind: 'available', since: at('09:15:00') });
  });

  it('starts today at midnight a login that began yesterday and is still going', () => {
    const events = [event('login', '22:00:00', { cause: 'page_load' }, 9)];
    const now = at('01:00:00');
    expect(readSince(clock, now)).toBe(at('00:00:00', 9));
    const [agent] = summarizeDay(events, clock, now).agents;
    expect(agent?.rows).toMatchObject([{ kind: 'login', start: at('00:00:00'), end: null, continued: true }]);
    expect(agent?.loggedInMs).toBe(3_600_000);
  });

  it('has no rows today for an agent who logged out yesterday', () => {
    const events = [
      event('login', '08:00:00', { cause: 'page_load' }, 9),
      event('logout', '17:00:00', {}, 9),
    ];
    const [agent] = summarizeDay(events, clock, at('08:00:00')).agents;
    expect(agent?.rows).toEqual([]);
    expect(agent?.status.kind).toBe('logged-out');
  });

  it('is empty with no events', () => {
    expect(summarizeDay([], clock, at('08:00:00')).agents).toEqual([]);
    expect(currentStatus([])).toEqual({ kind: 'none' });
  });
});

describe('dayBar', () => {
  it('spans from the hour of the first row to now', () => {
    const events = [
      event('login', '08:30:00', { cause: 'page_load' }),
      event('status', '09:00:00', { status: 'break' }),
      event('status', '09:30:00', { status: 'available' }),
    ];
    const now = at('10:00:00');
    const [agent] = summarizeDay(events, clock, now).agents;
    const bar = dayBar(agent!.rows, clock, now)!;
    expect(bar.from).toBe(at('08:00:00'));
    expect(bar.to).toBe(now);
    expect(bar.spans.map(({ kind, left, width }) => [kind, left, width])).toEqual([
      ['login', 25, 75],
      ['break', 50, 25],
    ]);
  });
});
