import type { RecordKindName } from '../../shared/records/kind.ts';
import { MESSAGE_STATUS_VALUES, statusInGroup } from '../../shared/records/status-catalog.ts';
import type { Database, Queryable } from '../db/database.ts';

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

/** The catalog's failed statuses as an SQL array: the ones that owe `message.failed`. */
const FAILED_STATUSES = `array[${MESSAGE_STATUS_VALUES.filter((status) => statusInGroup(status, 'failed'))
  .map(quote)
  .join(', ')}]::text[]`;

/** The trigger function's body, as PostgreSQL keeps it (`pg_proc.prosrc`). */
export function webhookFunctionBody(): string {
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
    if (NEW.body->>'status') is null or not ((NEW.body->>'status') = any (${FAILED_STATUSES})) then
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

/**
 * The triggers. Only rows that owe something call the function: its conditions on the row are
 * repeated in the trigger's WHEN, which PostgreSQL evaluates without a function call or a queued
 * after-trigger event. Most rows of a busy tenant are delivery statuses that owe nothing (sent,
 * delivered, read); the call per row cost PostgreSQL about a third of storing them.
 */
const TRIGGERS = [
  {
    name: 'webhooks_owed_by_events',
    table: 'events',
    sql: `create trigger webhooks_owed_by_events after insert on events for each row
          when ((NEW.kind = 'ticket' and (NEW.body->>'action') = 'closed')
             or (NEW.kind = 'message_status' and (NEW.body->>'status') = any (${FAILED_STATUSES}))
             or (NEW.kind = 'campaign' and (NEW.body->>'status') = 'finished'))
          execute function ${WEBHOOK_FUNCTION}()`,
  },
  {
    name: 'webhooks_owed_by_report_jobs',
    table: 'report_jobs',
    sql: `create trigger webhooks_owed_by_report_jobs after insert or update of status on report_jobs
          for each row when (NEW.status = 'READY') execute function ${WEBHOOK_FUNCTION}()`,
  },
];

/**
 * Writes the function out when it is missing or differs from this version's, and (re)creates
 * triggers missing or defined otherwise: each trigger's comment holds the SQL that created it.
 * Several instances starting together take turns; an instance whose function and triggers are
 * already in place changes nothing (replacing them would lock `events` against pushes for a moment).
 */
export async function installWebhookTriggers(db: Database): Promise<void> {
  const body = webhookFunctionBody();
  const current = async (on: Queryable) => {
    const [row] = await on.query<{
      source: string | null;
      triggers: { name: string; sql: string | null }[] | null;
    }>(
      `select (select prosrc from pg_proc where proname = $1) as source,
              (select json_agg(json_build_object('name', tgname::text, 'sql', obj_description(oid, 'pg_trigger')))
                 from pg_trigger where tgname = any ($2::text[])) as triggers`,
      [WEBHOOK_FUNCTION, TRIGGERS.map((trigger) => trigger.name)],
    );
    const triggers = new Map((row?.triggers ?? []).map((trigger) => [trigger.name, trigger.sql]));
    return {
      source: row?.source ?? null,
      stale: TRIGGERS.filter((trigger) => triggers.get(trigger.name) !== trigger.sql),
    };
  };
  const seen = await current(db);
  if (seen.source === body && seen.stale.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7426003)');
    const { source, stale } = await current(tx);
    if (source !== body) {
      await tx.exec(
        `create or replace function ${WEBHOOK_FUNCTION}() returns trigger language plpgsql as $webhooks$${body}$webhooks$`,
      );
    }
    for (const trigger of stale) {
      await tx.exec(`drop trigger if exists ${trigger.name} on ${trigger.table}`);
      await tx.exec(trigger.sql);
      await tx.exec(`comment on trigger ${trigger.name} on ${trigger.table} is ${quote(trigger.sql)}`);
    }
  });
}
