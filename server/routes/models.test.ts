import { describe, expect, it } from 'vitest';
import type { ModelBody, SharedModel } from '../../shared/api/models.ts';
import type { Database } from '../db/database.ts';
import { createUser, type Role } from '../tenants.ts';
import { DATABASES } from '../testing/databases.ts';
import { openEventStream } from '../testing/event-stream.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

const PASSWORD = 'correct horse';
const FILTERS: ModelBody['filters'] = {
  fromDate: '2026-03-01',
  toDate: '2026-03-07',
  timeZone: 'America/Sao_Paulo',
  locale: 'pt-BR',
  splitDays: false,
  agentIds: [],
  options: { status: 'failed' },
  hiddenColumns: ['cost'],
  formats: ['csv', 'xlsx'],
};
const model = (name: string, fields: Partial<ModelBody> = {}): ModelBody => ({
  reportId: 'messages-detailed',
  name,
  filters: FILTERS,
  ...fields,
});

describe.each(DATABASES)('shared models on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  /** Another person signed in to the same tenant. */
  async function colleague(tenantId: string, role: Role = 'supervisor') {
    const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const user = await createUser(db, { tenantId, email, password: PASSWORD, role });
    const login = await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email, password: PASSWORD },
    });
    return { token: login.body.token, userId: user.id, email };
  }
  const list = async (token: string) =>
    (await server.call<{ models: SharedModel[] }>('GET', '/api/v1/models', { token })).body.models;

  it('shares a model with the team, who see it; the owner or an admin changes and deletes it', async () => {
    const ana = await tenantWithDevice(db, server);
    const bia = await colleague(ana.tenantId);
    const admin = await colleague(ana.tenantId, 'admin');
    const stream = await openEventStream(server.url, bia.token);
    try {
      const created = await server.call<{ model: SharedModel }>('POST', '/api/v1/models', {
        token: ana.userToken,
        body: model('Falhas da semana', { relativeDays: 7 }),
      });
      expect(created.status).toBe(201);
      expect(created.body.model).toMatchObject({
        reportId: 'messages-detailed',
        name: 'Falhas da semana',
        filters: FILTERS,
        relativeDays: 7,
        createdBy: { email: ana.email },
      });
      // The teammate's app hears of it on the stream and finds it in the list.
      await stream.waitFor('models');
      expect(await list(bia.token)).toEqual([created.body.model]);

      const id = created.body.model.id;
      const byBia = await server.call<{ error: string }>('PUT', `/api/v1/models/${id}`, {
        token: bia.token,
        body: model('Mine now'),
      });
      expect(byBia.status).toBe(403);
      expect(byBia.body.error).toBe('only the person who shared this model, or an admin, may change it');
      expect((await server.call('DELETE', `/api/v1/models/${id}`, { token: bia.token })).status).toBe(403);

      const renamed = await server.call<{ model: SharedModel }>('PUT', `/api/v1/models/${id}`, {
        token: ana.userToken,
        body: model('Falhas', { filters: { ...FILTERS, options: {} } }),
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.model).toMatchObject({ name: 'Falhas', filters: { options: {} } });
      expect(renamed.body.model).not.toHaveProperty('relativeDays');

      const deleted = await server.call('DELETE', `/api/v1/models/${id}`, { token: admin.token });
      expect(deleted.status).toBe(200);
      expect(await list(bia.token)).toEqual([]);
      expect((await server.call('DELETE', `/api/v1/models/${id}`, { token: ana.userToken })).status).toBe(
        404,
      );
    } finally {
      stream.close();
    }
  });

  it('keeps each tenant’s models to itself, and a name once per report', async () => {
    const ana = await tenantWithDevice(db, server);
    const other = await tenantWithDevice(db, server, { role: 'admin' });
    const created = await server.call<{ model: SharedModel }>('POST', '/api/v1/models', {
      token: ana.userToken,
      body: model('Semana'),
    });
    expect(await list(other.userToken)).toEqual([]);
    // Another tenant's admin cannot reach it by id.
    const id = created.body.model.id;
    expect(
      (await server.call('PUT', `/api/v1/models/${id}`, { token: other.userToken, body: model('x') })).status,
    ).toBe(404);
    expect((await server.call('DELETE', `/api/v1/models/${id}`, { token: other.userToken })).status).toBe(
      404,
    );
    const again = await server.call<{ error: string }>('POST', '/api/v1/models', {
      token: ana.userToken,
      body: model(' Semana '),
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(
      'body.name: the team already has a model named "Semana" for this report; pick another name',
    );
    // The same name on another report is another model.
    const elsewhere = await server.call('POST', '/api/v1/models', {
      token: ana.userToken,
      body: model('Semana', { reportId: 'activity' }),
    });
    expect(elsewhere.status).toBe(201);
  });

  it('refuses a bad model with the field that is wrong, and devices', async () => {
    const ana = await tenantWithDevice(db, server);
    const post = (body: unknown, token = ana.userToken) =>
      server.call<{ error: string }>('POST', '/api/v1/models', { token, body });
    expect((await post(model('x', { reportId: 'nope' }))).body.error).toBe(
      'body.reportId: there is no report "nope"',
    );
    expect((await post(model('x', { filters: { ...FILTERS, timeZone: 'Mars/Olympus' } }))).body.error).toBe(
      'body.filters.timeZone: unknown time zone "Mars/Olympus" (use an IANA name such as America/Sao_Paulo)',
    );
    const badFormat = await post(model('x', { filters: { ...FILTERS, formats: ['doc' as 'csv'] } }));
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error).toMatch(/^body\.filters\.formats\.0: /);
    const noName = await post({ reportId: 'activity', filters: FILTERS });
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatch(/^body(\.name)?: .*name/);
    expect((await post(model('x'), ana.deviceToken)).status).toBe(403);
    expect((await server.call('GET', '/api/v1/models')).status).toBe(401);
  });
});
