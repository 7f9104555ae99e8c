import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../cli/user-error.ts';
import { openPostgres } from './postgres.ts';

/** Where Debian and Ubuntu install each PostgreSQL version's programs, as `<version>/bin`. */
const VERSIONS_DIR = '/usr/lib/postgresql';

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * A PostgreSQL client program: the first on `PATH`, else the newest version's in
 * /usr/lib/postgresql (pg_dump must be at least as new as the server it dumps).
 */
export function findPostgresTool(
  name: 'pg_dump' | 'pg_restore',
  searchPath = process.env.PATH ?? '',
  versionsDir = VERSIONS_DIR,
): string {
  const file = process.platform === 'win32' ? `${name}.exe` : name;
  let versions: string[] = [];
  try {
    versions = readdirSync(versionsDir).sort((a, b) => Number(b) - Number(a));
  } catch {
    // no such folder: PATH only
  }
  const found = [
    ...searchPath
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, file)),
    ...versions.map((version) => join(versionsDir, version, 'bin', file)),
  ].find(isExecutable);
  if (found) return found;
  throw new UserError(
    `${name} is needed to ${name === 'pg_dump' ? 'back up' : 'restore'} a PostgreSQL database and was found ` +
      `neither on PATH nor in ${versionsDir}/*/bin: install PostgreSQL's client programs ` +
      '(Debian, Ubuntu: apt-get install postgresql-client) at least as new as the server',
  );
}

/** The connection string as it may be shown: without its password. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/** Runs a client program on the database; its password goes by the environment, never in `ps`. */
function runTool(name: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  const env = { ...process.env };
  let dbname = url;
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      env.PGPASSWORD = decodeURIComponent(parsed.password);
      parsed.password = '';
      dbname = parsed.toString();
    }
  } catch {
    // a "key=value" connection string: given as it is
  }
  const child = spawn(findPostgresTool(name), [...args, `--dbname=${dbname}`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const said = stderr.trim().split('\n').slice(0, 3).join(' ');
      reject(new UserError(`${name} failed on ${shownUrl(url)}: ${said || `exit code ${code}`}`));
    });
  });
}

/** `pg_dump` in its custom format: one consistent snapshot, taken while the servers keep writing. */
export function dumpPostgres(url: string, file: string): Promise<void> {
  return runTool('pg_dump', ['--format=custom', `--file=${file}`], url);
}

/** `pg_restore` of a `dumpPostgres` file into an empty database, all or nothing. */
export async function restorePostgres(url: string, file: string): Promise<void> {
  const db = await openPostgres(url, 1);
  let relations: number;
  try {
    const [row] = await db.query<{ count: string }>(
      `select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname <> 'information_schema' and n.nspname !~ '^pg_'`,
    );
    relations = Number(row?.count);
  } finally {
    await db.close();
  }
  if (relations > 0)
    throw new UserError(
      `the database ${shownUrl(url)} is not empty (${relations} tables, indexes or sequences): ` +
        'restore into a new, empty database (createdb), then point DATABASE_URL at it',
    );
  await runTool(
    'pg_restore',
    ['--exit-on-error', '--single-transaction', '--no-owner', '--no-acl', file],
    url,
  );
}
