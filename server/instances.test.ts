import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from './db/database.ts';
import { openPostgres } from './db/postgres.ts';
import { freshPostgres } from './testing/databases.ts';
import { startTestServer, type TestServer, tenantWithDevice } from './testing/http.ts';

describe('several instances behind a load balancer, one PostgreSQL', () => {
  const open: { db: Database; server: TestServer }[] = [];
  afterAll(async () => {
    for (const { db, server } of open) {
      await server.close();
      await db.close();
    }
  });

  it('a push to one instance reaches the event stream of another', async () => {
    const { db: first, url } = await freshPostgres();
    const second = await openPostgres(url);
    const a = await startTestServer(first);
    const b = await startTestServer(second);
    open.push({ db: first, server: a }, { db: second, server: b });
    const tenant = await tenantWithDevice(first, a);

    const controller = new AbortController();
    const stream = await fetch(`${a.url}/api/v1/stream`, {
      headers: { authorization: `Bearer ${tenant.userToken}` },
      signal: controller.signal,
    });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    await reader.read(); // the stream's opening comment: it is listening now

    const push = await b.call('POST', '/api/v1/events/push', {
      token: tenant.deviceToken,
      body: {
        events: [{ id: 'e-1', type: 'logout', at: '2026-03-10T18:41:00Z', agentId: 'ana', agentName: 'Ana' }],
      },
    });
    expect(push.status).toBe(200);
    const deadline = Date.now() + 5_000;
    while (!text.includes('event: events') && Date.now() < deadline) {
      const { value } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined }>((resolve) => setTimeout(() => resolve({ value: undefined }), 500)),
      ]);
      if (value) text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    expect(text).toContain('event: events');
  });
});
