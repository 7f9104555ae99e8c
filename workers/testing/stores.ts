import Dexie from 'dexie';
import { afterEach } from 'vitest';
import { LocalStore } from '../local-store.ts';

/**
 * Local stores for one test file, each under a fresh name: closed and deleted after each test, so
 * no test sees another's data or leaves a database open that would block an upgrade.
 */
export function temporaryStores(prefix: string) {
  const names: string[] = [];
  const opened: Dexie[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) db.close();
    for (const name of names.splice(0)) await Dexie.delete(name);
  });
  const freshName = (): string => {
    const name = `${prefix}-${Math.random().toString(36).slice(2)}`;
    names.push(name);
    return name;
  };
  return {
    freshName,
    open(name = freshName()): LocalStore {
      const store = new LocalStore(name);
      opened.push(store);
      return store;
    },
    /** Closes a database the test opened itself (at an older version) after the test too. */
    track<D extends Dexie>(db: D): D {
      opened.push(db);
      return db;
    },
    /**
     * The local store at an older version exactly as released (workers/local-store.ts then), to
     * test an upgrade from it; closed after the test.
     */
    released(name: string, version: 2 | 4 | 5): Dexie {
      const old = new Dexie(name);
      old.version(1).stores({
        chunks: '++n, maxAt',
        pending: '++n',
        agents: 'agentId',
        templates: '++id, reportId',
        jobs: 'id, createdAt',
        meta: 'key',
      });
      old.version(2).stores({ teams: 'name' });
      if (version >= 4) {
        old.version(3).stores({ records: '++n, [kind+maxAt]', pendingRecords: '++n, kind', cursors: 'kind' });
        old.version(4).stores({ sharedModels: 'id, reportId' });
      }
      if (version === 5) old.version(5).stores({});
      opened.push(old);
      return old;
    },
  };
}
