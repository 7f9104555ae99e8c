import type { Database } from './database.ts';

/**
 * Versioned schema changes, applied in order at start on either database. Append only: a
 * released migration is never edited.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'tenants, users, devices, events',
    sql: `
      create table tenants (
        id text primary key,
        name text not null unique,
        created_at timestamptz not null default now()
      );
      create table users (
        id text primary key,
        tenant_id text not null references tenants(id),
        email text not null unique,
        password_hash text not null,
        role text not null check (role in ('admin', 'supervisor')),
        created_at timestamptz not null default now()
      );
      create table devices (
        id text primary key,
        tenant_id text not null references tenants(id),
        name text not null,
        agent_ids text[],
        created_at timestamptz not null default now(),
        revoked_at timestamptz
      );
      create table enrollment_codes (
        code_hash text primary key,
        tenant_id text not null references tenants(id),
        created_by text not null references users(id),
        agent_ids text[],
        expires_at timestamptz not null,
        used_at timestamptz,
        device_id text references devices(id)
      );
      create table tokens (
        token_hash text primary key,
        tenant_id text not null references tenants(id),
        user_id text references users(id),
        device_id text references devices(id),
        created_at timestamptz not null default now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        check ((user_id is null) <> (device_id is null))
      );
      -- One row per tenant, locked by every push: sequence numbers are given out in commit order,
      -- so a reader's cursor never passes a row that commits later.
      create table tenant_sequences (
        tenant_id text primary key references tenants(id),
        last_seq bigint not null default 0
      );
      create table events (
        tenant_id text not null references tenants(id),
        seq bigint not null,
        id text not null,
        agent_id text not null,
        at timestamptz not null,
        clock_offset_ms integer not null default 0,
        device_id text references devices(id),
        received_at timestamptz not null default now(),
        body jsonb not null,
        primary key (tenant_id, seq),
        unique (tenant_id, id)
      );
      create index events_by_agent on events (tenant_id, agent_id, at);
    `,
  },
  {
    version: 2,
    name: 'report jobs, their files, server secrets',
    sql: `
      -- The shared report history (DESIGN §8): the last 7 jobs of each report type per tenant.
      create table report_jobs (
        id text primary key,
        -- Creation order, for "newest first" and for which jobs the retention keeps.
        n bigint generated always as identity unique,
        tenant_id text not null references tenants(id),
        report_id text not null,
        title text not null,
        filters jsonb not null,
        status text not null check (status in ('PROCESSING', 'READY', 'ERROR')),
        progress double precision not null default 0 check (progress >= 0 and progress <= 1),
        error text,
        created_by text not null references users(id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index report_jobs_by_report on report_jobs (tenant_id, report_id, n);
      -- The files a supervisor's browser produced for a job, one per format.
      create table report_job_files (
        job_id text not null references report_jobs(id) on delete cascade,
        format text not null check (format in ('csv', 'xlsx', 'pdf')),
        file_name text not null,
        size bigint not null,
        content bytea not null,
        uploaded_at timestamptz not null default now(),
        primary key (job_id, format)
      );
      -- Secrets every instance on this database shares (download-link signing), made on first use.
      create table server_secrets (
        name text primary key,
        secret text not null,
        created_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 3,
    name: 'clock offsets beyond 24 days',
    // A device whose clock is months off must still be able to push (its events are corrected).
    sql: 'alter table events alter column clock_offset_ms type bigint;',
  },
  {
    version: 4,
    name: 'pull cursor by transaction id',
    // Pushes no longer queue on one lock per tenant: each row records its transaction, and a pull
    // returns only rows of transactions older than every one still running (the snapshot's xmin),
    // in (transaction, sequence) order — a later commit can then never land behind a cursor.
    sql: `
      alter table events add column xid xid8 not null default pg_current_xact_id();
      create sequence events_seq;
      select setval('events_seq', greatest(1, (select coalesce(max(seq), 0) from events)));
      alter table events alter column seq set default nextval('events_seq');
      create index events_by_commit on events (tenant_id, xid, seq);
      drop table tenant_sequences;
    `,
  },
  {
    version: 5,
    name: 'one index fewer on events',
    // The id is the idempotency key, so it makes the primary key; the sequence is found through
    // the (transaction, sequence) index. Every index costs each push's inserts.
    sql: `
      alter table events drop constraint events_pkey;
      alter table events drop constraint events_tenant_id_id_key;
      alter table events add primary key (tenant_id, id);
    `,
  },
  {
    version: 6,
    name: 'removing people, listing and withdrawing enrollment codes',
    // A removed person keeps their row (their name stays on the jobs and codes they made) but can
    // no longer sign in. Codes get an id to be listed and withdrawn by: the code itself is stored
    // only as a hash, which is never shown. Codes made before this version show its time as created.
    sql: `
      alter table users add column disabled_at timestamptz;
      alter table enrollment_codes add column id text not null default gen_random_uuid()::text;
      alter table enrollment_codes add constraint enrollment_codes_id_key unique (id);
      alter table enrollment_codes add column created_at timestamptz not null default now();
      create index enrollment_codes_by_tenant on enrollment_codes (tenant_id, created_at);
    `,
  },
  {
    version: 7,
    name: 'event bodies as json text',
    // The body is the event as the device sent it, stored as `json` (its text): no jsonb
    // conversion on the way in, and a pull sends it as it is, with no conversion on the way out.
    sql: `
      alter table events alter column body type json using body::json;
    `,
  },
  {
    version: 8,
    name: 'no foreign-key checks on events',
    // Each inserted event ran two foreign-key lookups (its tenant, its device) and locked both
    // rows, on the busiest table. The server writes only the caller's own tenant and device, from
    // its live token, and neither is ever deleted (a device is revoked): the checks bought nothing.
    sql: `
      alter table events drop constraint if exists events_tenant_id_fkey;
      alter table events drop constraint if exists events_device_id_fkey;
    `,
  },
  {
    version: 9,
    name: 'rate limits shared by the instances',
    // Each instance counted by itself, so N instances allowed N times the sign-in attempts. One
    // row per limited route and client (its address or token, hashed), counted by one upsert that
    // locks the row: two instances can never both pass the last allowed request. Unlogged: no WAL
    // per counted request; a crash or a failover empties it, which only restarts the windows.
    sql: `
      create unlogged table rate_limits (
        route text not null,
        key text not null,
        window_start timestamptz not null,
        count integer not null,
        primary key (route, key)
      );
    `,
  },
  {
    version: 10,
    name: 'records of every kind',
    // Messages, delivery statuses, campaigns and tickets travel with the activity events (DESIGN
    // §9). A pull reads one kind at a time, in commit order, so the commit index leads with the
    // kind: a reader of activity events never walks past millions of delivery statuses. A record
    // names an agent only when it has one.
    sql: `
      alter table events add column kind text not null default 'activity';
      alter table events alter column agent_id drop not null;
      create index events_by_kind_commit on events (tenant_id, kind, xid, seq);
      drop index events_by_commit;
    `,
  },
  {
    version: 11,
    name: 'integrations',
    // What pushes records besides the agents' browsers (DESIGN §12): a provider's webhook, whose
    // app secret must stay readable to check each delivery's signature, or a records API whose
    // token, like every token, is stored only as a hash. Deleting one stops it at once and keeps
    // the row, so the records it brought still say where they came from.
    sql: `
      create table integrations (
        id text primary key,
        tenant_id text not null references tenants(id),
        provider text not null check (provider in ('whatsapp-cloud', 'api')),
        name text not null,
        app_secret text,
        verify_token text,
        created_by text not null references users(id),
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create index integrations_by_tenant on integrations (tenant_id, created_at);
      alter table tokens add column integration_id text references integrations(id);
      alter table tokens drop constraint tokens_check;
      alter table tokens add constraint tokens_one_holder check (num_nonnulls(user_id, device_id, integration_id) = 1);
      -- The business numbers a provider's webhook came through (the Numbers report). A number
      -- belongs to the tenant whose integration saw it first: records for it posted to another
      -- tenant's webhook are refused, even when both use one Meta app and so one secret.
      create table business_numbers (
        phone_number_id text primary key,
        tenant_id text not null references tenants(id),
        integration_id text not null references integrations(id),
        display_number text not null,
        waba_id text not null,
        first_seen_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now()
      );
      create index business_numbers_by_tenant on business_numbers (tenant_id);
    `,
  },
  {
    version: 12,
    name: 'outbound webhooks',
    // Subscriptions and their deliveries, an outbox (DESIGN §12). A delivery row is written by the
    // statement that stores its event (triggers, see server/webhooks/triggers.ts), so an event
    // stored is a delivery owed, even if the process dies the next instant. One delivery per
    // subscription and event: a record stored twice, or a campaign finishing twice, owes one. A
    // pending delivery is leased by moving `due_at` past the attempt's end under a lease id: an
    // instance that dies mid-attempt leaves it due again once the lease runs out.
    sql: `
      create table webhook_subscriptions (
        id text primary key,
        tenant_id text not null references tenants(id),
        url text not null,
        events text[] not null,
        secret text not null,
        created_by text not null references users(id),
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create index webhook_subscriptions_live on webhook_subscriptions (tenant_id) where deleted_at is null;
      create table webhook_deliveries (
        id text primary key,
        tenant_id text not null,
        subscription_id text not null references webhook_subscriptions(id),
        event_type text not null,
        event_key text not null,
        body text not null,
        campaign text,
        contact text,
        created_at timestamptz not null default now(),
        due_at timestamptz not null default now(),
        lease text,
        attempts integer not null default 0,
        state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
        last_status integer,
        last_error text,
        last_attempt_at timestamptz,
        unique (subscription_id, event_type, event_key)
      );
      create index webhook_deliveries_due on webhook_deliveries (due_at) where state = 'pending';
      create index webhook_deliveries_latest on webhook_deliveries (subscription_id, last_attempt_at);
      -- A failed status names its message by the provider's id; the delivery names the message's
      -- campaign. Only message rows carry the index.
      create index events_message_by_provider_id on events (tenant_id, (body->>'messageId')) where kind = 'message';
    `,
  },
  {
    version: 13,
    name: 'codes for many devices, devices that report in',
    // A code may enroll several devices (an IT roll-out gives one code to a whole floor): `uses`
    // counts them, and `used_at` is set when the last allowed one enrolls, as for a single-use
    // code. A device reports with each push how many events it still has to send and its
    // extension's version; `agent_name` is the agent last seen on it, which names it on screen.
    sql: `
      alter table enrollment_codes add column max_uses integer not null default 1 check (max_uses >= 1);
      alter table enrollment_codes add column uses integer not null default 0;
      update enrollment_codes set uses = 1 where used_at is not null;
      alter table devices add column last_seen_at timestamptz;
      alter table devices add column events_waiting integer;
      alter table devices add column extension_version text;
      alter table devices add column agent_name text;
    `,
  },
  {
    version: 15,
    name: 'shared report models',
    // Saved searches a supervisor shares with the team (issue 13): the filters as the app keeps
    // them, checked on the way in. One name per report in a tenant, so a model is found by name.
    sql: `
      create table report_models (
        id text primary key,
        tenant_id text not null references tenants(id),
        report_id text not null,
        name text not null,
        filters jsonb not null,
        relative_days integer,
        created_by text not null references users(id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unique (tenant_id, report_id, name)
      );
    `,
  },
  {
    version: 16,
    name: 'report job row counts',
    sql: `
      -- The rows of a job's files, so a teammate's history shows them too.
      alter table report_jobs add column row_count bigint check (row_count >= 0);
    `,
  },
];

/** Brings the schema up to date; several instances starting together wait for each other. */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(7426001)');
    await tx.exec(`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set(
      (await tx.query<{ version: number }>('select version from schema_migrations')).map(
        (row) => row.version,
      ),
    );
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
