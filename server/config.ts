import { mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { UserError } from './cli/user-error.ts';
import {
  DATABASE_FOLDER,
  DataFolderError,
  damagedFolder,
  inspectDataFolder,
  lockDataFolder,
  tightenModes,
} from './db/data-folder.ts';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { type EmbeddedDatabase, openPglite, PgliteFolderUnusable } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';
import { shownUrl } from './db/postgres-backup.ts';

export interface OpenedDatabase {
  db: Database;
  /** The embedded database's holder; absent with `DATABASE_URL`. */
  embedded?: {
    /** A consistent copy of the whole database, taken while it runs. */
    backup(): Promise<Blob>;
    /**
     * Hands the requests of the data folder's socket (`pontual admin`) to the server, and writes
     * its port in `holder.json` for scripts.
     */
    serve(handler: (request: IncomingMessage, response: ServerResponse) => void, port: number): void;
  };
  /** What the operator should be told of (the data folder's permissions tightened). */
  notices: string[];
  close(): Promise<void>;
}

/**
 * Opens the database: PostgreSQL when `DATABASE_URL` is set, else the embedded PGlite in the
 * data folder, created there on first use when the folder is absent or empty (`create: false`
 * refuses that instead). Migrations run on open.
 */
export async function openDatabase(
  dataDir: string,
  databaseUrl = process.env.DATABASE_URL,
  options: { create?: boolean } = {},
): Promise<OpenedDatabase> {
  if (databaseUrl) {
    const db = await openPostgres(databaseUrl).catch((error: Error) => {
      throw new UserError(
        `cannot reach the database of DATABASE_URL (${shownUrl(databaseUrl)}): ${error.message}: ` +
          'check that PostgreSQL runs there and that the address and credentials are right',
      );
    });
    await migrate(db);
    return { db, notices: [], close: () => db.close() };
  }
  const opened = await openEmbedded(resolve(dataDir), { create: options.create ?? true });
  try {
    await migrate(opened.db);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/**
 * Fills an empty data folder (or a new one) from a backup of the embedded database (`source`
 * names it in messages), and checks that the result opens.
 */
export async function restoreEmbedded(dataDir: string, backup: Uint8Array, source: string): Promise<void> {
  const opened = await openEmbedded(resolve(dataDir), { restore: backup, source });
  await opened.close();
}

/**
 * Takes the data folder (created 0700 when absent) and opens its database: a new one only where
 * the folder holds nothing, a damaged one never. On failure nothing is left behind but what was
 * there.
 */
async function openEmbedded(
  folder: string,
  intent: { create: boolean } | { restore: Uint8Array; source: string },
): Promise<OpenedDatabase & { db: EmbeddedDatabase }> {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw asFolderError(folder, error);
  }
  const lock = await lockDataFolder(folder).catch((error) => {
    throw asFolderError(folder, error);
  });
  const pgdata = join(folder, DATABASE_FOLDER);
  let db: EmbeddedDatabase | undefined;
  try {
    const state = inspectDataFolder(folder);
    if ('restore' in intent && state === 'database')
      throw new DataFolderError(
        `${folder} holds a database already: restore into an empty or new folder, or move it away first`,
      );
    if ('create' in intent && !intent.create && state === 'empty')
      throw new DataFolderError(`there is no database in ${folder} (give the data folder with --data)`);
    const loose = tightenModes(folder);
    try {
      db = await openPglite(pgdata, 'restore' in intent ? { restore: intent.restore } : {});
    } catch (error) {
      if (!(error instanceof PgliteFolderUnusable)) throw error;
      if (state === 'database') throw damagedFolder(folder, error.message);
      rmSync(pgdata, { recursive: true, force: true }); // what this attempt wrote in an empty folder
      throw new DataFolderError(
        'restore' in intent
          ? `${intent.source} cannot be restored (${error.message})`
          : `a new database cannot be created in ${folder} (${error.message})`,
      );
    }
    tightenModes(folder); // PGlite writes a new database's files as 0666
    const opened = db;
    return {
      db: opened,
      embedded: { backup: () => opened.dump(), serve: lock.serve },
      notices:
        state === 'database' && loose > 0
          ? [
              `${loose} files and folders in ${folder} could be read or written by other users: ` +
                'they are now its owner’s only',
            ]
          : [],
      async close() {
        await opened.close();
        await lock.release();
      },
    };
  } catch (error) {
    await db?.close();
    await lock.release();
    throw asFolderError(folder, error);
  }
}

/** A file system's refusal (permissions, a file where the folder should be) said of the folder. */
function asFolderError(folder: string, error: unknown): unknown {
  if (error instanceof DataFolderError || !(error as NodeJS.ErrnoException).code) return error;
  return new DataFolderError(`cannot use the data folder ${folder}: ${(error as Error).message}`);
}
