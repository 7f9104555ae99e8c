import { describe, expect, it } from 'vitest';
import { scryptDerivations, unknownUserHash, verifyPassword } from '../auth/passwords.ts';
import type { Database } from '../db/database.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

describe.each(DATABASES)('who is signed in on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  it('GET /me answers the signed-in person as login does, and their tenant', async () => {
    for (const role of ['admin', 'supervisor'] as const) {
      const { userToken, email, tenantId } = await tenantWithDevice(db, server, { role });
      const login = await server.call<{ user: Record<string, unknown> }>('POST', '/api/v1/auth/login', {
        body: { email, password: 'correct horse' },
      });
      const me = await server.call<{ user: Record<string, unknown>; tenant: Record<string, unknown> }>(
        'GET',
        '/api/v1/me',
        { token: userToken },
      );
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        user: login.body.user,
        tenant: { id: tenantId, name: expect.stringMatching(/^tenant-/) },
      });
      expect(me.body.user).toEqual({ id: expect.any(String), email, role, tenantId });
    }
  });

  it('an unknown email runs the same scrypt work as a known one, and gets the same answer', async () => {
    const { email } = await tenantWithDevice(db, server);
    const attempt = async (who: string) => {
      const before = scryptDerivations();
      const answer = await server.call('POST', '/api/v1/auth/login', {
        body: { email: who, password: 'wrong guess' },
      });
      return { status: answer.status, body: answer.body, derivations: scryptDerivations() - before };
    };
    const known = await attempt(email);
    const unknown = await attempt(`nobody-${Math.random().toString(36).slice(2)}@example.com`);
    expect(known).toEqual({ status: 401, body: { error: 'wrong email or password' }, derivations: 1 });
    expect(unknown).toEqual(known);
  });

  it('checks an unknown email against a real hash with the parameters new passwords get', async () => {
    const dummy = await unknownUserHash();
    expect(dummy).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await unknownUserHash()).toBe(dummy); // made once
    expect(await verifyPassword('', dummy)).toBe(false);
  });

  it('GET /me is for people: a device gets 403, no token or a signed-out one 401', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    expect((await server.call('GET', '/api/v1/me', { token: deviceToken })).status).toBe(403);
    expect((await server.call('GET', '/api/v1/me')).status).toBe(401);
    await server.call('POST', '/api/v1/auth/logout', { token: userToken });
    expect((await server.call('GET', '/api/v1/me', { token: userToken })).status).toBe(401);
  });
});
