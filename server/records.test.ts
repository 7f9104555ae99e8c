import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../shared/testing/records.ts';
import type { Database } from './db/database.ts';
import { DATABASES } from './testing/databases.ts';
import { openEventStream } from './testing/event-stream.ts';
import { serveForTests, type TestServer, tenantWithDevice } from './testing/http.ts';

const login = (id: string, agentId = 'ana') => ({
  id,
  type: 'login',
  cause: 'page_load',
  at: '2026-03-10T18:00:00Z',
  agentId,
  agentName: 'Ana',
});
type Page = { events: { id: string; type: string }[]; cursor: string; hasMore: boolean };

describe.each(DATABASES)('records of every kind on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  const pullAll = async (token: string, query: string) => {
    const ids: string[] = [];
    let cursor = '0';
    for (;;) {
      const page = await server.call<Page>('GET', `/api/v1/events/pull?limit=2&cursor=${cursor}${query}`, {
        token,
      });
      expect(page.status).toBe(200);
      ids.push(...page.body.events.map((record) => record.id));
      cursor = page.body.cursor;
      if (!page.body.hasMore) return { ids, cursor };
    }
  };

  it('stores every kind an import brings, and pulls each kind, or several, with its own cursor', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const records = [
      login('e-1'),
      EXAMPLES.message,
      EXAMPLES.message_status,
      { ...EXAMPLES.message_status, id: 's-2', status: 'read' },
      EXAMPLES.campaign,
      EXAMPLES.ticket,
      login('e-2'),
    ];
    const stream = await openEventStream(server.url, userToken);
    try {
      const imported = await server.call<{ accepted: string[]; rejected: unknown[] }>(
        'POST',
        '/api/v1/events/import',
        {
          token: userToken,
          body: { events: records },
        },
      );
      expect(imported.body).toMatchObject({ accepted: records.map((record) => record.id), rejected: [] });
      await stream.waitFor('events');
      expect((stream.data[stream.kinds.indexOf('events')] as { kinds: string[] }).kinds.sort()).toEqual([
        'activity',
        'campaign',
        'message',
        'message_status',
        'ticket',
      ]);
    } finally {
      stream.close();
    }

    // Activity alone when no kind is named: the clients that know only activity see only it.
    expect((await pullAll(userToken, '')).ids).toEqual(['e-1', 'e-2']);
    expect((await pullAll(userToken, '&kinds=message_status')).ids).toEqual(['s-1', 's-2']);
    const messaging = await pullAll(userToken, '&kinds=message,message_status,campaign');
    expect(messaging.ids).toEqual(['m-1', 's-1', 's-2', 'c-1@1']);
    const tickets = await pullAll(userToken, '&kinds=ticket');
    expect(tickets.ids).toEqual(['tk-1']);

    // Each scope's cursor carries on alone.
    await server.call('POST', '/api/v1/events/import', {
      token: userToken,
      body: { events: [{ ...EXAMPLES.ticket, id: 'tk-2', action: 'closed' }, login('e-3')] },
    });
    const more = await server.call<Page>('GET', `/api/v1/events/pull?kinds=ticket&cursor=${tickets.cursor}`, {
      token: userToken,
    });
    expect(more.body.events.map((record) => record.id)).toEqual(['tk-2']);

    // A record of another kind gives back exactly what was sent: no offset added from no device.
    const message = await server.call<Page>('GET', '/api/v1/events/pull?kinds=message', { token: userToken });
    expect(message.body.events).toEqual([EXAMPLES.message]);
  });

  it('lets a device record activity, messages and tickets, but not what the provider says', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server, { agentIds: ['ana'] });
    const push = await server.call<{ accepted: string[]; rejected: { index: number; error: string }[] }>(
      'POST',
      '/api/v1/events/push',
      {
        token: deviceToken,
        body: {
          events: [
            login('d-1'),
            { ...EXAMPLES.message, id: 'd-2', agentId: 'ana', origin: 'attendance' },
            { ...EXAMPLES.message, id: 'd-3', direction: 'MO', origin: undefined },
            { ...EXAMPLES.ticket, id: 'd-4', agentId: 'bia' },
            { ...EXAMPLES.message_status, id: 'd-5' },
            { ...EXAMPLES.campaign, id: 'd-6' },
          ],
          // The device's clock is ten minutes slow.
          sentAt: new Date(Date.now() - 600_000).toISOString(),
        },
      },
    );
    expect(push.status).toBe(200);
    expect(push.body.accepted).toEqual(['d-1', 'd-2', 'd-3']);
    expect(push.body.rejected.map((entry) => [entry.index, entry.error])).toEqual([
      [3, 'agentId: bia is not enrolled on this device'],
      [
        4,
        expect.stringMatching(/^type: a device records agent activity, messages and tickets; message_status/),
      ],
      [5, expect.stringMatching(/^type: .*campaign records come from integrations and imports$/)],
    ]);
    const pulled = await server.call<Page>('GET', '/api/v1/events/pull?kinds=message', { token: userToken });
    expect(pulled.body.events.map((record) => record.id)).toEqual(['d-2', 'd-3']);
    // Messages carry the platform's times: no device clock offset is added to them.
    for (const record of pulled.body.events) expect(record).not.toHaveProperty('clockOffsetMs');
  });

  it('refuses webhook delivery records from every caller: only the server writes them', async () => {
    const { userToken: adminToken, deviceToken } = await tenantWithDevice(db, server, { role: 'admin' });
    const integration = await server.call<{ token: string }>('POST', '/api/v1/integrations', {
      token: adminToken,
      body: { provider: 'api', name: 'Messaging platform' },
    });
    expect(integration.status).toBe(201);
    const forged = {
      id: 'forged.0',
      type: 'webhook_delivery',
      at: '2026-03-10T12:00:00Z',
      requestId: 'forged',
      subscriptionId: 'sub',
      url: 'https://example.com/hook',
      eventType: 'message.failed',
      status: 'delivered',
      httpStatus: 200,
      retries: 0,
    };
    for (const token of [integration.body.token, deviceToken]) {
      const push = await server.call<{ accepted: string[]; rejected: { index: number; error: string }[] }>(
        'POST',
        '/api/v1/events/push',
        { token, body: { events: [forged], sentAt: new Date().toISOString() } },
      );
      expect(push.status).toBe(200);
      expect(push.body.accepted).toEqual([]);
      expect(push.body.rejected).toEqual([
        {
          index: 0,
          id: 'forged.0',
          error:
            'type: webhook_delivery records are written by the server as it delivers webhooks; they cannot be pushed',
        },
      ]);
    }
  });

  it('refuses a kind it does not know, and a bad record of any kind with its field', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const unknown = await server.call<{ error: string }>('GET', '/api/v1/events/pull?kinds=message,sms', {
      token: userToken,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/kinds/);
    const bad = await server.call<{ accepted: string[]; rejected: { index: number; error: string }[] }>(
      'POST',
      '/api/v1/events/import',
      { token: userToken, body: { events: [{ ...EXAMPLES.message, channel: 'telegram' }, EXAMPLES.ticket] } },
    );
    expect(bad.body.accepted).toEqual(['tk-1']);
    expect(bad.body.rejected).toEqual([
      { index: 0, id: 'm-1', error: 'channel: must be one of whatsapp, sms' },
    ]);
  });
});
