import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { openPostgres } from '../db/postgres.ts';
import { DATABASES, freshPostgres } from '../testing/databases.ts';
import { startTestServer, type TestServer, tenantWithDevice } from '../testing/http.ts';
import { WebhookDeliverer } from './deliverer.ts';
import { startReceiver, type WebhookReceiver } from './receiver.ts';

/** A deliverer that counts the deliveries it leased. */
class Counting extends WebhookDeliverer {
  leased = 0;
  override async runOnce(): Promise<number> {
    const leased = await super.runOnce();
    this.leased += leased;
    return leased;
  }
}

describe('two instances on one PostgreSQL', () => {
  const open: { db: Database; server: TestServer }[] = [];
  let receiver: WebhookReceiver | undefined;
  afterAll(async () => {
    for (const { db, server } of open) {
      await server.close();
      await db.close();
    }
    await receiver?.close();
  });

  it('make each delivery once between them', async () => {
    receiver = await startReceiver();
    const { db: first, url } = await freshPostgres();
    const second = await openPostgres(url);
    const a = await startTestServer(first, undefined, { webhooks: { start: false } });
    const b = await startTestServer(second, undefined, { webhooks: { start: false } });
    open.push({ db: first, server: a }, { db: second, server: b });
    // Each instance's deliverer on its own pool, in its own loop, finding the deliveries by its
    // poll: small batches, so that both take part.
    const deliverers = [
      new Counting(first, { batch: 10, pollMs: 20 }),
      new Counting(second, { batch: 10, pollMs: 20 }),
    ];
    for (const deliverer of deliverers) deliverer.start();
    const tenant = await tenantWithDevice(first, a, { role: 'admin' });
    const subscribed = await a.call('POST', '/api/v1/webhooks', {
      token: tenant.userToken,
      body: { url: receiver.url, events: ['ticket.closed'] },
    });
    expect(subscribed.status).toBe(201);
    const total = 400;
    for (let start = 0; start < total; start += 100) {
      const events = Array.from({ length: 100 }, (_, offset) => ({
        id: `twice-${start + offset}`,
        type: 'ticket',
        at: '2026-03-10T12:00:00Z',
        ticketId: `T-${start + offset}`,
        action: 'closed',
      }));
      const pushed = await (start % 200 === 0 ? a : b).call('POST', '/api/v1/events/push', {
        token: tenant.deviceToken,
        body: { events },
      });
      expect(pushed.status).toBe(200);
    }
    await expect.poll(() => receiver!.counts.size, { timeout: 30_000 }).toBe(total);
    await expect
      .poll(
        async () =>
          (
            await first.query<{ n: number }>(
              "select count(*)::int as n from webhook_deliveries where state = 'delivered'",
            )
          )[0]!.n,
        { timeout: 30_000 },
      )
      .toBe(total);
    expect([...receiver.counts.values()].every((count) => count === 1)).toBe(true);
    // Each attempt is one record, whichever instance made it.
    const pulled = await a.call<{ events: { requestId: string }[] }>(
      'GET',
      '/api/v1/events/pull?kinds=webhook_delivery&limit=1000',
      { token: tenant.userToken },
    );
    expect(new Set(pulled.body.events.map((record) => record.requestId)).size).toBe(total);
    expect(pulled.body.events).toHaveLength(total);
    for (const deliverer of deliverers) await deliverer.stop();
    expect(deliverers[0]!.leased + deliverers[1]!.leased).toBe(total);
    expect(deliverers[0]!.leased).toBeGreaterThan(0);
    expect(deliverers[1]!.leased).toBeGreaterThan(0);
  }, 90_000);
});

describe('the server delivers on its own', () => {
  it('posts what a push owes, woken by the push', async () => {
    const receiver = await startReceiver();
    const db = await DATABASES[0]!.open();
    // A poll far longer than the test: only the push's wake can deliver in time.
    const server = await startTestServer(db, undefined, { webhooks: { pollMs: 600_000 } });
    try {
      const tenant = await tenantWithDevice(db, server, { role: 'admin' });
      await server.call('POST', '/api/v1/webhooks', {
        token: tenant.userToken,
        body: { url: receiver.url, events: ['ticket.closed'] },
      });
      const pushed = await server.call('POST', '/api/v1/events/push', {
        token: tenant.deviceToken,
        body: {
          events: [
            { id: 'own-1', type: 'ticket', at: '2026-03-10T12:00:00Z', ticketId: 'T', action: 'closed' },
          ],
        },
      });
      expect(pushed.status).toBe(200);
      await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    } finally {
      await server.close();
      await db.close();
      await receiver.close();
    }
  }, 60_000);
});
