import { describe, expect, it } from 'vitest';
import type { EnrollmentCode, NewCodeAnswer } from '../../shared/api/enrollment.ts';
import type { Database } from '../db/database.ts';
import { createUser, type Role } from '../tenants.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

describe.each(DATABASES)('enrollment codes on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  async function colleague(tenantId: string, role: Role = 'supervisor') {
    const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const user = await createUser(db, { tenantId, email, password: 'correct horse', role });
    const login = await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email, password: 'correct horse' },
    });
    return { token: login.body.token, userId: user.id, email };
  }

  const create = async (token: string, body: Record<string, unknown> = {}) =>
    (
      await server.call<NewCodeAnswer>('POST', '/api/v1/enrollment-codes', {
        token,
        body,
      })
    ).body;
  const list = (token: string) =>
    server.call<{ codes: EnrollmentCode[] }>('GET', '/api/v1/enrollment-codes', { token });
  const withdraw = (token: string, id: string) =>
    server.call<{ error?: string }>('DELETE', `/api/v1/enrollment-codes/${id}`, { token });
  const enroll = (code: string) =>
    server.call<{ deviceId: string; error?: string }>('POST', '/api/v1/devices/enroll', {
      body: { code, deviceName: 'PC' },
    });

  it('lists the tenant’s codes, newest first, never the code itself', async () => {
    const { userToken, deviceId, email, tenantId } = await tenantWithDevice(db, server);
    const fresh = await create(userToken, { agentIds: ['ana'], ttlMinutes: 30 });
    expect(fresh.id).toEqual(expect.any(String));
    const response = await list(userToken);
    expect(response.status).toBe(200);
    const [newest, used] = response.body.codes;
    expect(response.body.codes).toHaveLength(2);
    expect(newest).toEqual({
      id: fresh.id,
      agentIds: ['ana'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      expiresAt: fresh.expiresAt,
      usedAt: null,
      deviceId: null,
      createdBy: { id: expect.any(String), email },
      maxUses: 1,
      uses: 0,
    });
    expect(Date.parse(newest!.expiresAt) - Date.parse(newest!.createdAt)).toBe(30 * 60_000);
    expect(used).toMatchObject({
      agentIds: null,
      usedAt: expect.any(String),
      maxUses: 1,
      uses: 1,
      deviceId,
      createdBy: { email },
    });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(fresh.code);
    expect(text).not.toContain(fresh.code.replace('-', ''));
    expect(text).not.toMatch(/hash/i);
    // An admin of the tenant sees the same codes.
    const admin = await colleague(tenantId, 'admin');
    expect((await list(admin.token)).body.codes.map((c) => c.id)).toEqual(
      response.body.codes.map((c) => c.id),
    );
  });

  it('a withdrawn code cannot enroll', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const { id, code } = await create(userToken);
    const withdrawn = await withdraw(userToken, id);
    expect(withdrawn.status).toBe(204);
    const late = await enroll(code);
    expect(late.status).toBe(403);
    expect(late.body.error).toBe('this enrollment code is unknown, expired or already used');
    expect((await list(userToken)).body.codes.map((c) => c.id)).not.toContain(id);
    expect((await withdraw(userToken, id)).status).toBe(404);
  });

  it('a used code cannot be withdrawn: revoke the device instead', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const { id, code } = await create(userToken);
    expect((await enroll(code)).status).toBe(200);
    const response = await withdraw(userToken, id);
    expect(response.status).toBe(409);
    expect(response.body.error).toMatch(/enrolled all the devices it allows already; revoke those devices/);
  });

  it('a supervisor withdraws their own codes, an admin anyone’s; a device and no token cannot', async () => {
    const { userToken, tenantId, deviceToken } = await tenantWithDevice(db, server);
    const other = await colleague(tenantId);
    const admin = await colleague(tenantId, 'admin');
    const mine = await create(userToken);
    const forbidden = await withdraw(other.token, mine.id);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatch(/only an admin or the person who created this code/);
    expect((await withdraw(deviceToken, mine.id)).status).toBe(403);
    expect((await server.call('GET', '/api/v1/enrollment-codes', { token: deviceToken })).status).toBe(403);
    expect((await server.call('DELETE', `/api/v1/enrollment-codes/${mine.id}`)).status).toBe(401);
    expect((await server.call('GET', '/api/v1/enrollment-codes')).status).toBe(401);
    expect((await withdraw(admin.token, mine.id)).status).toBe(204);
    expect((await enroll(mine.code)).status).toBe(403);
  });

  it('removing a person withdraws the codes they made that nobody used', async () => {
    const { tenantId } = await tenantWithDevice(db, server);
    const admin = await colleague(tenantId, 'admin');
    const leaving = await colleague(tenantId);
    const unused = await create(leaving.token);
    const usedCode = await create(leaving.token);
    expect((await enroll(usedCode.code)).status).toBe(200);
    expect(
      (await server.call('DELETE', `/api/v1/users/${leaving.userId}`, { token: admin.token })).status,
    ).toBe(200);
    expect((await enroll(unused.code)).status).toBe(403);
    const codes = (await list(admin.token)).body.codes;
    expect(codes.map((c) => c.id)).toContain(usedCode.id);
    expect(codes.map((c) => c.id)).not.toContain(unused.id);
  });

  it('a code for N devices enrolls N of them, counted atomically when they come together', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const made = await create(userToken, { maxUses: 3, ttlMinutes: 120 });
    expect(made.maxUses).toBe(3);
    // Six devices at once: the row lock counts each use, so exactly three get in.
    const answers = await Promise.all(Array.from({ length: 6 }, () => enroll(made.code)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 403, 403, 403]);
    expect(new Set(answers.filter((a) => a.status === 200).map((a) => a.body.deviceId)).size).toBe(3);
    const listed = (await list(userToken)).body.codes.find((c) => c.id === made.id)!;
    expect(listed).toMatchObject({ maxUses: 3, uses: 3, usedAt: expect.any(String) });
    expect((await withdraw(userToken, made.id)).status).toBe(409);
  });

  it('withdrawing a code that enrolled some of its devices closes it and keeps its count', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const made = await create(userToken, { maxUses: 5 });
    expect((await enroll(made.code)).status).toBe(200);
    expect((await list(userToken)).body.codes.find((c) => c.id === made.id)).toMatchObject({
      uses: 1,
      usedAt: null,
    });
    expect((await withdraw(userToken, made.id)).status).toBe(204);
    expect((await enroll(made.code)).status).toBe(403);
    expect((await list(userToken)).body.codes.find((c) => c.id === made.id)).toMatchObject({
      maxUses: 1,
      uses: 1,
      usedAt: expect.any(String),
    });
  });

  it('an expired code for many devices enrolls none', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const made = await create(userToken, { maxUses: 10, ttlMinutes: 1 });
    await db.query("update enrollment_codes set expires_at = now() - interval '1 second' where id = $1", [
      made.id,
    ]);
    const late = await enroll(made.code);
    expect(late.status).toBe(403);
    expect(late.body.error).toBe('this enrollment code is unknown, expired or already used');
  });

  it('a batch makes N single-use codes, each shown this once', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const response = await server.call<{ codes: { id: string; code: string; maxUses: number }[] }>(
      'POST',
      '/api/v1/enrollment-codes/batch',
      { token: userToken, body: { count: 4, agentIds: ['ana'], ttlMinutes: 600 } },
    );
    expect(response.status).toBe(200);
    const { codes } = response.body;
    expect(codes).toHaveLength(4);
    expect(new Set(codes.map((c) => c.code)).size).toBe(4);
    expect(codes.every((c) => c.maxUses === 1)).toBe(true);
    expect((await enroll(codes[2]!.code)).status).toBe(200);
    expect((await enroll(codes[2]!.code)).status).toBe(403);
    const listed = (await list(userToken)).body.codes.filter((c) => codes.some((m) => m.id === c.id));
    expect(listed).toHaveLength(4);
    expect(listed.every((c) => c.agentIds?.join() === 'ana')).toBe(true);
    const tooMany = await server.call<{ error: string }>('POST', '/api/v1/enrollment-codes/batch', {
      token: userToken,
      body: { count: 501 },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatch(/count/);
  });

  it('keeps tenants apart: another tenant’s codes are neither listed nor withdrawable', async () => {
    const mine = await tenantWithDevice(db, server, { role: 'admin' });
    const theirs = await tenantWithDevice(db, server, { role: 'admin' });
    const theirCode = await create(theirs.userToken);
    const listed = (await list(mine.userToken)).body.codes.map((c) => c.id);
    expect(listed).toHaveLength(1);
    expect(listed).not.toContain(theirCode.id);
    for (const id of [theirCode.id, 'no-such-code']) {
      const response = await withdraw(mine.userToken, id);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: 'no such enrollment code' });
    }
    expect((await enroll(theirCode.code)).status).toBe(200);
  });
});
