import { describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { createUser, type Role } from '../tenants.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';
import type { User } from './users.ts';

const PASSWORD = 'correct horse';

describe.each(DATABASES)('users on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  const login = (email: string, password = PASSWORD) =>
    server.call<{ token: string; user: { id: string }; error?: string }>('POST', '/api/v1/auth/login', {
      body: { email, password },
    });

  /** Another person signed in to the same tenant. */
  async function colleague(tenantId: string, role: Role = 'supervisor') {
    const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const user = await createUser(db, { tenantId, email, password: PASSWORD, role });
    return { token: (await login(email)).body.token, userId: user.id, email };
  }

  /** A tenant with an admin signed in (and a device enrolled). */
  async function adminTenant() {
    const tenant = await tenantWithDevice(db, server, { role: 'admin' });
    const me = await server.call<{ user: { id: string } }>('GET', '/api/v1/me', { token: tenant.userToken });
    return { ...tenant, adminId: me.body.user.id };
  }

  const list = async (token: string) =>
    (await server.call<{ users: User[] }>('GET', '/api/v1/users', { token })).body.users;
  const add = (token: string, body: Record<string, unknown>) =>
    server.call<{ user: User; error?: string }>('POST', '/api/v1/users', { token, body });
  const remove = (token: string, id: string) =>
    server.call<{ user: User; error?: string }>('DELETE', `/api/v1/users/${id}`, { token });

  it('an admin lists and adds people; never a password hash', async () => {
    const { userToken, email } = await adminTenant();
    const added = await add(userToken, {
      email: 'Bia@Example.com',
      password: PASSWORD,
      role: 'supervisor',
    });
    expect(added.status).toBe(201);
    expect(added.body.user).toEqual({
      id: expect.any(String),
      email: 'bia@example.com',
      role: 'supervisor',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      disabledAt: null,
    });
    const users = await list(userToken);
    expect(users.map((u) => [u.email, u.role])).toEqual([
      [email, 'admin'],
      ['bia@example.com', 'supervisor'],
    ]);
    expect(JSON.stringify(users)).not.toMatch(/scrypt|password/i);
    // The new person signs in.
    expect((await login('bia@example.com')).status).toBe(200);
  });

  it('refuses an email in use (any tenant), a short password and an unknown role', async () => {
    const { userToken, email } = await adminTenant();
    const other = await adminTenant();
    const again = await add(userToken, { email: email.toUpperCase(), password: PASSWORD, role: 'admin' });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(`the email ${email} cannot be added: use another address`);
    const theirs = await add(userToken, { email: other.email, password: PASSWORD, role: 'supervisor' });
    expect(theirs.status).toBe(409);
    expect(JSON.stringify(theirs.body)).not.toContain(other.tenantId);
    expect((await add(userToken, { email: 'x@example.com', password: 'short', role: 'admin' })).status).toBe(
      400,
    );
    expect(
      (await add(userToken, { email: 'y@example.com', password: PASSWORD, role: 'device' })).status,
    ).toBe(400);
    expect((await add(userToken, { email: 'no-at-sign', password: PASSWORD, role: 'admin' })).status).toBe(
      400,
    );
  });

  it('an admin cannot tell whether an email is used in another tenant: one answer for every refusal', async () => {
    const mine = await adminTenant();
    const myColleague = await colleague(mine.tenantId);
    const theirs = await adminTenant();
    const theirSupervisor = await colleague(theirs.tenantId);
    const theirRemoved = await colleague(theirs.tenantId);
    await remove(theirs.userToken, theirRemoved.userId);
    /** The answer to adding `email` to my tenant, with the email itself taken out. */
    const answer = async (email: string) => {
      const response = await add(mine.userToken, { email, password: PASSWORD, role: 'supervisor' });
      return {
        status: response.status,
        body: JSON.stringify(response.body).replaceAll(email.toLowerCase(), '<email>'),
        headers: [...response.headers.keys()].sort(),
      };
    };
    const inMyTenant = await answer(myColleague.email);
    expect(inMyTenant.status).toBe(409);
    // Nothing in it says that an account exists, nor where.
    expect(inMyTenant.body).not.toMatch(/exist|already|tenant|account|another (user|person)/i);
    for (const email of [mine.email.toUpperCase(), theirs.email, theirSupervisor.email, theirRemoved.email]) {
      expect(await answer(email)).toEqual(inMyTenant);
    }
    // Nothing changed on either side: their people sign in as before, their removed one stays
    // removed and theirs, and my list is what it was.
    expect((await login(theirs.email)).status).toBe(200);
    expect((await login(theirSupervisor.email)).status).toBe(200);
    expect((await login(theirRemoved.email)).status).toBe(401);
    expect(
      (await list(theirs.userToken)).find((u) => u.id === theirRemoved.userId)?.disabledAt,
    ).not.toBeNull();
    expect((await list(mine.userToken)).map((u) => u.email)).toEqual([mine.email, myColleague.email]);
  });

  it('only admins manage people: a supervisor gets 403, a device 403, no token 401', async () => {
    const { userToken, tenantId, deviceToken, adminId } = await adminTenant();
    const supervisor = await colleague(tenantId);
    expect((await server.call('GET', '/api/v1/users', { token: supervisor.token })).status).toBe(403);
    expect(
      (await add(supervisor.token, { email: 'z@example.com', password: PASSWORD, role: 'admin' })).status,
    ).toBe(403);
    expect((await remove(supervisor.token, adminId)).status).toBe(403);
    expect((await server.call('GET', '/api/v1/users', { token: deviceToken })).status).toBe(403);
    expect(
      (await add(deviceToken, { email: 'z@example.com', password: PASSWORD, role: 'admin' })).status,
    ).toBe(403);
    expect((await server.call('GET', '/api/v1/users')).status).toBe(401);
    expect((await remove('', adminId)).status).toBe(401);
    // Nothing was added or removed.
    expect((await list(userToken)).map((u) => [u.id === adminId, u.disabledAt])).toEqual([
      [true, null],
      [false, null],
    ]);
  });

  it('removing a person stops their tokens at once and their sign-in; they stay listed', async () => {
    const { userToken, tenantId } = await adminTenant();
    const bia = await colleague(tenantId);
    const secondSession = (await login(bia.email)).body.token;
    expect((await server.call('GET', '/api/v1/events/pull', { token: bia.token })).status).toBe(200);

    const removed = await remove(userToken, bia.userId);
    expect(removed.status).toBe(200);
    expect(removed.body.user).toMatchObject({
      id: bia.userId,
      email: bia.email,
      disabledAt: expect.any(String),
    });
    for (const token of [bia.token, secondSession]) {
      expect((await server.call('GET', '/api/v1/events/pull', { token })).status).toBe(401);
      expect((await server.call('GET', '/api/v1/me', { token })).status).toBe(401);
    }
    const signIn = await login(bia.email);
    expect(signIn.status).toBe(401);
    expect(signIn.body.error).toBe('wrong email or password');
    expect((await list(userToken)).find((u) => u.id === bia.userId)?.disabledAt).toBe(
      removed.body.user.disabledAt,
    );
    // Removing again changes nothing.
    const again = await remove(userToken, bia.userId);
    expect(again.status).toBe(200);
    expect(again.body.user.disabledAt).toBe(removed.body.user.disabledAt);
  });

  it('a token the guard would still accept is refused once its person is disabled', async () => {
    const { tenantId } = await adminTenant();
    const bia = await colleague(tenantId);
    // Disabled without revoking the tokens (as a script might): the guard still refuses them.
    await db.query('update users set disabled_at = now() where id = $1', [bia.userId]);
    expect((await server.call('GET', '/api/v1/events/pull', { token: bia.token })).status).toBe(401);
  });

  it('adding back a removed person restores them with the new password and role', async () => {
    const { userToken, tenantId } = await adminTenant();
    const bia = await colleague(tenantId);
    await remove(userToken, bia.userId);
    const back = await add(userToken, { email: bia.email, password: 'a new password', role: 'admin' });
    expect(back.status).toBe(201);
    expect(back.body.user).toMatchObject({ id: bia.userId, role: 'admin', disabledAt: null });
    expect((await login(bia.email)).status).toBe(401);
    expect((await login(bia.email, 'a new password')).status).toBe(200);
    // The old tokens stay revoked.
    expect((await server.call('GET', '/api/v1/events/pull', { token: bia.token })).status).toBe(401);
    // Another tenant cannot take the email over.
    const other = await adminTenant();
    await remove(userToken, bia.userId);
    expect((await add(other.userToken, { email: bia.email, password: PASSWORD, role: 'admin' })).status).toBe(
      409,
    );
  });

  it('an admin may not remove themselves', async () => {
    const { userToken, adminId } = await adminTenant();
    const self = await remove(userToken, adminId);
    expect(self.status).toBe(409);
    expect(self.body.error).toMatch(/cannot remove your own access/);
    expect((await server.call('GET', '/api/v1/me', { token: userToken })).status).toBe(200);
  });

  it('two admins removing each other at once leave one of them', async () => {
    const { userToken, tenantId, adminId } = await adminTenant();
    const other = await colleague(tenantId, 'admin');
    const [a, b] = await Promise.all([remove(userToken, other.userId), remove(other.token, adminId)]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const active = (await list(a.status === 200 ? userToken : other.token)).filter((u) => !u.disabledAt);
    expect(active).toHaveLength(1);
  });

  it('keeps tenants apart: another tenant’s people are neither listed nor removable', async () => {
    const mine = await adminTenant();
    const theirs = await adminTenant();
    const theirSupervisor = await colleague(theirs.tenantId);
    const users = await list(mine.userToken);
    expect(users.map((u) => u.id)).toEqual([mine.adminId]);
    for (const id of [theirs.adminId, theirSupervisor.userId, 'no-such-id']) {
      const response = await remove(mine.userToken, id);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: 'no such user' });
    }
    expect((await server.call('GET', '/api/v1/me', { token: theirSupervisor.token })).status).toBe(200);
  });
});
