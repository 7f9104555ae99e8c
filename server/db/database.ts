/** What the server needs of PostgreSQL, whichever runs it: embedded PGlite or a server over `pg`. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  /** `pglite` (embedded, in the data folder) or `postgres` (`DATABASE_URL`). */
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL's LISTEN on a dedicated connection: how instances behind a load balancer hear of
   * each other's changes. Absent for the embedded database, which one process holds. Resolves
   * once listening; a connection lost later is opened again until `close`.
   */
  listen?(channel: string, handlers: ListenHandlers): Promise<void>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  message(payload: string): void;
  /** The connection was lost: notifications sent from now until `resumed` are not heard. */
  lost(error: Error): void;
  /** Listening again after a loss; what was sent meanwhile is gone, so listeners must catch up. */
  resumed(): void;
}

/**
 * The database cannot be reached for now (restarting, failing over, down): the same request may
 * succeed if tried again. The API answers it with 503 and this message instead of a 500.
 */
export class DatabaseUnavailable extends Error {
  readonly statusCode = 503;
  constructor(cause: Error) {
    super('the database is unavailable; try again in a moment', { cause });
  }
}
