import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import type { Database } from '../db/database.ts';
import { storeRecords } from '../routes/events.ts';
import { createTenant, createUser } from '../tenants.ts';

/**
 * Deliveries owed in bulk, for the bench and the `kill -9` test: a tenant whose admin subscribed
 * `url` to `ticket.closed`, written to the database directly (the API's rate limits and one
 * subscription per call are not what these measure).
 */
export async function subscribedTenant(db: Database, url: string): Promise<string> {
  const tenant = await createTenant(db, 'Webhook load');
  const user = await createUser(db, {
    tenantId: tenant.id,
    email: `webhooks-${tenant.id}@load`,
    password: 'webhook load password',
    role: 'admin',
  });
  await db.query(
    `insert into webhook_subscriptions (id, tenant_id, url, events, secret, created_by)
     values ($1, $2, $3, array['ticket.closed'], 'whsec_load', $4)`,
    [uuidv7(), tenant.id, url, user.id],
  );
  return tenant.id;
}

/**
 * `count` closed tickets (ids `<prefix>-0` …) stored through the one way records are stored: each
 * owes the tenant's subscription one delivery. Returns the request ids owed.
 */
export async function oweClosedTickets(
  db: Database,
  tenantId: string,
  prefix: string,
  count: number,
): Promise<string[]> {
  for (let start = 0; start < count; start += 1_000) {
    const records = Array.from({ length: Math.min(1_000, count - start) }, (_, offset) => ({
      id: `${prefix}-${start + offset}`,
      type: 'ticket',
      at: '2026-03-10T12:00:00Z',
      ticketId: `T-${prefix}-${start + offset}`,
      action: 'closed',
      contact: '5511999990000',
    }));
    const stored = await storeRecords(db, { tenantId, role: 'admin' }, records, 0);
    if (stored.accepted.length !== records.length)
      throw new Error(`stored ${stored.accepted.length} of ${records.length} closed tickets`);
  }
  const owed = await db.query<{ id: string }>(
    'select id from webhook_deliveries where tenant_id = $1 and event_key like $2',
    [tenantId, `${prefix}-%`],
  );
  if (owed.length !== count) throw new Error(`${count} closed tickets owe ${owed.length} deliveries`);
  return owed.map((row) => row.id);
}

/** Deliveries not yet delivered or failed, all tenants. */
export async function pendingDeliveries(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    "select count(*)::int as n from webhook_deliveries where state = 'pending'",
  );
  return row!.n;
}
