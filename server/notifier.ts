import type { Database } from './db/database.ts';

/** What changed for a tenant: new events arrived, or the shared report history changed. */
export type Change =
  | { kind: 'events' }
  | { kind: 'report-jobs'; jobId: string; action: 'created' | 'updated' | 'deleted' };

type Listener = (change: Change) => void;

const CHANNEL = 'pontual_changes';

/**
 * Tells the open event streams what changed in a tenant. On PostgreSQL the news goes through
 * NOTIFY/LISTEN, so the streams of every instance behind a load balancer hear it; the embedded
 * database has one process, which tells its own streams.
 */
export class Notifier {
  private readonly listeners = new Map<string, Set<Listener>>();
  private relay: ((payload: string) => Promise<void>) | undefined;

  /** Relays changes through the database when it can (several instances share one database). */
  static async forDatabase(db: Database): Promise<Notifier> {
    const notifier = new Notifier();
    if (db.listen) {
      await db.listen(CHANNEL, (payload) => {
        const { tenantId, change } = JSON.parse(payload) as { tenantId: string; change: Change };
        notifier.tell(tenantId, change);
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

  private relayed: Promise<void> = Promise.resolve();

  notify(tenantId: string, change: Change): void {
    const relay = this.relay;
    if (!relay) {
      this.tell(tenantId, change);
      return;
    }
    // One NOTIFY after another: through a pool of connections they could otherwise overtake.
    this.relayed = this.relayed.then(() =>
      relay(JSON.stringify({ tenantId, change })).catch(() => this.tell(tenantId, change)),
    );
  }

  private tell(tenantId: string, change: Change): void {
    for (const listener of this.listeners.get(tenantId) ?? []) listener(change);
  }
}
