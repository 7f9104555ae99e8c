import pg from 'pg';
import { type Database, DatabaseUnavailable, type ListenHandlers } from './database.ts';

/** How long opening a connection may take: a host gone silent fails the request, not hangs it. */
const CONNECT_TIMEOUT_MS = 10_000;
/** The LISTEN connection is opened again after a loss: first after about this long… */
const LISTEN_RETRY_FIRST_MS = 100;
/** …then doubling up to this, so that a database that stays down is asked every few seconds. */
const LISTEN_RETRY_MAX_MS = 5_000;

// SQLSTATEs of a connection that failed, not of a statement: class 08 (connection exception),
// 57P01–57P03 (the server is shutting down, crashed or not accepting connections yet) and 53300
// (too many connections).
const LOST_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
const LOST_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// pg's own errors for a connection that ended or could not be made carry no code.
const LOST_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/** Whether `error` says the connection to the database failed (so trying again may work). */
export function connectionLost(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_ERRNO.has(code))) return true;
  return LOST_MESSAGE.test(error.message);
}

/** A lost connection becomes {@link DatabaseUnavailable}; any other error is the statement's own. */
function classified(error: unknown): unknown {
  return connectionLost(error) ? new DatabaseUnavailable(error) : error;
}

/**
 * The wait before the `failures + 1`-th attempt to listen again: exponential, capped, and
 * jittered to between half and all of it, so that the instances behind a load balancer do not
 * all knock at a restarted database in the same millisecond.
 */
export function listenRetryDelay(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(LISTEN_RETRY_MAX_MS, LISTEN_RETRY_FIRST_MS * 2 ** failures);
  return ceiling * (0.5 + random() / 2);
}

// bigint counts and sequence numbers come back as text: keep them exact, convert where used.
/** A PostgreSQL server over a connection pool (`DATABASE_URL`). */
export async function openPostgres(connectionString: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle connection dropped by the server (a restart, a failover) must not take the process
  // down: the pool opens a new one for the next query.
  pool.on('error', (error) => console.error(`pontual: database connection lost: ${error.message}`));
  await pool.query('select 1');
  let closed = false;
  const listeners: { close(): Promise<void> }[] = [];
  const query = async (client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => {
    try {
      return await client.query(sql, params);
    } catch (error) {
      throw classified(error);
    }
  };
  return {
    kind: 'postgres',
    async query<Row>(sql: string, params?: unknown[]) {
      return (await query(pool, sql, params)).rows as Row[];
    },
    async exec(sql: string) {
      await query(pool, sql);
    },
    async transaction(work) {
      const client = await pool.connect().catch((error: unknown) => {
        throw classified(error);
      });
      // A connection lost between two statements is reported by the next one; unheard, the
      // client's error event would end the process.
      let lost: Error | undefined;
      const onLost = (error: Error) => {
        lost = error;
      };
      client.on('error', onLost);
      try {
        await query(client, 'begin');
        const result = await work({
          query: async <Row>(sql: string, params?: unknown[]) =>
            (await query(client, sql, params)).rows as Row[],
          exec: async (sql: string) => {
            await query(client, sql);
          },
        });
        await query(client, 'commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onLost);
        client.release(lost); // with an error, the pool discards the connection
      }
    },
    async listen(channel, handlers) {
      const listener = await listenAgainAfterLoss(connectionString, channel, handlers);
      if (closed) await listener.close();
      else listeners.push(listener);
    },
    async close() {
      closed = true;
      await Promise.all(listeners.map((listener) => listener.close()));
      await pool.end();
    },
  };
}

/**
 * LISTEN on a connection of its own, which is opened again (with {@link listenRetryDelay}) when
 * the database ends it — a restart, a failover, `pg_terminate_backend` — until `close`.
 */
async function listenAgainAfterLoss(
  connectionString: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<{ close(): Promise<void> }> {
  let current: pg.Client | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let reopening: Promise<void> | undefined;
  let failures = 0;
  let closed = false;

  const open = async () => {
    const client = new pg.Client({
      connectionString,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    // Heard from the start: an error event without a listener would end the process.
    client.on('error', (error) => lose(client, error));
    client.on('end', () => lose(client, new Error('Connection terminated')));
    client.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.message(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      return client;
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
  };
  const lose = (client: pg.Client, error: Error) => {
    if (client !== current) return; // a connection still opening, or an old one's last words
    current = undefined;
    void client.end().catch(() => undefined);
    handlers.lost(error);
    openLater();
  };
  const openLater = () => {
    if (closed) return;
    retry = setTimeout(() => {
      retry = undefined;
      reopening = reopen();
    }, listenRetryDelay(failures));
  };
  const reopen = async () => {
    try {
      const client = await open();
      if (closed) {
        await client.end();
        return;
      }
      current = client;
      failures = 0;
      handlers.resumed();
    } catch {
      failures++;
      openLater();
    }
  };

  current = await open();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await reopening; // never rejects: a failed attempt only schedules the next
      await current?.end().catch(() => undefined);
    },
  };
}
