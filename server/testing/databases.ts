import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';

/** Both databases the server runs on; server tests run against each. */
export const DATABASES: { kind: Database['kind']; open(): Promise<Database> }[] = [
  {
    kind: 'pglite',
    async open() {
      const db = await openPglite(undefined);
      await migrate(db);
      return db;
    },
  },
  { kind: 'postgres', open: async () => (await freshPostgres()).db },
];

/** A new, empty database on the test run's PostgreSQL server: its URL. */
export async function emptyPostgres(): Promise<string> {
  const adminUrl = inject('postgresUrl');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(adminUrl, 1);
  await admin.exec(`create database ${name}`);
  await admin.close();
  return adminUrl.replace(/\/postgres$/, `/${name}`);
}

/** A new, migrated database on the test run's PostgreSQL server, and its URL. */
export async function freshPostgres(): Promise<{ db: Database; url: string }> {
  const url = await emptyPostgres();
  const db = await openPostgres(url, 20);
  await migrate(db);
  return { db, url };
}
