import { expose } from 'comlink';
import type { CsvMapping } from '../shared/import/csv-mapping.ts';
import type { RecordKindName } from '../shared/records/kind.ts';
import { importCsvFile, previewCsv } from './import-csv.ts';
import { importEventFile, scanEventFile } from './import-file.ts';
import { localChoices } from './local-choices.ts';
import { LocalStore } from './local-store.ts';
import {
  ApiError,
  CoalescingQueue,
  PROGRESS_EVERY_MS,
  type SyncConnection,
  type SyncSummary,
  syncMark,
  syncStore,
  throttled,
} from './sync.ts';

/**
 * The supervisor's data in the background: pulls and pushes with the server, and imports event
 * files. Parsing pages of thousands of events never happens on the page's thread.
 */
syncMark('data-worker-start');
const stores = new Map<string, LocalStore>();
function storeNamed(name: string): LocalStore {
  let store = stores.get(name);
  if (!store) {
    store = new LocalStore(name);
    stores.set(name, store);
  }
  return store;
}

const syncs = new CoalescingQueue<SyncOutcome>();
/**
 * Per store, the page's listener for the records pulled so far by the sync under way: one per
 * page (set once, not passed with each sync, which the stream asks for many times a minute).
 */
const progressListeners = new Map<string, (pulled: number) => void>();
/**
 * The kinds asked for per store since its last sync began (`'all'` after a resync or a timer):
 * requests that coalesce into one run pull the union of what each asked for.
 */
const asked = new Map<string, Set<RecordKindName> | 'all'>();

export type SyncOutcome = { ok: true; summary: SyncSummary } | { ok: false; status: number; error: string };

const api = {
  /** Never throws: a failure comes back with the server's status (0: unreachable) and message. */
  async sync(storeName: string, connection: SyncConnection, kinds?: RecordKindName[]): Promise<SyncOutcome> {
    const before = asked.get(storeName);
    asked.set(storeName, !kinds || before === 'all' ? 'all' : new Set([...(before ?? []), ...kinds]));
    return syncs.run(storeName, () => {
      const wanted = asked.get(storeName);
      asked.delete(storeName);
      const listener = progressListeners.get(storeName);
      const onPage = listener && throttled((pulled) => listener(pulled), PROGRESS_EVERY_MS);
      return syncStore(storeNamed(storeName), connection, onPage, {
        kinds: wanted === 'all' || wanted === undefined ? undefined : [...wanted],
      }).then(
        (summary): SyncOutcome => ({ ok: true, summary }),
        (error: unknown): SyncOutcome => ({
          ok: false,
          status: error instanceof ApiError ? error.status : 0,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    });
  },
  /** Tells `listener` how many records the sync under way has pulled (throttled); `undefined` stops it. */
  followSyncProgress(storeName: string, listener: ((pulled: number) => void) | undefined) {
    if (listener) progressListeners.set(storeName, listener);
    else progressListeners.delete(storeName);
  },
  importFile(storeName: string, file: File, onProgress: (fraction: number) => void) {
    return importEventFile(storeNamed(storeName), file, onProgress);
  },
  /** What the start of a JSON Lines file holds, for the confirm step before importing it. */
  scanFile(file: File) {
    return scanEventFile(file);
  },
  /** The head and first rows of a CSV, for the mapping step. */
  previewCsv(file: File) {
    return previewCsv(file);
  },
  /** Maps and keeps a CSV's rows; throws when the mapping does not fit or the encoding is unknown. */
  importCsv(storeName: string, file: File, mapping: CsvMapping, onProgress: (fraction: number) => void) {
    return importCsvFile(storeNamed(storeName), file, mapping, onProgress);
  },
  /** A filter's choices drawn from the local data (see `localChoices`). */
  localChoices(storeName: string, list: string, version: string) {
    return localChoices(storeNamed(storeName), list, version);
  },
  /** Deletes the local copy (Settings → "Clear local data"), e.g. after a damaged store. */
  async clear(storeName: string) {
    stores.get(storeName)?.close();
    stores.delete(storeName);
    await new LocalStore(storeName).delete();
  },
};

export type DataWorkerApi = typeof api;
expose(api);
