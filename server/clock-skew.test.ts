import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { CellFormatter } from '../shared/format/cells.ts';
import { activity } from '../shared/reports/activity.ts';
import { validateRequest } from '../shared/reports/params.ts';
import type { Database } from './db/database.ts';
import { DATABASES } from './testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from './testing/http.ts';

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
type Pulled = ActivityEvent & { clockOffsetMs: number };

/** Activity rows as a person reads them: type, start date and time, end date and time. */
function activityTable(events: readonly ActivityEvent[], deviceTime: boolean): string[][] {
  const checked = validateRequest(activity, {
    timeZone: TZ,
    locale: 'en',
    asOf: '2026-03-12T00:00',
    splitDays: true,
    deviceTime,
  });
  if (!checked.ok) throw new Error(checked.error);
  const fmt = new CellFormatter('en', TZ);
  return activity
    .compute(events, checked.params)
    .rows.map((row) => [
      String(row[1]),
      fmt.format('date', row[2] ?? null),
      fmt.format('time', row[3] ?? null),
      fmt.format('date', row[4] ?? null),
      fmt.format('time', row[5] ?? null),
    ]);
}

// The server measures offsets; the database only stores them. PGlite, as the task names it.
describe.each(DATABASES.filter((database) => database.kind === 'pglite'))(
  'a device whose clock is 3 hours fast, through the server on $kind',
  ({ open }) => {
    let db: Database;
    let server: TestServer;
    serveForTests(open, (opened, started) => {
      db = opened;
      server = started;
    });

    it('pushes, is pulled, and its report shows corrected times by default and its own clock with the switch', async () => {
      const { userToken, deviceToken } = await tenantWithDevice(db, server, { agentIds: ['ana'] });
      // Ana worked 19:30–22:30 on 10 March in São Paulo (UTC-3); her PC, 3 h fast, read 22:30 to
      // 01:30: a day that crossed midnight. She synced in two pushes, the second after a break.
      const event = (id: string, type: string, at: string, extra: object = {}) => ({
        id,
        type,
        at,
        agentId: 'ana',
        agentName: 'Ana',
        deviceId: 'ana-pc',
        sessionId: 'ana-s1',
        ...extra,
      });
      const pushes = [
        [
          event('ana-1', 'login', '2026-03-11T01:30:00.000Z', { cause: 'page_load', ip: '203.0.113.7' }),
          event('ana-2', 'status', '2026-03-11T03:00:00.000Z', { status: 'break', reason: 'Lunch' }),
        ],
        [
          event('ana-3', 'status', '2026-03-11T03:10:00.000Z', { status: 'available' }),
          event('ana-4', 'logout', '2026-03-11T04:30:00.000Z'),
        ],
      ];
      const offsets: number[] = [];
      for (const events of pushes) {
        const push = await server.call<{ accepted: string[]; clockOffsetMs: number }>(
          'POST',
          '/api/v1/events/push',
          { token: deviceToken, body: { events, sentAt: new Date(Date.now() + 3 * HOUR).toISOString() } },
        );
        expect(push.status).toBe(200);
        expect(push.body.accepted).toHaveLength(2);
        offsets.push(push.body.clockOffsetMs);
      }
      // The measurement is -3 h plus the push's time on the way.
      for (const offset of offsets) {
        expect(offset).toBeGreaterThanOrEqual(-3 * HOUR);
        expect(offset).toBeLessThan(-3 * HOUR + 60_000);
      }

      const pull = await server.call<{ events: Pulled[] }>('GET', '/api/v1/events/pull?agentId=ana', {
        token: userToken,
      });
      expect(pull.body.events.map((pulled) => [pulled.id, pulled.clockOffsetMs])).toEqual([
        ['ana-1', offsets[0]],
        ['ana-2', offsets[0]],
        ['ana-3', offsets[1]],
        ['ana-4', offsets[1]],
      ]);

      // One offset for the whole session (the lower median of its four events' measurements), so
      // whatever the two pushes' delays were, the lengths of the rows are those Ana worked.
      const session = Math.min(...offsets);
      const fmt = new CellFormatter('en', TZ);
      const shown = (at: string) => {
        const ms = Date.parse(at) + session;
        return [fmt.format('date', ms), fmt.format('time', ms)];
      };
      expect(activityTable(pull.body.events, false)).toEqual([
        ['Login', ...shown('2026-03-11T01:30:00Z'), ...shown('2026-03-11T04:30:00Z')],
        ['Break - Lunch', ...shown('2026-03-11T03:00:00Z'), ...shown('2026-03-11T03:10:00Z')],
        ['Logout', ...shown('2026-03-11T04:30:00Z'), ...shown('2026-03-11T04:30:00Z')],
      ]);
      // Back on the day she worked it, whole: 19:30 to 22:30 on the 10th.
      expect([...shown('2026-03-11T01:30:00Z'), ...shown('2026-03-11T04:30:00Z')]).toEqual([
        '2026-03-10',
        '19:30:00',
        '2026-03-10',
        '22:30:00',
      ]);

      // The devices' own clocks: the day runs past midnight and is split there.
      expect(activityTable(pull.body.events, true)).toEqual([
        ['Login', '2026-03-10', '22:30:00', '2026-03-11', '00:00:00'],
        ['Login', '2026-03-11', '00:00:00', '2026-03-11', '01:30:00'],
        ['Break - Lunch', '2026-03-11', '00:00:00', '2026-03-11', '00:10:00'],
        ['Logout', '2026-03-11', '01:30:00', '2026-03-11', '01:30:00'],
      ]);
    });
  },
);
