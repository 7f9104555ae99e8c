import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';

/**
 * Who holds a data folder's embedded database: its pid, and for a server its port and a secret
 * the local admin CLI uses to reach it. Only one process may open an embedded database.
 */
export interface Holder {
  pid: number;
  /** 0 for a command that is not a server. */
  port: number;
  adminSecret: string;
}

const HOLDER_FILE = 'holder.json';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process its parent has not reaped yet still answers signals: a zombie holds nothing.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): trust the signal
  }
}

export class EmbeddedDatabaseBusy extends Error {
  constructor(readonly holder: Holder) {
    super(
      holder.port > 0
        ? `the embedded database is open by the Pontual server running as pid ${holder.pid} on port ${holder.port}`
        : `the embedded database is open by another pontual command (pid ${holder.pid})`,
    );
  }
}

/** The live process holding this data folder, if any. */
export function holderOf(dataDir: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(join(resolve(dataDir), HOLDER_FILE), 'utf8')) as Holder;
    return isAlive(holder.pid) ? holder : undefined;
  } catch {
    return undefined;
  }
}

export interface OpenedDatabase {
  db: Database;
  /** For the embedded database: the secret of this holder, and how to say the port once known. */
  holder?: { adminSecret: string; announcePort(port: number): void };
  close(): Promise<void>;
}

/**
 * Opens the database: PostgreSQL when `DATABASE_URL` is set, else the embedded PGlite in the
 * data folder (created on first use). Migrations run on open.
 */
export async function openDatabase(
  dataDir: string,
  databaseUrl = process.env.DATABASE_URL,
): Promise<OpenedDatabase> {
  if (databaseUrl) {
    const db = await openPostgres(databaseUrl);
    await migrate(db);
    return { db, close: () => db.close() };
  }
  const folder = resolve(dataDir);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, HOLDER_FILE);
  const holder: Holder = { pid: process.pid, port: 0, adminSecret: randomBytes(32).toString('base64url') };
  // Created exclusively: of two processes starting together, one wins and the other is told.
  for (;;) {
    try {
      writeFileSync(file, JSON.stringify(holder), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = holderOf(folder);
      if (current) throw new EmbeddedDatabaseBusy(current);
      rmSync(file, { force: true }); // left by a process that died
    }
  }
  const release = () => rmSync(file, { force: true });
  try {
    const db = await openPglite(join(folder, 'pglite'));
    await migrate(db);
    return {
      db,
      holder: {
        adminSecret: holder.adminSecret,
        announcePort: (port) => writeFileSync(file, JSON.stringify({ ...holder, port }), { mode: 0o600 }),
      },
      async close() {
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
