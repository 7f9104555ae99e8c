import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface Cluster {
  url: string;
  /** The data directory (its `postmaster.pid` names the server process). */
  dataDir: string;
  stop(): void;
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
  const run = (command: string, args: string[]) => {
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], { encoding: 'utf8' })
      : spawnSync(join(PG_BIN, command), args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  const data = join(root, 'data');
  const socket = join(root, 'sock');
  const log = join(root, 'server.log');
  if (asRoot) execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '700', data]);
  if (asRoot) execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', socket, join(root, 'log')]);
  run('initdb', ['-D', data, '-U', 'pontual', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    asRoot ? join(root, 'log', 'server.log') : log,
    '-w',
    '-t',
    '30',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${socket} -c fsync=off -c max_connections=200`,
    'start',
  ]);
  return {
    url: `postgres://pontual@127.0.0.1:${port}/postgres`,
    dataDir: data,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
