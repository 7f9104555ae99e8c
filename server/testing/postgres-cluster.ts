import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
  url: string;
  /** The data directory (its `postmaster.pid` names the server process). */
  dataDir: string;
  /** Stops the server and removes the cluster. */
  stop(): void;
  // What an operator does to a running database, for the tests of a server that must outlive it;
  // asynchronous, so that servers in the same process keep answering meanwhile.
  /** `pg_ctl stop -m fast`: every connection is ended, the data is kept. */
  down(): Promise<void>;
  /** `pg_ctl start`, resolved once the server accepts connections. */
  up(): Promise<void>;
  /** `pg_ctl restart -m fast`. */
  restart(): Promise<void>;
  /** Ends the connections that last ran a LISTEN (`pg_terminate_backend`); how many there were. */
  terminateListeners(): Promise<number>;
}

/**
 * A throwaway native PostgreSQL cluster on a loopback port, for the tests. PostgreSQL refuses to
 * run as root, so as root it runs as the `postgres` system user.
 */
export function startCluster(port: number): Cluster {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(
      `PostgreSQL server binaries not found in ${PG_BIN} (apt-get install postgresql, or set PG_BIN)`,
    );
  }
  const root = mkdtempSync(join(tmpdir(), 'pontual-pg-'));
  chmodSync(root, 0o755);
  const asRoot = userInfo().uid === 0;
  /** The command line of a PostgreSQL program, as the user that may run it. */
  const commandLine = (command: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args]]
      : [join(PG_BIN, command), args];
  const run = (command: string, args: string[]) => {
    const result = spawnSync(...commandLine(command, args), { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  const runAsync = async (command: string, args: string[]) => {
    try {
      await promisify(execFile)(...commandLine(command, args));
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${command} failed: ${stderr || stdout || (error as Error).message}`);
    }
  };
  const data = join(root, 'data');
  const socket = join(root, 'sock');
  const log = join(root, 'server.log');
  if (asRoot) execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '700', data]);
  if (asRoot) execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', socket, join(root, 'log')]);
  run('initdb', ['-D', data, '-U', 'pontual', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  const serverOptions = [
    '-l',
    asRoot ? join(root, 'log', 'server.log') : log,
    '-w',
    '-t',
    '30',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${socket} -c fsync=off -c max_connections=200`,
  ];
  run('pg_ctl', ['-D', data, ...serverOptions, 'start']);
  const url = `postgres://pontual@127.0.0.1:${port}/postgres`;
  return {
    url,
    dataDir: data,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
    down: () => runAsync('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    up: () => runAsync('pg_ctl', ['-D', data, ...serverOptions, 'start']),
    restart: () => runAsync('pg_ctl', ['-D', data, ...serverOptions, '-m', 'fast', 'restart']),
    async terminateListeners() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ ended: number }>(
          `select count(pg_terminate_backend(pid))::int as ended
             from pg_stat_activity where query ilike 'listen%' and pid <> pg_backend_pid()`,
        );
        return rows[0]!.ended;
      } finally {
        await client.end();
      }
    },
  };
}
