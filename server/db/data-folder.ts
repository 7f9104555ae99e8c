import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  readdirSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../cli/user-error.ts';

/**
 * The data folder of the embedded database: `pglite/` (PostgreSQL's own folder), the lock socket,
 * and `holder.json` while a server runs.
 */
export const DATABASE_FOLDER = 'pglite';
/** Listened on by whoever holds the folder: the lock, and the `pontual admin` channel. */
const LOCK_SOCKET = 'pontual.sock';
/** The running server's pid and port, for scripts; written once it listens, never a lock. */
export const HOLDER_FILE = 'holder.json';
/** What may be in a folder that holds no database yet: Pontual's own files, a file system's. */
const NOT_DATA = new Set([LOCK_SOCKET, HOLDER_FILE, 'lost+found']);

/** The data folder cannot be used: the message says what is wrong and what to do. */
export class DataFolderError extends UserError {}

/** Who holds a data folder: 0 for a port when it is a command rather than a server. */
export interface Holder {
  pid: number;
  port: number;
}

export class EmbeddedDatabaseBusy extends Error {
  constructor(readonly holder: Holder | undefined) {
    super(
      holder === undefined
        ? 'the embedded database is open by another process, which does not answer'
        : holder.port > 0
          ? `the embedded database is open by the Pontual server running as pid ${holder.pid} on port ${holder.port}`
          : `the embedded database is open by another pontual command (pid ${holder.pid})`,
    );
  }
}

/** What to do with a folder that holds a database PostgreSQL cannot use. */
export function damagedFolder(folder: string, problem: string): DataFolderError {
  return new DataFolderError(
    `the embedded database in ${folder} cannot be used (${problem}): move ${folder} away, then restore a ` +
      `backup there with "pontual admin restore FILE --data ${folder}", or start again to begin with an empty one`,
  );
}

/**
 * Whether the folder holds a database, or nothing yet (then, and only then, one may be created
 * in it). A folder with other files, or whose database lacks `PG_VERSION` (from which PGlite
 * would decide to create a new one over it), is refused. The rest of the database (its version,
 * control file, WAL, catalog, table files) is checked as it opens.
 */
export function inspectDataFolder(folder: string): 'empty' | 'database' {
  const entries = readdirSync(folder);
  const database = join(folder, DATABASE_FOLDER);
  if (entries.includes(DATABASE_FOLDER) && readdirSync(database).length > 0) {
    if (!existsSync(join(database, 'PG_VERSION')))
      throw damagedFolder(folder, `${DATABASE_FOLDER}/PG_VERSION is missing`);
    return 'database';
  }
  const others = entries.filter((name) => name !== DATABASE_FOLDER && !NOT_DATA.has(name));
  if (others.length === 0) return 'empty';
  const shown = others.slice(0, 3).join(', ') + (others.length > 3 ? ` and ${others.length - 3} more` : '');
  throw new DataFolderError(
    `${folder} holds files that are not a Pontual database (${shown}): give an empty or new folder with --data, or move those files away`,
  );
}

/**
 * Takes every permission of group and others off the folder and what it holds (PGlite writes
 * a new database's files as 0666); returns how many it changed.
 */
export function tightenModes(folder: string): number {
  let changed = 0;
  const visit = (path: string) => {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return;
    if ((stats.mode & 0o077) !== 0) {
      chmodSync(path, stats.mode & 0o700);
      changed++;
    }
    if (stats.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(folder);
  return changed;
}

// Longest Unix socket path (macOS; Linux allows 107).
const MAX_SOCKET_PATH = 103;

/**
 * Where the folder's lock listens. On Windows a named pipe, which vanishes with its process; else
 * a socket file in the folder, by the shorter of its absolute and relative paths.
 */
function lockAddress(folder: string): string {
  const absoluteFolder = resolve(folder);
  if (process.platform === 'win32')
    return `\\\\.\\pipe\\pontual-${createHash('sha256').update(absoluteFolder.toLowerCase()).digest('hex')}`;
  const absolute = join(absoluteFolder, LOCK_SOCKET);
  const fromHere = relative(process.cwd(), absolute);
  const address = fromHere.length < absolute.length ? fromHere : absolute;
  if (address.length > MAX_SOCKET_PATH)
    throw new DataFolderError(
      `the path of the data folder ${folder} is too long for its lock socket: give a shorter one with --data`,
    );
  return address;
}

/** Requests that came through a data folder's socket, which only the folder's owner can reach. */
const throughDataFolder = new WeakSet<IncomingMessage>();

/** Whether a request came through the data folder's socket (`pontual admin` on this machine). */
export function cameThroughDataFolder(request: IncomingMessage): boolean {
  return throughDataFolder.has(request);
}

export interface Answer {
  status: number;
  body: Buffer;
}

/**
 * Sends a request to whoever holds the data folder, through its socket: `nobody` when no one
 * does (no socket, or one left by a process that died); with `timeout`, `silent` when the holder
 * accepts but does not answer in time (a stopped process).
 */
export function askHolder(
  folder: string,
  request: { method: string; path: string; body?: unknown; timeout?: number },
): Promise<Answer | 'nobody' | 'silent'> {
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    const sent = http.request(
      {
        socketPath: lockAddress(folder),
        method: request.method,
        path: request.path,
        agent: false,
        timeout: request.timeout,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    sent.on('timeout', () => {
      sent.destroy();
      resolve('silent');
    });
    sent.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve('nobody');
      else reject(error);
    });
    sent.end(payload);
  });
}

export interface DataFolderLock {
  /**
   * Hands the socket's requests to the server (the `pontual admin` channel) and writes its port
   * in `holder.json` for scripts.
   */
  serve(handler: (request: IncomingMessage, response: ServerResponse) => void, port: number): void;
  /** Stops listening (the socket file goes with it) and removes `holder.json`. */
  release(): Promise<void>;
}

/**
 * Takes the data folder: listens on its socket, which the kernel lets one process bind and frees
 * when that process dies, even by `kill -9`. A socket file left by a dead process refuses
 * connections, and is removed. Throws `EmbeddedDatabaseBusy` when another process holds it.
 */
export async function lockDataFolder(folder: string): Promise<DataFolderLock> {
  const address = lockAddress(folder);
  const holder: Holder = { pid: process.pid, port: 0 };
  let route: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = http.createServer((request, response) => {
    throughDataFolder.add(request);
    if (request.url === '/holder') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(holder));
    } else if (route) {
      route(request, response);
    } else {
      response.statusCode = 409;
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ error: `${new EmbeddedDatabaseBusy(holder).message}: try again when it is done` }),
      );
    }
  });
  // A dead holder's socket, moved aside and kept until the next try to listen is over: while
  // it exists, its inode number cannot be given to a new socket and mistaken for it.
  let removed: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const listening = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(address, () => {
        server.off('error', resolve);
        resolve(undefined);
      });
    });
    if (removed) rmSync(removed, { force: true });
    if (listening === undefined) break;
    if (listening.code !== 'EADDRINUSE' || attempt > 5) throw listening;
    const seen = lstatSync(address, { throwIfNoEntry: false });
    const answer = await askHolder(folder, { method: 'GET', path: '/holder', timeout: 5_000 });
    if (answer === 'silent') throw new EmbeddedDatabaseBusy(undefined);
    if (answer !== 'nobody') throw new EmbeddedDatabaseBusy(JSON.parse(answer.body.toString()) as Holder);
    removed = seen && moveStaleSocket(address, seen);
  }
  if (process.platform !== 'win32') chmodSync(address, 0o600);
  const holderFile = join(folder, HOLDER_FILE);
  return {
    serve(handler, port) {
      route = handler;
      holder.port = port;
      writeFileSync(holderFile, JSON.stringify(holder), { mode: 0o600 });
    },
    async release() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      if (holder.port > 0) rmSync(holderFile, { force: true });
    },
  };
}

/**
 * Moves a socket file whose process died out of the way, and says where to. Another process
 * starting at the same moment may have replaced it since it was seen: that one is put back.
 */
function moveStaleSocket(address: string, seen: Stats): string | undefined {
  const aside = `${address}.${randomBytes(6).toString('hex')}`;
  try {
    renameSync(address, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // moved by the other one
    throw error;
  }
  const moved = lstatSync(aside);
  if (moved.ino === seen.ino && moved.dev === seen.dev) return aside;
  try {
    linkSync(aside, address);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  rmSync(aside, { force: true });
  return undefined;
}
