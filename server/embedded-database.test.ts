import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  chmodSync,
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from '../tests/e2e/server-process.ts';
import { openDatabase } from './config.ts';
import { EmbeddedDatabaseBusy, lockDataFolder } from './db/data-folder.ts';
import type { Database } from './db/database.ts';
import { pontual } from './testing/cli.ts';
import { DATABASES } from './testing/databases.ts';
import { serveForTests, type TestServer } from './testing/http.ts';

const dir = mkdtempSync(join(tmpdir(), 'pontual-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A data folder made by the server's own open, with a tenant in it; copied for each case. */
const valid = join(dir, 'valid');
let eventsFile = '';
beforeAll(async () => {
  const opened = await openDatabase(valid, '');
  try {
    await opened.db.query(`insert into tenants (id, name) values ('t1', 'Acme')`);
    const [row] = await opened.db.query<{ path: string }>(`select pg_relation_filepath('events') as path`);
    eventsFile = row!.path;
  } finally {
    await opened.close();
  }
}, 180_000);

let copies = 0;
/** A copy of the valid folder, damaged by `damage`. */
function copyOfValid(damage: (folder: string) => void = () => undefined): string {
  const folder = join(dir, `copy-${++copies}`);
  cpSync(valid, folder, { recursive: true });
  damage(folder);
  return folder;
}

/** Each path under the folder with its mode and a digest of its content. */
function snapshot(folder: string): Record<string, string> {
  const seen: Record<string, string> = {};
  const visit = (path: string) => {
    const stats = lstatSync(path);
    const content = stats.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
    seen[path.slice(folder.length)] = `${(stats.mode & 0o7777).toString(8)} ${content}`;
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(folder);
  return seen;
}

/** Paths under the folder (itself included) that its owner's group or others may use. */
function looseModes(folder: string): string[] {
  return Object.entries(snapshot(folder))
    .filter(([, entry]) => (Number.parseInt(entry.split(' ')[0]!, 8) & 0o077) !== 0)
    .map(([path]) => path);
}

describe('a data folder that is not a valid database', () => {
  const restoreOrMove =
    /^pontual: the embedded database in .+ cannot be used \((.+)\): move .+ away, then restore a backup there with "pontual admin restore FILE --data .+", or start again to begin with an empty one\n$/;

  it.each([
    {
      damage: 'PG_VERSION missing',
      make: (folder: string) => rmSync(join(folder, 'pglite/PG_VERSION')),
      problem: /^pglite\/PG_VERSION is missing$/,
    },
    {
      damage: 'pg_control truncated',
      make: (folder: string) => truncateSync(join(folder, 'pglite/global/pg_control'), 100),
      problem: /PANIC: could not read file "global\/pg_control": read 100 of/,
    },
    {
      damage: 'pg_control overwritten with garbage',
      make: (folder: string) =>
        writeFileSync(join(folder, 'pglite/global/pg_control'), Buffer.alloc(8192, 0x5a)),
      problem: /FATAL: database files are incompatible with server; DETAIL: .*PG_CONTROL_VERSION/,
    },
    {
      damage: 'made by another PostgreSQL version',
      make: (folder: string) => writeFileSync(join(folder, 'pglite/PG_VERSION'), '17\n'),
      problem: /initialized by PostgreSQL version 17, which is not compatible with this version 18/,
    },
    {
      damage: 'the events table’s file deleted',
      make: (folder: string) => rmSync(join(folder, 'pglite', eventsFile)),
      problem: /^the file base\/\d+\/\d+ \(events\) is missing$/,
      // PostgreSQL starts here: opening and closing the database writes to its files.
      postgresStarts: true,
    },
  ])(
    '$damage: refused in one line, never initialised over, nothing left behind',
    async ({ make, problem, postgresStarts }) => {
      const folder = copyOfValid(make);
      const before = snapshot(folder);
      const run = await pontual(['serve', '--port', '0', '--host', '127.0.0.1', '--data', folder]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(restoreOrMove);
      expect(restoreOrMove.exec(run.stderr)![1]).toMatch(problem);
      const after = snapshot(folder);
      if (postgresStarts) expect(Object.keys(after)).toEqual(Object.keys(before));
      else expect(after).toEqual(before);
      expect(existsSync(join(folder, 'holder.json'))).toBe(false);
      expect(existsSync(join(folder, 'pontual.sock'))).toBe(false);
    },
    180_000, // beyond pontual()'s deadline: a server that starts fails an assertion, not the clock
  );

  it('a folder with only a stray file is not taken for an empty one', async () => {
    const folder = join(dir, 'stray');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'not a database');
    const run = await pontual(['serve', '--port', '0', '--host', '127.0.0.1', '--data', folder]);
    expect(run).toMatchObject({
      code: 2,
      stderr: `pontual: ${folder} holds files that are not a Pontual database (notes.txt): give an empty or new folder with --data, or move those files away\n`,
    });
    expect(readdirSync(folder)).toEqual(['notes.txt']);
  });
});

describe('other startup errors', () => {
  it('a port in use: one line, and no lock or holder.json left behind', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    const folder = copyOfValid();
    try {
      const run = await pontual(['serve', '--port', String(port), '--host', '127.0.0.1', '--data', folder]);
      expect(run).toMatchObject({
        code: 2,
        stderr: `pontual: port ${port} on 127.0.0.1 is in use by another program: stop it, or choose another --port\n`,
      });
      expect(readdirSync(folder)).toEqual(['pglite']);
    } finally {
      taken.close();
    }
  }, 180_000);

  it('a PostgreSQL that does not answer: one line', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    const run = await pontual(['serve', '--port', '0'], {
      env: { DATABASE_URL: `postgres://ana:s3cret@127.0.0.1:${port}/pontual` },
    });
    expect(run).toMatchObject({
      code: 2,
      stderr: `pontual: cannot reach the database of DATABASE_URL (postgres://ana:***@127.0.0.1:${port}/pontual): connect ECONNREFUSED 127.0.0.1:${port}: check that PostgreSQL runs there and that the address and credentials are right\n`,
    });
  });
});

describe('the data folder’s permissions', () => {
  it('a new folder is its owner’s only, and so is everything PGlite wrote in it', () => {
    expect(lstatSync(valid).mode & 0o777).toBe(0o700);
    expect(looseModes(valid)).toEqual([]);
  });

  it('an existing folder open to others is tightened when opened, and the operator told', async () => {
    const folder = copyOfValid((copy) => {
      chmodSync(copy, 0o755);
      chmodSync(join(copy, 'pglite/global/pg_control'), 0o666);
      chmodSync(join(copy, 'pglite/pg_hba.conf'), 0o644);
    });
    const opened = await openDatabase(folder, '');
    await opened.close();
    expect(opened.notices).toEqual([
      `3 files and folders in ${folder} could be read or written by other users: they are now its owner’s only`,
    ]);
    expect(looseModes(folder)).toEqual([]);
  }, 120_000);
});

describe('one holder per data folder, by a lock the kernel frees', () => {
  it('a reused pid does not block, a live server refuses a second, kill -9 frees the folder', async () => {
    // The pid in holder.json now belongs to a live process that is not a Pontual server.
    const folder = copyOfValid((copy) =>
      writeFileSync(
        join(copy, 'holder.json'),
        JSON.stringify({ pid: process.pid, port: 1, adminSecret: 'x' }),
      ),
    );
    const server = await startServerProcess({ dataDir: folder });
    try {
      expect((await server.call('GET', '/healthz')).body).toEqual({ ok: true, database: 'pglite' });

      const second = await pontual(['serve', '--port', '0', '--host', '127.0.0.1', '--data', folder]);
      expect(second).toMatchObject({
        code: 2,
        stderr: `pontual: the embedded database is open by the Pontual server running as pid ${server.pid} on port ${server.port}: stop it first, or set DATABASE_URL\n`,
      });

      await server.kill('SIGKILL');
      expect(existsSync(join(folder, 'pontual.sock'))).toBe(true); // left by the dead process
      await server.restart();
      const tenant = await server.admin(['create-tenant', 'After the crash']);
      expect(JSON.parse(tenant)).toMatchObject({ name: 'After the crash' });
    } finally {
      await server.close();
    }
  }, 300_000);

  it('of two taking a folder whose holder died, exactly one gets it', async () => {
    for (let round = 0; round < 10; round++) {
      const folder = join(dir, `race-${round}`);
      mkdirSync(folder);
      // A socket file no process listens on, as a killed holder leaves it.
      const socket = join(folder, 'pontual.sock');
      const dead = createServer().listen(socket);
      await new Promise((resolve) => dead.once('listening', resolve));
      linkSync(socket, `${socket}.kept`);
      await new Promise((resolve) => dead.close(resolve));
      renameSync(`${socket}.kept`, socket);

      const results = await Promise.allSettled([lockDataFolder(folder), lockDataFolder(folder)]);
      const taken = results.filter((result) => result.status === 'fulfilled');
      const refused = results.filter((result) => result.status === 'rejected');
      expect(taken).toHaveLength(1);
      expect(refused[0]?.reason).toBeInstanceOf(EmbeddedDatabaseBusy);
      expect(refused[0]?.reason.message).toBe(
        `the embedded database is open by another pontual command (pid ${process.pid})`,
      );
      await taken[0]!.value.release();
      expect(readdirSync(folder)).toEqual([]);
    }
  });
});

describe.each(DATABASES)('/healthz on $kind', ({ kind, open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  it('answers 503 with the reason when the database cannot read its tables', async () => {
    expect(await server.call('GET', '/healthz')).toMatchObject({
      status: 200,
      body: { ok: true, database: kind },
    });
    await db.exec('alter table events rename to events_away');
    try {
      const health = await server.call<{ problem: string }>('GET', '/healthz');
      expect(health).toMatchObject({ status: 503, body: { ok: false, database: kind } });
      expect(health.body.problem).toMatch(
        /^the database cannot read its tables: relation "events" does not exist/,
      );
    } finally {
      await db.exec('alter table events_away rename to events');
    }
    expect((await server.call('GET', '/healthz')).status).toBe(200);
  });
});
