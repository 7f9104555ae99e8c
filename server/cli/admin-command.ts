import {
  closeSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { openDatabase, restoreEmbedded } from '../config.ts';
import { askHolder, EmbeddedDatabaseBusy } from '../db/data-folder.ts';
import { dumpPostgres, restorePostgres, shownUrl } from '../db/postgres-backup.ts';
import { createTenant, createUser, findTenant } from '../tenants.ts';
import { parseOptions } from './options.ts';
import { UserError } from './user-error.ts';

const ROLES = ['admin', 'supervisor'] as const;
/** How long a request to the running server may stay silent (a backup is made before it is sent). */
const SERVER_TIMEOUT_MS = 10 * 60_000;

/** A password from standard input (scripts) or typed without echo (a person at a terminal). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write('Password: ');
  muted._writeToOutput = () => undefined;
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

/**
 * A request to the server that holds the embedded database in `data`, through the data folder's
 * socket: its answer, or `undefined` when no server holds it (or `DATABASE_URL` is set).
 */
async function throughServer(data: string, path: string, body?: unknown): Promise<Buffer | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const answer = await askHolder(data, { method: 'POST', path, body, timeout: SERVER_TIMEOUT_MS });
  if (answer === 'nobody') return undefined;
  if (answer === 'silent')
    throw new UserError(`the server holding ${data} did not answer in ${SERVER_TIMEOUT_MS / 60_000} minutes`);
  if (answer.status !== 200) {
    let said: unknown;
    try {
      said = (JSON.parse(answer.body.toString()) as { error?: unknown }).error;
    } catch {
      // not JSON: the status says it
    }
    throw new UserError(String(said ?? `the server answered ${answer.status}`));
  }
  return answer.body;
}

/** Runs `work` on the data folder, which another process may hold: then says what to do. */
async function whenFree<T>(work: () => Promise<T>, advice: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusy) throw new UserError(`${error.message}: ${advice}`);
    throw error;
  }
}

/** Opens the database itself, when no server holds it. */
const openDirectly = (data: string, options: { create?: boolean } = {}) =>
  whenFree(() => openDatabase(data, undefined, options), 'try again when it is done');

/**
 * Writes a backup under a temporary name beside `out` and renames it at the end: a backup that
 * failed halfway never stands where a good one is expected.
 */
async function writeBackup(out: string, write: (partial: string) => Promise<void>): Promise<number> {
  const partial = `${out}.partial-${process.pid}`;
  try {
    await write(partial);
    renameSync(partial, out);
  } catch (error) {
    rmSync(partial, { force: true });
    if ((error as NodeJS.ErrnoException).code)
      throw new UserError(`cannot write ${out}: ${(error as Error).message}`);
    throw error;
  }
  return statSync(out).size;
}

/** `pontual admin backup --out FILE`: the embedded database's folder, or `pg_dump` of DATABASE_URL. */
async function backupCommand(data: string, out: string | undefined): Promise<number> {
  if (!out) throw new UserError('usage: pontual admin backup --out FILE [--data DIR]');
  const url = process.env.DATABASE_URL;
  const bytes = await writeBackup(out, async (partial) => {
    if (url) return dumpPostgres(url, partial);
    let backup = await throughServer(data, '/api/v1/admin/backup');
    if (backup === undefined) {
      const opened = await openDirectly(data, { create: false });
      try {
        backup = Buffer.from(await (await opened.embedded!.backup()).arrayBuffer());
      } finally {
        await opened.close();
      }
    }
    writeFileSync(partial, backup);
  });
  process.stdout.write(`${JSON.stringify({ backup: out, bytes, database: url ? 'postgres' : 'pglite' })}\n`);
  return 0;
}

/** What a backup file holds, by its first bytes. */
function backupKind(file: string): 'postgres' | 'pglite' {
  const head = Buffer.alloc(5);
  try {
    const fd = openSync(file, 'r');
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (head.toString('latin1') === 'PGDMP') return 'postgres';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite'; // gzip
  throw new UserError(
    `${file} is not a Pontual backup (neither pg_dump's custom format nor a gzipped data folder)`,
  );
}

/** `pontual admin restore FILE`: into an empty data folder, or an empty database (DATABASE_URL). */
async function restoreCommand(data: string, file: string | undefined): Promise<number> {
  if (!file) throw new UserError('usage: pontual admin restore FILE [--data DIR]');
  const kind = backupKind(file);
  const url = process.env.DATABASE_URL;
  if (url) {
    if (kind !== 'postgres')
      throw new UserError(
        `${file} is a backup of the embedded database: restore it into a data folder (--data), without DATABASE_URL`,
      );
    await restorePostgres(url, file);
  } else {
    if (kind !== 'pglite')
      throw new UserError(
        `${file} is a backup of a PostgreSQL server (pg_dump): set DATABASE_URL to an empty database to restore it`,
      );
    await whenFree(
      () => restoreEmbedded(data, readFileSync(file), file),
      'restore into an empty folder, or stop it first',
    );
  }
  process.stdout.write(`${JSON.stringify({ restored: file, into: url ? shownUrl(url) : data })}\n`);
  return 0;
}

/**
 * `pontual admin create-tenant <name>`, `create-user --tenant <t> --email <e> --role
 * admin|supervisor`, `backup --out FILE` and `restore FILE`, on the same database as `serve`
 * (`--data` or `DATABASE_URL`). When a server holds the embedded database, the command goes
 * through it.
 */
export async function adminCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    data: { type: 'string', default: process.env.PONTUAL_DATA ?? './data' },
    tenant: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
    out: { type: 'string' },
  });
  const [action, ...rest] = positionals;
  // Backups and the embedded database's files hold password hashes: their owner's only.
  process.umask(0o077);
  if (action === 'backup') return backupCommand(values.data, values.out);
  if (action === 'restore') return restoreCommand(values.data, rest[0]);
  let request: { path: string; body: Record<string, unknown> };
  if (action === 'create-tenant') {
    const name = rest.join(' ').trim();
    if (!name) throw new UserError('usage: pontual admin create-tenant <name>');
    request = { path: '/api/v1/admin/tenants', body: { name } };
  } else if (action === 'create-user') {
    if (!values.tenant || !values.email) {
      throw new UserError(
        'usage: pontual admin create-user --tenant <name> --email <email> --role admin|supervisor',
      );
    }
    if (!ROLES.includes(values.role as (typeof ROLES)[number]))
      throw new UserError('--role must be admin or supervisor');
    const password = await readPassword();
    if (password.length < 8) throw new UserError('the password must have at least 8 characters');
    request = {
      path: '/api/v1/admin/users',
      body: { tenant: values.tenant, email: values.email, password, role: values.role },
    };
  } else {
    throw new UserError(
      'usage: pontual admin create-tenant <name> | create-user --tenant <t> --email <e> --role <r> | ' +
        'backup --out FILE | restore FILE',
    );
  }

  const answer = await throughServer(values.data, request.path, request.body);
  if (answer !== undefined) {
    process.stdout.write(`${answer.toString()}\n`);
    return 0;
  }

  const opened = await openDirectly(values.data);
  try {
    const body = request.body as {
      name: string;
      tenant: string;
      email: string;
      password: string;
      role: 'admin';
    };
    if (action === 'create-tenant') {
      if (await findTenant(opened.db, body.name))
        throw new UserError(`a tenant named "${body.name}" exists already`);
      process.stdout.write(`${JSON.stringify(await createTenant(opened.db, body.name))}\n`);
    } else {
      const tenant = await findTenant(opened.db, body.tenant);
      if (!tenant)
        throw new UserError(`no tenant "${body.tenant}" (create it with pontual admin create-tenant)`);
      const [existing] = await opened.db.query('select 1 from users where email = $1', [
        body.email.trim().toLowerCase(),
      ]);
      if (existing) throw new UserError(`a user with the email ${body.email} exists already`);
      const user = await createUser(opened.db, {
        tenantId: tenant.id,
        email: body.email,
        password: body.password,
        role: body.role,
      });
      process.stdout.write(`${JSON.stringify(user)}\n`);
    }
  } finally {
    await opened.close();
  }
  return 0;
}
