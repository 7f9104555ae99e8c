import { describe, expect, it } from 'vitest';
import type { Device } from '../../shared/api/devices.ts';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import type { Database } from '../db/database.ts';
import { createUser } from '../tenants.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

const loginEvent = (agentId = 'ana') => ({
  id: uuidv7(),
  type: 'login',
  cause: 'page_load',
  at: '2026-03-10T18:41:00.000Z',
  agentId,
});

describe.each(DATABASES)('devices on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  const list = (token: string) => server.call<{ devices: Device[] }>('GET', '/api/v1/devices', { token });
  const revoke = (token: string, id: string) =>
    server.call<{ device: Device; error?: string }>('POST', `/api/v1/devices/${id}/revoke`, { token });
  const push = (token: string) =>
    server.call('POST', '/api/v1/events/push', { token, body: { events: [loginEvent()] } });

  async function supervisorOf(tenantId: string) {
    const email = `sup-${Math.random().toString(36).slice(2, 10)}@example.com`;
    await createUser(db, { tenantId, email, password: 'correct horse', role: 'supervisor' });
    const login = await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email, password: 'correct horse' },
    });
    return login.body.token;
  }

  it('lists the tenant’s devices to admins and supervisors', async () => {
    const { userToken, tenantId, deviceId } = await tenantWithDevice(db, server, {
      role: 'admin',
      agentIds: ['ana', 'bia'],
    });
    const response = await list(userToken);
    expect(response.status).toBe(200);
    expect(response.body.devices).toEqual([
      {
        id: deviceId,
        name: 'Agent PC 1',
        lastSeenAt: null,
        eventsWaiting: null,
        version: null,
        agentIds: ['ana', 'bia'],
        enrolledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        revokedAt: null,
      },
    ]);
    expect((await list(await supervisorOf(tenantId))).body.devices.map((d) => d.id)).toEqual([deviceId]);
    // A device enrolled for any agent.
    const any = await tenantWithDevice(db, server);
    expect((await list(any.userToken)).body.devices[0]!.agentIds).toBeNull();
  });

  it('a device reports with each push: its agent names it, its last push, events waiting, version', async () => {
    const { userToken, deviceToken, deviceId } = await tenantWithDevice(db, server);
    const first = await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [{ ...loginEvent(), agentName: 'Ana Souza' }], waiting: 1200, version: '1.4.0' },
    });
    expect(first.status).toBe(200);
    const [device] = (await list(userToken)).body.devices;
    expect(device).toMatchObject({ id: deviceId, name: 'Ana Souza', eventsWaiting: 1200, version: '1.4.0' });
    const seen = Date.parse(device!.lastSeenAt!);
    expect(Number.isNaN(seen)).toBe(false);
    // A report with no events (nothing left to send) is still a sign of life; the name stays.
    await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [], waiting: 0 },
    });
    const [later] = (await list(userToken)).body.devices;
    expect(later).toMatchObject({ name: 'Ana Souza', eventsWaiting: 0, version: '1.4.0' });
    expect(Date.parse(later!.lastSeenAt!)).toBeGreaterThanOrEqual(seen);
    // A refused event does not rename it.
    await server.call('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [{ ...loginEvent(), at: 'yesterday', agentName: 'Mallory' }] },
    });
    expect((await list(userToken)).body.devices[0]!.name).toBe('Ana Souza');
    const bad = await server.call<{ error: string }>('POST', '/api/v1/events/push', {
      token: deviceToken,
      body: { events: [], waiting: -1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/waiting/);
  });

  it('an admin revokes a device: its token stops at once', async () => {
    const { userToken, deviceToken, deviceId } = await tenantWithDevice(db, server, { role: 'admin' });
    expect((await push(deviceToken)).status).toBe(200);
    const revoked = await revoke(userToken, deviceId);
    expect(revoked.status).toBe(200);
    expect(revoked.body.device).toMatchObject({ id: deviceId, revokedAt: expect.any(String) });
    const refused = await push(deviceToken);
    expect(refused.status).toBe(401);
    expect((await list(userToken)).body.devices[0]!.revokedAt).toBe(revoked.body.device.revokedAt);
    // Revoking again keeps the first time.
    const again = await revoke(userToken, deviceId);
    expect(again.status).toBe(200);
    expect(again.body.device.revokedAt).toBe(revoked.body.device.revokedAt);
    const [live] = await db.query<{ n: string | number }>(
      'select count(*) as n from tokens where device_id = $1 and revoked_at is null',
      [deviceId],
    );
    expect(Number(live!.n)).toBe(0);
  });

  it('only admins revoke: a supervisor gets 403, a device 403, no token 401', async () => {
    const { tenantId, deviceToken, deviceId } = await tenantWithDevice(db, server, { role: 'admin' });
    const supervisor = await supervisorOf(tenantId);
    expect((await revoke(supervisor, deviceId)).status).toBe(403);
    expect((await revoke(deviceToken, deviceId)).status).toBe(403);
    expect((await server.call('GET', '/api/v1/devices', { token: deviceToken })).status).toBe(403);
    expect((await server.call('POST', `/api/v1/devices/${deviceId}/revoke`)).status).toBe(401);
    expect((await server.call('GET', '/api/v1/devices')).status).toBe(401);
    expect((await push(deviceToken)).status).toBe(200);
  });

  it('keeps tenants apart: another tenant’s devices are neither listed nor revocable', async () => {
    const mine = await tenantWithDevice(db, server, { role: 'admin' });
    const theirs = await tenantWithDevice(db, server, { role: 'admin' });
    expect((await list(mine.userToken)).body.devices.map((d) => d.id)).toEqual([mine.deviceId]);
    for (const id of [theirs.deviceId, 'no-such-device']) {
      const response = await revoke(mine.userToken, id);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: 'no such device' });
    }
    expect((await push(theirs.deviceToken)).status).toBe(200);
    expect((await list(theirs.userToken)).body.devices[0]!.revokedAt).toBeNull();
  });
});
