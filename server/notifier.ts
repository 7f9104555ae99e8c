/** What changed for a tenant: new events arrived, or the shared report history changed. */
export type Change =
  | { kind: 'events' }
  | { kind: 'report-jobs'; jobId: string; action: 'created' | 'updated' | 'deleted' };

type Listener = (change: Change) => void;

/**
 * Tells this instance's open event streams what changed in a tenant. (Several instances behind a
 * load balancer would relay through PostgreSQL's LISTEN/NOTIFY; one instance needs no more.)
 */
export class Notifier {
  private readonly listeners = new Map<string, Set<Listener>>();

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
    for (const listener of this.listeners.get(tenantId) ?? []) listener(change);
  }
}
