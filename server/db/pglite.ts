import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzip as gzipCallback } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import type { Database } from './database.ts';

const gzip = promisify(gzipCallback);

/** The embedded database, which can also copy its whole folder while it runs. */
export interface EmbeddedDatabase extends Database {
  readonly kind: 'pglite';
  /**
   * The database folder as a gzipped tarball, copied while no transaction is open and after a
   * checkpoint: what `openPglite(folder, { restore })` opens again. Writers wait for the copy.
   */
  dump(): Promise<Blob>;
}

/**
 * PGlite could not open its folder, or the folder lacks a table's file: `message` is what
 * PostgreSQL reported (its FATAL, PANIC and DETAIL lines), on one line.
 */
export class PgliteFolderUnusable extends Error {}

/** PostgreSQL's report lines worth showing a person; its HINT at damage is "initdb", never ours. */
const REPORTED = /\b(PANIC|FATAL|ERROR|DETAIL):\s+(.*)$/;

/**
 * The tarball inside a `dump()`. Checked here: PGlite retries a tarball it cannot read as gzip,
 * and that failure escapes it as an unhandled rejection.
 */
function dumpedTarball(dump: Uint8Array): Blob {
  let tarball: Buffer;
  try {
    tarball = gunzipSync(dump);
  } catch (error) {
    throw new PgliteFolderUnusable(`it is not a whole gzip file: ${(error as Error).message}`);
  }
  if (tarball.subarray(257, 262).toString('latin1') !== 'ustar')
    throw new PgliteFolderUnusable('it holds no tar archive');
  return new Blob([tarball as Uint8Array<ArrayBuffer>]);
}

/**
 * The embedded database: PostgreSQL compiled to WebAssembly, in a folder (or in memory). With
 * `restore`, the folder (which must be empty) is first filled from the bytes of a `dump()`.
 */
export async function openPglite(
  dataDir: string | undefined,
  options: { restore?: Uint8Array } = {},
): Promise<EmbeddedDatabase> {
  const reported: string[] = [];
  let opening = true;
  // PostgreSQL's lock file, which a start that fails leaves behind (PGlite's pid is always the same).
  const lockFile = dataDir === undefined ? undefined : join(dataDir, 'postmaster.pid');
  const locked = lockFile !== undefined && existsSync(lockFile);
  const db = new PGlite({
    dataDir,
    loadDataDir: options.restore && dumpedTarball(options.restore),
    // Only while opening: afterwards PostgreSQL's messages reach the caller with each query's error.
    onStderr: (line) => {
      const match = opening ? REPORTED.exec(line) : null;
      if (match) reported.push(`${match[1]}: ${match[2]}`);
      return true;
    },
  });
  try {
    await db.waitReady;
    opening = false;
    if (dataDir !== undefined) await checkRelationFiles(db, dataDir);
  } catch (error) {
    await db.close().catch(() => undefined);
    if (lockFile && !locked) rmSync(lockFile, { force: true });
    if (error instanceof PgliteFolderUnusable) throw error;
    throw new PgliteFolderUnusable(reported.length > 0 ? reported.join('; ') : (error as Error).message);
  }
  return {
    kind: 'pglite',
    async query<Row>(sql: string, params?: unknown[]) {
      return (await db.query<Row>(sql, params)).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    transaction(work) {
      // PGlite has one connection: its transactions run one at a time.
      return db.transaction((tx) =>
        work({
          query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      );
    },
    async dump() {
      // Inside a transaction's turn nothing else runs, so the files are copied between commits; the
      // checkpoint first writes every committed change to them, so the copy needs no WAL replay.
      // Writers wait only for the copy: it is compressed after, on libuv's threads.
      const tarball = await db.transaction(async (tx) => {
        await tx.exec('checkpoint');
        return db.dumpDataDir('none');
      });
      return new Blob([await gzip(new Uint8Array(await tarball.arrayBuffer()))]);
    },
    close: () => db.close(),
  };
}

/**
 * PostgreSQL opens a table's file only when a query reads it: a deleted one would start a server
 * whose every pull fails. Every relation with storage must have its file.
 */
async function checkRelationFiles(db: PGlite, dataDir: string): Promise<void> {
  const { rows } = await db.query<{ name: string; path: string }>(
    `select relname as name, pg_relation_filepath(oid) as path from pg_class
      where pg_relation_filepath(oid) is not null order by oid`,
  );
  const missing = rows.filter((row) => !existsSync(join(dataDir, row.path)));
  if (missing.length > 0) {
    const shown = missing.slice(0, 3).map((row) => `${row.path} (${row.name})`);
    throw new PgliteFolderUnusable(
      `${missing.length === 1 ? 'the file' : `${missing.length} files, among them`} ${shown.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`,
    );
  }
}
