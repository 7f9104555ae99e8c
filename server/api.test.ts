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
    agentId: 'fabio.rocha',
    agentName: 'Fabio Rocha',
    ...fields,
  }) as ActivityEvent;

describe.each(DATABASES)('sync API on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  it('a device pushes events once each; a supervisor pulls them after a cursor', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const first = [
      event(),
      event({ type: 'status', status: 'break', reason: 'Lunch', cause: undefined } as never),
    ];
    const push = await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: first },
    });
    expect(push.status).toBe(200);
    expect(push.body).toMatchObject({ accepted: first.map((e) => e.id), duplicates: [], rejected: [] });

    const again = await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [first[0], event({ id: 'x-1' }), event({ id: 'x-1' })] },
    });
    expect(again.body).toMatchObject({ accepted: ['x-1'], duplicates: [first[0]!.id, 'x-1'], rejected: [] });

    const page1 = await server.call<{ events: ActivityEvent[]; cursor: string; hasMore: boolean }>(
      'GET',
      '/api/v1/events/pull?limit=2',
      { token: userToken },
    );
    expect(page1.body.events.map((e) => e.id)).toEqual(first.map((e) => e.id));
    expect(page1.body.hasMore).toBe(true);
    const page2 = await server.call<{ events: ActivityEvent[]; cursor: string; hasMore: boolean }>(
      'GET',
      `/api/v1/events/pull?cursor=${page1.body.cursor}`,
      { token: userToken },
    );
    expect(page2.body.events.map((e) => e.id)).toEqual(['x-1']);
    expect(page2.body.hasMore).toBe(false);
    expect(page2.body.events[0]).toMatchObject({ agentName: 'Fabio Rocha', at: '2026-03-10T18:41:00.000Z' });
  });

  it('rejects each bad event alone, with a reason, and keeps the good ones', async () => {
    const { deviceToken } = await tenantWithDevice(db, server);
    const good = event();
    const push = await server.call<{
      accepted: string[];
      rejected: { index: number; id?: string; error: string }[];
    }>('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [{ id: 'bad', type: 'login' }, good, 'text', event({ at: 'yesterday' })] },
    });
    expect(push.status).toBe(200);
    expect(push.body.accepted).toEqual([good.id]);
    expect(push.body.rejected.map((r) => [r.index, r.error.split(':')[0]])).toEqual([
      [0, 'at'],
      [2, 'must be a JSON object'],
      [3, 'at'],
    ]);
  });

  it('keeps the device time and the clock offset it measured', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server, { agentIds: ['skewed'] });
    const deviceNow = new Date(Date.now() - 90_000).toISOString(); // a device 90 s behind
    const push = await server.call<{ clockOffsetMs: number }>('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [event({ agentId: 'skewed', at: '2026-03-10T18:41:00-03:00' })], sentAt: deviceNow },
    });
    expect(push.body.clockOffsetMs).toBeGreaterThanOrEqual(89_000);
    const pull = await server.call<{ events: (ActivityEvent & { clockOffsetMs: number })[] }>(
      'GET',
      '/api/v1/events/pull?agentId=skewed',
      { token: userToken },
    );
    expect(pull.body.events[0]).toMatchObject({ at: '2026-03-10T18:41:00-03:00' });
    expect(pull.body.events[0]!.clockOffsetMs).toBe(push.body.clockOffsetMs);
  });

  it('accepts a device whose clock is months off, and says by how much', async () => {
    const { deviceToken } = await tenantWithDevice(db, server);
    const ninetyDays = 90 * 24 * 3_600_000;
    const push = await server.call<{ accepted: string[]; clockOffsetMs: number }>(
      'POST',
      '/api/v1/events/push',
      {
        token: deviceToken,
        body: { events: [event()], sentAt: new Date(Date.now() - ninetyDays).toISOString() },
      },
    );
    expect(push.status).toBe(200);
    expect(push.body.accepted).toHaveLength(1);
    expect(push.body.clockOffsetMs).toBeGreaterThanOrEqual(ninetyDays);
  });

  it('a device enrolled for some agents may push only theirs', async () => {
    const { deviceToken } = await tenantWithDevice(db, server, { agentIds: ['ana'] });
    const push = await server.call<{ accepted: string[]; rejected: { error: string }[] }>(
      'POST',
      '/api/v1/events/push',
      {
        token: deviceToken,
        body: { events: [event({ agentId: 'ana' }), event({ agentId: 'bruno' })] },
      },
    );
    expect(push.body.accepted).toHaveLength(1);
    expect(push.body.rejected[0]!.error).toBe('agentId: bruno is not enrolled on this device');
  });

  it('keeps tenants apart: another tenant’s token sees nothing of this one', async () => {
    const mine = await tenantWithDevice(db, server, { agentIds: ['secret.agent'] });
    const theirs = await tenantWithDevice(db, server);
    await server.call('POST', '/api/v1/events/push', {
      token: mine.deviceToken,
      body: { events: [event({ agentId: 'secret.agent' })] },
    });
    const pull = await server.call<{ events: ActivityEvent[] }>(
      'GET',
      '/api/v1/events/pull?agentId=secret.agent',
      {
        token: theirs.userToken,
      },
    );
    expect(pull.status).toBe(200);
    expect(pull.body.events).toEqual([]);
    // A device token cannot read, a supervisor token cannot push.
    expect((await server.call('GET', '/api/v1/events/pull', { token: mine.deviceToken })).status).toBe(403);
    expect(
      (await server.call('POST', '/api/v1/events/push', { token: mine.userToken, body: { events: [] } }))
        .status,
    ).toBe(403);
    expect((await server.call('GET', '/api/v1/events/pull')).status).toBe(401);
  });

  it('enrollment codes expire and work once', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const code = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: userToken,
      body: {},
    });
    const enroll = () =>
      server.call('POST', '/api/v1/devices/enroll', {
        body: { code: code.body.code.toLowerCase(), deviceName: 'PC' },
      });
    expect((await enroll()).status).toBe(200);
    expect((await enroll()).status).toBe(403);
    const expiring = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: userToken,
      body: { ttlMinutes: 1 },
    });
    await db.query("update enrollment_codes set expires_at = now() - interval '1 second'");
    const late = await server.call<{ error: string }>('POST', '/api/v1/devices/enroll', {
      body: { code: expiring.body.code, deviceName: 'PC' },
    });
    expect(late.status).toBe(403);
    expect(late.body.error).toMatch(/expired/);
  });

  it('signing out revokes the token', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    expect((await server.call('POST', '/api/v1/auth/logout', { token: userToken })).status).toBe(200);
    expect((await server.call('GET', '/api/v1/events/pull', { token: userToken })).status).toBe(401);
    const wrong = await server.call('POST', '/api/v1/auth/login', {
      body: { email: 'nobody@x.y', password: 'no' },
    });
    expect(wrong.status).toBe(401);
  });

  it('refuses malformed and oversized bodies with a clear status', async () => {
    const { deviceToken } = await tenantWithDevice(db, server);
    const broken = await server.call<{ error: string }>('POST', '/api/v1/events/push', {
      token: deviceToken,
      rawBody: '{"events": [',
    });
    expect(broken.status).toBe(400);
    const tooMany = await server.call<{ error: string }>('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: Array.from({ length: MAX_PUSH_EVENTS + 1 }, () => event()) },
    });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error).toMatch(/at most 1000 events/);
    const huge = await server.call<{ error: string }>('POST', '/api/v1/events/push', {
      token: deviceToken,
      rawBody: JSON.stringify({ events: [event({ agentName: 'x'.repeat(5 * 1024 * 1024) })] }),
    });
    expect(huge.status).toBe(413);
  });

  it('stores SQL-looking text in every field as text', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const sql = "x'); drop table events; --";
    const hostile = event({ id: sql, agentId: sql, agentName: sql, ip: sql, sessionId: sql, deviceId: sql });
    const push = await server.call<{ accepted: string[] }>('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [hostile] },
    });
    expect(push.body).toMatchObject({ accepted: [sql] });
    const pull = await server.call<{ events: ActivityEvent[] }>(
      'GET',
      `/api/v1/events/pull?agentId=${encodeURIComponent(sql)}`,
      { token: userToken },
    );
    expect(pull.body.events[0]).toMatchObject({ id: sql, agentName: sql, ip: sql });
    const login = await server.call('POST', '/api/v1/auth/login', { body: { email: sql, password: sql } });
    expect(login.status).toBe(401);
  });

  it('limits sign-in attempts per address', async () => {
    // On PostgreSQL the instances share their counts: this file's other sign-ins (on a server with
    // a high limit) would count against the same address. A new window for this test.
    await db.query('delete from rate_limits');
    const limited = await startTestServer(db, { login: 3 });
    try {
      const attempt = () =>
        limited.call('POST', '/api/v1/auth/login', { body: { email: 'a@b.c', password: 'guess' } });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await attempt()).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});
