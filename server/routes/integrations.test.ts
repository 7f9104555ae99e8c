import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../shared/testing/records.ts';
import type { Database } from '../db/database.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

interface Created {
  integration: { id: string; provider: string; name: string; webhookPath: string | null; createdAt: string };
  token?: string;
}

describe.each(DATABASES)('integrations on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  it('an admin creates a webhook integration whose secrets are never shown again', async () => {
    const { userToken } = await tenantWithDevice(db, server, { role: 'admin' });
    const created = await server.call<Created>('POST', '/api/v1/integrations', {
      token: userToken,
      body: {
        provider: 'whatsapp-cloud',
        name: 'Main number',
        appSecret: 'a'.repeat(32),
        verifyToken: 'verify-me-1',
      },
    });
    expect(created.status).toBe(201);
    const { integration } = created.body;
    expect(integration).toMatchObject({ provider: 'whatsapp-cloud', name: 'Main number' });
    expect(integration.webhookPath).toBe(`/api/v1/integrations/${integration.id}/webhook`);
    expect(created.body.token).toBeUndefined();
    const listed = await server.call<{ integrations: unknown[] }>('GET', '/api/v1/integrations', {
      token: userToken,
    });
    expect(listed.body.integrations).toEqual([expect.objectContaining({ id: integration.id })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/aaaaaaaa|verify-me-1/);
  });

  it('a records API token pushes any kind for its tenant, and stops at once when deleted', async () => {
    const { userToken } = await tenantWithDevice(db, server, { role: 'admin' });
    const created = await server.call<Created>('POST', '/api/v1/integrations', {
      token: userToken,
      body: { provider: 'api', name: 'Messaging platform' },
    });
    expect(created.status).toBe(201);
    expect(created.body.integration.webhookPath).toBeNull();
    const token = created.body.token!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // Only its hash is stored.
    const stored = await db.query<{ token_hash: string }>(
      'select token_hash from tokens where integration_id = $1',
      [created.body.integration.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toBe(token);

    const records = [EXAMPLES.campaign, EXAMPLES.message, EXAMPLES.message_status];
    const push = await server.call<{ accepted: string[] }>('POST', '/api/v1/events/push', {
      token,
      body: { events: records },
    });
    expect(push.body.accepted).toEqual(records.map((record) => record.id));
    const pulled = await server.call<{ events: { id: string }[] }>(
      'GET',
      '/api/v1/events/pull?kinds=campaign,message,message_status',
      { token: userToken },
    );
    expect(pulled.body.events.map((record) => record.id)).toEqual(records.map((record) => record.id));
    // It pushes; it does not read.
    expect((await server.call('GET', '/api/v1/events/pull', { token })).status).toBe(403);

    const removed = await server.call('DELETE', `/api/v1/integrations/${created.body.integration.id}`, {
      token: userToken,
    });
    expect(removed.status).toBe(204);
    const after = await server.call('POST', '/api/v1/events/push', {
      token,
      body: { events: [EXAMPLES.ticket] },
    });
    expect(after.status).toBe(401);
    const listed = await server.call<{ integrations: unknown[] }>('GET', '/api/v1/integrations', {
      token: userToken,
    });
    expect(listed.body.integrations).toEqual([]);
  });

  it('only admins manage integrations, each tenant its own, and bad requests say what is wrong', async () => {
    const admin = await tenantWithDevice(db, server, { role: 'admin' });
    const other = await tenantWithDevice(db, server, { role: 'admin' });
    const supervisor = await tenantWithDevice(db, server);
    const body = { provider: 'api', name: 'x' };
    expect(
      (await server.call('POST', '/api/v1/integrations', { token: supervisor.userToken, body })).status,
    ).toBe(403);
    expect((await server.call('GET', '/api/v1/integrations', { token: admin.deviceToken })).status).toBe(403);
    const created = await server.call<Created>('POST', '/api/v1/integrations', {
      token: admin.userToken,
      body,
    });
    const id = created.body.integration.id;
    expect(
      (await server.call('DELETE', `/api/v1/integrations/${id}`, { token: other.userToken })).status,
    ).toBe(404);
    expect(
      (
        await server.call<{ integrations: unknown[] }>('GET', '/api/v1/integrations', {
          token: other.userToken,
        })
      ).body.integrations,
    ).toEqual([]);
    const missing = await server.call<{ error: string }>('POST', '/api/v1/integrations', {
      token: admin.userToken,
      body: { provider: 'whatsapp-cloud', name: 'x', appSecret: 'a'.repeat(32) },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('body.verifyToken: is required for a whatsapp-cloud integration');
    const unknown = await server.call<{ error: string }>('POST', '/api/v1/integrations', {
      token: admin.userToken,
      body: { provider: 'telegram', name: 'x' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/^body\.provider/);
  });
});
