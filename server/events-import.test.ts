import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import type { Database } from './db/database.ts';
import { MAX_PUSH_EVENTS } from './routes/events.ts';
import { DATABASES } from './testing/databases.ts';
import { serveForTests, startTestServer, type TestServer, tenantWithDevice } from './testing/http.ts';

const event = (fields: Partial<ActivityEvent> = {}): ActivityEvent =>
  ({
    id: uuidv7(),
    type: 'login',
    cause: 'page_load',
    at: '2026-03-10T18:41:00.000Z',
    agentId: 'carla.dias',
    agentName: 'Carla Dias',
    ...fields,
  }) as ActivityEvent;

interface Answer {
  accepted: string[];
  duplicates: string[];
  rejected: { index: number; id?: string; error: string }[];
  clockOffsetMs: number;
}

describe.each(DATABASES)('supervisor import on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  it('imports good events once each, rejects bad ones, and the good ones are then pulled', async () => {
    // The device is enrolled for one agent only: an import is not limited to it.
    const { userToken, deviceToken } = await tenantWithDevice(db, server, { agentIds: ['carla.dias'] });
    const pushed = event();
    expect(
      (await server.call('POST', '/api/v1/events/push', { token: deviceToken, body: { events: [pushed] } }))
        .status,
    ).toBe(200);

    const other = event({ agentId: 'davi.lima', agentName: 'Davi Lima', extra: { note: 'kept' } } as never);
    const again = event();
    const late = event({ at: 'yesterday' });
    const events = [other, { id: 'bad-1', type: 'login' }, pushed, again, again, 'text', late];
    const sentAt = new Date(Date.now() - 60_000).toISOString();
    const imported = await server.call<Answer>('POST', '/api/v1/events/import', {
      token: userToken,
      body: { events, sentAt },
    });
    expect(imported.status).toBe(200);
    expect(imported.body.accepted).toEqual([other.id, again.id]);
    expect(imported.body.duplicates).toEqual([pushed.id, again.id]);
    expect(imported.body.rejected.map((r) => [r.index, r.id, r.error.split(':')[0]])).toEqual([
      [1, 'bad-1', 'at'],
      [5, undefined, 'must be a JSON object'],
      [6, late.id, 'at'],
    ]);
    expect(imported.body.clockOffsetMs).toBeGreaterThanOrEqual(59_000);

    // Importing the same batch again stores nothing new.
    const twice = await server.call<Answer>('POST', '/api/v1/events/import', {
      token: userToken,
      body: { events: [other, again] },
    });
    expect(twice.body).toMatchObject({ accepted: [], duplicates: [other.id, again.id], rejected: [] });

    const pull = await server.call<{ events: (ActivityEvent & { clockOffsetMs: number })[] }>(
      'GET',
      '/api/v1/events/pull',
      { token: userToken },
    );
    expect(pull.body.events.map((e) => e.id)).toEqual([pushed.id, other.id, again.id]);
    expect(pull.body.events[1]).toEqual({ ...other, clockOffsetMs: imported.body.clockOffsetMs });
    const [row] = await db.query<{ device_id: string | null }>('select device_id from events where id = $1', [
      other.id,
    ]);
    expect(row?.device_id).toBeNull();
  });

  it('is for supervisors and admins: a device token gets 403, no token 401', async () => {
    const { deviceToken, userToken } = await tenantWithDevice(db, server);
    const byDevice = await server.call('POST', '/api/v1/events/import', {
      token: deviceToken,
      body: { events: [event()] },
    });
    expect(byDevice.status).toBe(403);
    expect((await server.call('POST', '/api/v1/events/import', { body: { events: [] } })).status).toBe(401);
    const admin = await tenantWithDevice(db, server, { role: 'admin' });
    const byAdmin = await server.call<Answer>('POST', '/api/v1/events/import', {
      token: admin.userToken,
      body: { events: [event()] },
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.accepted).toHaveLength(1);
    const tooMany = await server.call<{ error: string }>('POST', '/api/v1/events/import', {
      token: userToken,
      body: { events: Array.from({ length: MAX_PUSH_EVENTS + 1 }, () => event()) },
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatch(/at most 1000 events/);
  });

  it('is rate-limited per token like a push', async () => {
    const limited = await startTestServer(db, { push: 2 });
    try {
      const { userToken } = await tenantWithDevice(db, limited);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (
            await limited.call('POST', '/api/v1/events/import', {
              token: userToken,
              body: { events: [event()] },
            })
          ).status,
        );
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
