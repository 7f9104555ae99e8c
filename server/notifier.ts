import { randomUUID } from 'node:crypto';
import type { RecordKindName } from '../shared/records/kind.ts';
import type { Database } from './db/database.ts';

/**
 * What changed for a tenant: new events arrived, or the shared report history changed; or, for
 * every tenant, `resync`: announcements may have been missed (the database connection was lost),
 * so the streams' clients catch up on everything.
 */
export type Change =
  /** Records arrived; `kinds` says of which kinds (absent after a resync: of any). */
  | { kind: 'events'; kinds?: RecordKindName[] }
  | { kind: 'report-jobs'; jobId: string; action: 'created' | 'updated' | 'deleted' }
  /** The team's shared models changed: the apps fetch them again. */
  | { kind: 'models' }
  | { kind: 'resync' };

type Listener = (change: Change) => void;

/** Where the notifier says what happens to its database connection (the server's logger). */
export interface NotifierLog {
  info(message: string): void;
  warn(message: string): void;
}

/** What goes through NOTIFY: a change of one tenant, or of every tenant without `tenantId`. */
interface Relayed {
  origin: string;
  tenantId?: string;
  change: Change;
}

const CHANNEL = 'pontual_changes';
/**
 * Announcements waiting for the database to relay them, at most. Past it (a database that stopped
 * answering), they are replaced by one `resync` for every stream of the other instances.
 */
export const MAX_WAITING_RELAYS = 1_000;

const SILENT: NotifierLog = { info: () => undefined, warn: () => undefined };

/**
 * Tells the open event streams what changed in a tenant. This instance's streams are told at
 * once, whatever the database does; on PostgreSQL the news also goes through NOTIFY/LISTEN, so the
 * streams of every other instance behind a load balancer hear it. When the LISTEN connection comes
 * back after a loss, every stream of this instance is told to resync.
 */
export class Notifier {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Marks this process's own announcements, which come back through LISTEN: already told. */
  private readonly origin = randomUUID();
  private relay: ((payload: string) => Promise<void>) | undefined;
  /** Payloads not relayed yet, in order; one that is already waiting is not added twice. */
  private readonly waiting = new Set<string>();
  private relaying = false;

  private constructor(private readonly log: NotifierLog) {}

  /** Relays changes through the database when it can (several instances share one database). */
  static async forDatabase(db: Database, log: NotifierLog = SILENT): Promise<Notifier> {
    const notifier = new Notifier(log);
    if (db.listen) {
      await db.listen(CHANNEL, {
        message: (payload) => {
          const relayed = JSON.parse(payload) as Relayed;
          if (relayed.origin === notifier.origin) return;
          if (relayed.tenantId === undefined) notifier.tellEveryone(relayed.change);
          else notifier.tell(relayed.tenantId, relayed.change);
        },
        lost: (error) =>
          log.warn(`not hearing the other instances' changes (${error.message}); listening again soon`),
        resumed: () => {
          log.info("hearing the other instances' changes again; the event streams are told to resync");
          notifier.tellEveryone({ kind: 'resync' });
        },
      });
      notifier.relay = async (payload) => {
        await db.query('select pg_notify($1, $2)', [CHANNEL, payload]);
      };
    }
    return notifier;
  }

  subscribe(tenantId: string, listener: Listener): () => void {
    let set = this.listeners.get(tenantId);
    if (!set) {
      set = new Set();
      this.listeners.set(tenantId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenantId);
    };
  }

  notify(tenantId: string, change: Change): void {
    this.tell(tenantId, change);
    if (!this.relay) return;
    if (this.waiting.size >= MAX_WAITING_RELAYS) {
      this.log.warn(
        `${this.waiting.size} changes waiting for the database to relay them: the other instances' streams will resync instead`,
      );
      this.waiting.clear();
      this.waiting.add(JSON.stringify({ origin: this.origin, change: { kind: 'resync' } } satisfies Relayed));
    }
    this.waiting.add(JSON.stringify({ origin: this.origin, tenantId, change } satisfies Relayed));
    void this.drain(this.relay);
  }

  /** One NOTIFY after another: through a pool of connections they could otherwise overtake. */
  private async drain(relay: (payload: string) => Promise<void>): Promise<void> {
    if (this.relaying) return;
    this.relaying = true;
    for (let [next] = this.waiting; next !== undefined; [next] = this.waiting) {
      this.waiting.delete(next);
      // This instance's streams know already. The other instances' streams miss it: they resync
      // when their own LISTEN comes back (it fails too when the database is down), and their
      // clients sync periodically anyway.
      await relay(next).catch((error: Error) =>
        this.log.warn(`a change was not relayed to the other instances: ${error.message}`),
      );
    }
    this.relaying = false;
  }

  private tell(tenantId: string, change: Change): void {
    for (const listener of this.listeners.get(tenantId) ?? []) listener(change);
  }

  private tellEveryone(change: Change): void {
    for (const set of this.listeners.values()) for (const listener of set) listener(change);
  }
}
