import type { BusinessNumberRecord } from '../shared/records/business-number.ts';
import { businessNumberRecordId } from '../shared/records/business-number.ts';
import type { RecordKindName } from '../shared/records/kind.ts';
import type { UserEvent, UserRecord } from '../shared/records/user.ts';
import type { Database, Queryable } from './db/database.ts';
import { storeRecords } from './routes/events.ts';

/** Tells the tenant's event streams that records of these kinds arrived. */
export type AnnounceRecords = (tenantId: string, kinds: RecordKindName[]) => void;

interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  role: 'admin' | 'supervisor';
  created_at: Date | string;
}

/** A business number's row as `business_numbers` holds it. */
export interface BusinessNumberRow {
  phone_number_id: string;
  tenant_id: string;
  integration_id: string;
  display_number: string;
  waba_id: string;
  first_seen_at: Date | string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/**
 * The record of what happened to a person at `at`. `created` is one record per person (its id has
 * no time: the start's backfill and the creation write the same one); `active` is one per UTC day;
 * the others one per moment.
 */
export function userRecord(row: UserRow, event: UserEvent, at: Date): UserRecord {
  const when = event === 'created' ? iso(row.created_at) : at.toISOString();
  const suffix = event === 'created' ? '' : event === 'active' ? `.${when.slice(0, 10)}` : `.${when}`;
  return {
    id: `user.${row.id}.${event}${suffix}`,
    type: 'user',
    at: when,
    userId: row.id,
    event,
    email: row.email,
    role: row.role,
    createdAt: iso(row.created_at),
  };
}

export function businessNumberRecord(row: BusinessNumberRow, at: Date): BusinessNumberRecord {
  const displayNumber = row.display_number;
  return {
    id: `business_number.${businessNumberRecordId({ phoneNumberId: row.phone_number_id, displayNumber, wabaId: row.waba_id })}`.slice(
      0,
      128,
    ),
    type: 'business_number',
    at: at.toISOString(),
    phoneNumberId: row.phone_number_id,
    displayNumber,
    wabaId: row.waba_id,
    integrationId: row.integration_id,
    firstSeenAt: iso(row.first_seen_at),
  };
}

const USER_COLUMNS = 'id, tenant_id, email, role, created_at';

/**
 * Writes the `user` and `business_number` records (docs/records.md): the people and the numbers
 * reach the reports through the same pipeline as every record, pulled like the rest, and only
 * the server writes them.
 */
export class AccountRecords {
  /** The UTC day each person's `active` record was last written for, by this instance. */
  private readonly activeDays = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly announce: AnnounceRecords,
    private readonly log?: { warn(message: string): void },
  ) {}

  private async store(tenantId: string, records: readonly (UserRecord | BusinessNumberRecord)[]) {
    if (records.length === 0) return;
    const stored = await storeRecords(this.db, { tenantId, role: 'server' }, records, 0);
    for (const refused of stored.rejected)
      this.log?.warn(`account record ${refused.id ?? refused.index} refused: ${refused.error}`);
    if (stored.kinds.length > 0) this.announce(tenantId, stored.kinds);
  }

  /** Records what happened to one person now (they must exist in `users`). */
  async user(tenantId: string, userId: string, event: UserEvent, db: Queryable = this.db): Promise<void> {
    const [row] = await db.query<UserRow>(
      `select ${USER_COLUMNS} from users where tenant_id = $1 and id = $2`,
      [tenantId, userId],
    );
    if (!row) return;
    await this.store(tenantId, [userRecord(row, event, new Date())]);
  }

  /**
   * A person used the app (an authenticated request that succeeded): the first time each UTC day
   * (per instance), an `active` record, stored before the answer leaves, so whoever pulls after
   * it finds it. Never fails the request: a failure is logged and tried on the next request.
   */
  async noteActive(tenantId: string, userId: string): Promise<void> {
    const today = new Date().toISOString().slice(0, 10);
    if (this.activeDays.get(userId) === today) return;
    this.activeDays.set(userId, today);
    try {
      await this.user(tenantId, userId, 'active');
    } catch (error) {
      this.activeDays.delete(userId);
      this.log?.warn(`could not record that user ${userId} was active: ${(error as Error).message}`);
    }
  }

  /** Records the numbers that are new or changed (their rows as they are now). */
  async numbers(tenantId: string, rows: readonly BusinessNumberRow[]): Promise<void> {
    const now = new Date();
    await this.store(
      tenantId,
      rows.map((row) => businessNumberRecord(row, now)),
    );
  }

  /**
   * Writes every person's `created` record and every number's current state, for the people and
   * numbers known before these records existed. Their ids are fixed, so a start after the first
   * stores nothing new (and announces nothing).
   */
  async backfill(): Promise<void> {
    const users = await this.db.query<UserRow>(`select ${USER_COLUMNS} from users order by tenant_id`);
    const numbers = await this.db.query<BusinessNumberRow>(
      `select phone_number_id, tenant_id, integration_id, display_number, waba_id, first_seen_at
         from business_numbers order by tenant_id`,
    );
    const perTenant = new Map<string, (UserRecord | BusinessNumberRecord)[]>();
    const add = (tenantId: string, record: UserRecord | BusinessNumberRecord) => {
      const records = perTenant.get(tenantId) ?? [];
      records.push(record);
      perTenant.set(tenantId, records);
    };
    const now = new Date();
    for (const row of users) add(row.tenant_id, userRecord(row, 'created', now));
    for (const row of numbers) add(row.tenant_id, businessNumberRecord(row, new Date(row.first_seen_at)));
    for (const [tenantId, records] of perTenant) await this.store(tenantId, records);
  }
}
