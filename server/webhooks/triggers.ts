import type { RecordKindName } from '../../shared/records/kind.ts';
import { MESSAGE_STATUS_VALUES, statusInGroup } from '../../shared/records/status-catalog.ts';
import type { Database } from '../db/database.ts';

/**
 * Which stored facts owe a webhook delivery (DESIGN §12), as the database function that writes
 * the outbox. The function runs in the statement that stores the fact (an `events` insert, a
 * `report_jobs` insert or status change), so the fact and the deliveries it owes commit together
 * or not at all, whichever route stores it: a push, an import, a provider's webhook, the server.
 *
 * - `ticket.closed`: a ticket record whose step is `closed` (each closing, so a reopened ticket
 *   closed again owes another).
 * - `message.failed`: a message status of the catalog's failed group; the campaign is its
 *   message's, when that message was stored first.
 * - `campaign.finished`: a campaign record with status `finished`, once per campaign.
 * - `report.ready`: a report job whose status becomes READY.
 *
 * The failed statuses come from the status catalog: the function is written out from it at start
 * and replaced when the catalog changed (`installWebhookTriggers`), one definition for both.
 */
export const WEBHOOK_FUNCTION = 'pontual_webhooks_owed';

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The trigger function's body, as PostgreSQL keeps it (`pg_proc.prosrc`). */
export function webhookFunctionBody(): string {
  const failed = MESSAGE_STATUS_VALUES.filter((status) => statusInGroup(status, 'failed'));
  return `
declare
  owed_type text;
  owed_key text;
  owed_campaign text;
  owed_contact text;
  occurred_at text;
  owed_data json;
begin
  if TG_TABLE_NAME = 'report_jobs' then
    if NEW.status <> 'READY' or (TG_OP = 'UPDATE' and OLD.status = 'READY') then return null; end if;
    owed_type := 'report.ready';
    owed_key := NEW.id;
    occurred_at := to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
    owed_data := json_build_object('jobId', NEW.id, 'reportId', NEW.report_id, 'title', NEW.title,
                              'filters', NEW.filters, 'createdBy', NEW.created_by);
  elsif NEW.kind = 'ticket' then
    if (NEW.body->>'action') is distinct from 'closed' then return null; end if;
    owed_type := 'ticket.closed';
    owed_key := NEW.id;
    owed_contact := NEW.body->>'contact';
  elsif NEW.kind = 'message_status' then
    if (NEW.body->>'status') is null or not ((NEW.body->>'status') = any (array[${failed.map(quote).join(', ')}]::text[])) then
      return null;
    end if;
    owed_type := 'message.failed';
    owed_key := NEW.id;
    owed_contact := NEW.body->>'contact';
  elsif NEW.kind = 'campaign' then
    if (NEW.body->>'status') is distinct from 'finished' then return null; end if;
    owed_type := 'campaign.finished';
    owed_key := NEW.body->>'campaignId';
    owed_campaign := owed_key;
  else
    return null;
  end if;
  -- Most tenants subscribe to nothing: stop before any other work.
  if not exists (select 1 from webhook_subscriptions s
                  where s.tenant_id = NEW.tenant_id and s.deleted_at is null and owed_type = any (s.events)) then
    return null;
  end if;
  if TG_TABLE_NAME = 'events' then
    owed_data := NEW.body;
    occurred_at := NEW.body->>'at';
    if owed_type = 'message.failed' then
      select m.body->>'campaignId', coalesce(owed_contact, m.body->>'contact') into owed_campaign, owed_contact
        from events m
       where m.tenant_id = NEW.tenant_id and m.kind = 'message' and (m.body->>'messageId') = (NEW.body->>'messageId')
       limit 1;
    end if;
  end if;
  insert into webhook_deliveries (id, tenant_id, subscription_id, event_type, event_key, campaign, contact, body)
  select owed.id, NEW.tenant_id, owed.subscription_id, owed_type, owed_key, owed_campaign, owed_contact,
         json_build_object('id', owed.id, 'type', owed_type, 'occurredAt', occurred_at, 'data', owed_data)::text
    from (select gen_random_uuid()::text as id, s.id as subscription_id
            from webhook_subscriptions s
           where s.tenant_id = NEW.tenant_id and s.deleted_at is null and owed_type = any (s.events)) owed
  on conflict (subscription_id, event_type, event_key) do nothing;
  return null;
end
`;
}

/** The record kinds that may owe deliveries (the events trigger's condition). */
export const OWING_KINDS: ReadonlySet<RecordKindName> = new Set(['ticket', 'message_status', 'campaign']);

/** The triggers: rows of other kinds (activity, messages) never call the function at all. */
const TRIGGERS = [
  {
    name: 'webhooks_owed_by_events',
    sql: `create trigger webhooks_owed_by_events after insert on events for each row
          when (NEW.kind in (${[...OWING_KINDS].map(quote).join(', ')})) execute function ${WEBHOOK_FUNCTION}()`,
  },
  {
    name: 'webhooks_owed_by_report_jobs',
    sql: `create trigger webhooks_owed_by_report_jobs after insert or update of status on report_jobs
          for each row when (NEW.status = 'READY') execute function ${WEBHOOK_FUNCTION}()`,
  },
];

/**
 * Writes the function out when it is missing or differs from this version's, and adds missing
 * triggers. Several instances starting together take turns; an instance whose function is already
 * in place changes nothing (replacing it would lock `events` against pushes for a moment).
 */
export async function installWebhookTriggers(db: Database): Promise<void> {
  const body = webhookFunctionBody();
  const current = async () => {
    const [row] = await db.query<{ source: string | null; triggers: string[] | null }>(
      `select (select prosrc from pg_proc where proname = $1) as source,
              (select array_agg(tgname::text) from pg_trigger where tgname = any ($2::text[])) as triggers`,
      [WEBHOOK_FUNCTION, TRIGGERS.map((trigger) => trigger.name)],
    );
    return { source: row?.source ?? null, triggers: new Set(row?.triggers ?? []) };
  };
  const seen = await current();
  if (seen.source === body && seen.triggers.size === TRIGGERS.length) return;
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7426003)');
    const [row] = await tx.query<{ source: string | null }>(
      'select prosrc as source from pg_proc where proname = $1',
      [WEBHOOK_FUNCTION],
    );
    if (row?.source !== body) {
      await tx.exec(
        `create or replace function ${WEBHOOK_FUNCTION}() returns trigger language plpgsql as $webhooks$${body}$webhooks$`,
      );
    }
    const present = new Set(
      (
        await tx.query<{ name: string }>(
          'select tgname::text as name from pg_trigger where tgname = any ($1::text[])',
          [TRIGGERS.map((trigger) => trigger.name)],
        )
      ).map((found) => found.name),
    );
    for (const trigger of TRIGGERS) if (!present.has(trigger.name)) await tx.exec(trigger.sql);
  });
}
