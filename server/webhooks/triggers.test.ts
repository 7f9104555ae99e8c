import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { DATABASES } from '../testing/databases.ts';
import { installWebhookTriggers, WEBHOOK_FUNCTION } from './triggers.ts';

const definition = async (db: Database) =>
  (
    await db.query<{ def: string; sql: string | null }>(
      `select pg_get_triggerdef(oid) as def, obj_description(oid, 'pg_trigger') as sql
         from pg_trigger where tgname = 'webhooks_owed_by_events'`,
    )
  )[0];

describe.each(DATABASES)('webhook triggers on $kind', ({ open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  }, 60_000);
  afterAll(async () => db.close());

  it('replace an older definition of the events trigger, and leave a current one alone', async () => {
    await installWebhookTriggers(db);
    // The definition before this version: every ticket, status and campaign row called the function.
    await db.exec(`drop trigger webhooks_owed_by_events on events;
      create trigger webhooks_owed_by_events after insert on events for each row
        when (NEW.kind in ('ticket', 'message_status', 'campaign')) execute function ${WEBHOOK_FUNCTION}()`);
    expect((await definition(db))?.sql).toBeNull();
    await installWebhookTriggers(db);
    const installed = await definition(db);
    // Only rows that owe a delivery call the function: a failed status does, a read one does not.
    expect(installed?.def).toContain("'failed'");
    expect(installed?.def).toContain("'closed'");
    expect(installed?.sql).toContain('create trigger webhooks_owed_by_events');
    const oid = async () =>
      (
        await db.query<{ oid: string }>(
          "select oid::text from pg_trigger where tgname = 'webhooks_owed_by_events'",
        )
      )[0]?.oid;
    const before = await oid();
    await installWebhookTriggers(db);
    expect(await oid()).toBe(before);
  });
});
