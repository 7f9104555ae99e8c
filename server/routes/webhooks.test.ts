import { describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

interface Created {
  subscription: { id: string; url: string; events: string[]; lastDelivery: unknown };
  secret: string;
}

describe.each(DATABASES)('webhook subscriptions on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(
    open,
    (opened, started) => {
      db = opened;
      server = started;
    },
    undefined,
    { webhooks: { start: false } },
  );

  it('an admin subscribes a URL and sees its secret once', async () => {
    const { userToken } = await tenantWithDevice(db, server, { role: 'admin' });
    const created = await server.call<Created>('POST', '/api/v1/webhooks', {
      token: userToken,
      body: { url: 'https://example.com/hooks/pontual', events: ['ticket.closed', 'report.ready'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.body.subscription).toMatchObject({
      url: 'https://example.com/hooks/pontual',
      events: ['ticket.closed', 'report.ready'],
      lastDelivery: null,
    });
    const listed = await server.call<{ subscriptions: { id: string }[] }>('GET', '/api/v1/webhooks', {
      token: userToken,
    });
    expect(listed.body.subscriptions.map((subscription) => subscription.id)).toEqual([
      created.body.subscription.id,
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
  });

  it('refuses a supervisor, a bad URL and an unknown event type, saying where', async () => {
    const supervisor = await tenantWithDevice(db, server);
    const refused = await server.call('POST', '/api/v1/webhooks', {
      token: supervisor.userToken,
      body: { url: 'https://example.com/h', events: ['ticket.closed'] },
    });
    expect(refused.status).toBe(403);
    expect((await server.call('GET', '/api/v1/webhooks', { token: supervisor.userToken })).status).toBe(403);

    const { userToken } = await tenantWithDevice(db, server, { role: 'admin' });
    const cases: [unknown, RegExp][] = [
      [{ url: 'example.com/h', events: ['ticket.closed'] }, /^body\.url: .* is not an absolute URL/],
      [
        { url: 'ftp://example.com/h', events: ['ticket.closed'] },
        /^body\.url: must start with https:\/\/ or http:\/\//,
      ],
      [
        { url: 'https://me:pw@example.com/h', events: ['ticket.closed'] },
        /^body\.url: must not hold a user name/,
      ],
      [{ url: 'https://example.com/h', events: ['ticket.opened'] }, /^body\.events\.0: /],
      [{ url: 'https://example.com/h', events: [] }, /^body\.events: /],
    ];
    for (const [body, error] of cases) {
      const answer = await server.call<{ error: string }>('POST', '/api/v1/webhooks', {
        token: userToken,
        body,
      });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toMatch(error);
    }
  });

  it('deleting stops what was still owed, and only the own tenant', async () => {
    const { userToken } = await tenantWithDevice(db, server, { role: 'admin' });
    const other = await tenantWithDevice(db, server, { role: 'admin' });
    const created = await server.call<Created>('POST', '/api/v1/webhooks', {
      token: userToken,
      body: { url: 'https://example.com/hooks/delete', events: ['ticket.closed'] },
    });
    const { id } = created.body.subscription;
    const imported = await server.call('POST', '/api/v1/events/import', {
      token: userToken,
      body: {
        events: [
          { id: `del-${id}`, type: 'ticket', at: '2026-03-10T12:00:00Z', ticketId: 'T1', action: 'closed' },
        ],
      },
    });
    expect(imported.status).toBe(200);
    const listed = await server.call<{ subscriptions: Created['subscription'][] }>(
      'GET',
      '/api/v1/webhooks',
      {
        token: userToken,
      },
    );
    expect(listed.body.subscriptions[0]!.lastDelivery).toMatchObject({ state: 'pending', attempts: 0 });

    expect((await server.call('DELETE', `/api/v1/webhooks/${id}`, { token: other.userToken })).status).toBe(
      404,
    );
    expect((await server.call('DELETE', `/api/v1/webhooks/${id}`, { token: userToken })).status).toBe(204);
    expect((await server.call('DELETE', `/api/v1/webhooks/${id}`, { token: userToken })).status).toBe(404);
    const [owed] = await db.query<{ state: string }>(
      'select state from webhook_deliveries where subscription_id = $1',
      [id],
    );
    expect(owed!.state).toBe('failed');
    const after = await server.call<{ subscriptions: unknown[] }>('GET', '/api/v1/webhooks', {
      token: userToken,
    });
    expect(after.body.subscriptions).toEqual([]);
  });
});
