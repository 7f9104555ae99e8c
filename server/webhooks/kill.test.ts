import { afterAll, describe, expect, it } from 'vitest';
import { WEBHOOK_HEADERS } from '../../shared/api/webhooks.ts';
import type { Database } from '../db/database.ts';
import { freshPostgres } from '../testing/databases.ts';
import { type ServeProcess, spawnServe } from '../testing/serve-process.ts';
import { WEBHOOK_DEFAULTS } from './deliverer.ts';
import { oweClosedTickets, pendingDeliveries, subscribedTenant } from './owed.ts';
import { startReceiver, type WebhookReceiver } from './receiver.ts';
import { installWebhookTriggers } from './triggers.ts';

const OWED = 3_000;

describe('outbound webhooks across a kill -9 of `pontual serve`', () => {
  let db: Database | undefined;
  let receiver: WebhookReceiver | undefined;
  const servers: ServeProcess[] = [];
  afterAll(async () => {
    for (const server of servers)
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await db?.close();
    await receiver?.close();
  });

  it('loses none, and repeats at most the POSTs in flight, under the same request id', async () => {
    receiver = await startReceiver();
    const fresh = await freshPostgres();
    db = fresh.db;
    await installWebhookTriggers(db);
    const tenantId = await subscribedTenant(db, receiver.url);
    const owed = await oweClosedTickets(db, tenantId, 'kill', OWED);

    const first = await spawnServe({ databaseUrl: fresh.url });
    servers.push(first);
    // Killed from inside the receiver, a third of the way through: the POST being answered now,
    // and any others in flight, reach the receiver but never have their answers written down.
    let killedAt = 0;
    receiver.answer = () => {
      if (killedAt === 0 && receiver!.counts.size >= OWED / 3) {
        killedAt = receiver!.counts.size;
        first.child.kill('SIGKILL');
      }
      return 200;
    };
    expect(await first.exited).toBeNull();
    expect(first.child.signalCode).toBe('SIGKILL');

    // The dead process's leases would run out 30 s on (`leaseMs`); the test brings that moment
    // forward instead of waiting for it, as a clock would.
    await db.query(
      "update webhook_deliveries set due_at = now() where state = 'pending' and lease is not null",
    );
    const second = await spawnServe({ databaseUrl: fresh.url });
    servers.push(second);
    await expect
      .poll(async () => (await pendingDeliveries(db!)) === 0 && receiver!.counts.size === OWED, {
        timeout: 120_000,
        interval: 200,
      })
      .toBe(true);

    // Nothing lost: every delivery owed reached the receiver, and is written down as delivered.
    expect(owed.filter((id) => !receiver!.counts.has(id))).toEqual([]);
    const states = await db.query<{ state: string; n: number }>(
      'select state, count(*)::int as n from webhook_deliveries where tenant_id = $1 group by state',
      [tenantId],
    );
    expect(states).toEqual([{ state: 'delivered', n: OWED }]);
    // Repeats: at most the slots the killed process had in flight, each at most twice, and each under its one request id (the header and the body's `id`).
    const repeated = owed.filter((id) => (receiver!.counts.get(id) ?? 0) > 1);
    expect(repeated.length).toBeLessThanOrEqual(WEBHOOK_DEFAULTS.concurrency);
    for (const id of repeated) expect(receiver.counts.get(id)).toBe(2);
    for (const got of receiver.received)
      expect(JSON.parse(got.body).id, `${WEBHOOK_HEADERS.requestId} ${got.requestId}`).toBe(got.requestId);
    expect(killedAt).toBeGreaterThanOrEqual(OWED / 3);
    console.log(
      `kill -9 after ${killedAt} of ${OWED} deliveries: 0 lost, ${repeated.length} repeated (bound ${WEBHOOK_DEFAULTS.concurrency})`,
    );
  }, 240_000);
});
