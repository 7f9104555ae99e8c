import { proxy } from 'comlink';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { Locale } from '../../../shared/i18n.ts';
import type { RecordKindName } from '../../../shared/records/kind.ts';
import { LocalStore } from '../../../workers/local-store.ts';
import { syncMark } from '../../../workers/sync.ts';
import { MESSAGES, type Messages, rememberLocale } from './i18n.ts';
import { JobRunner } from './jobs.ts';
import { refreshSharedModels } from './models.ts';
import type { Session } from './session.ts';
import { followStream, type StreamKind } from './stream.ts';
import { dataWorkerApi } from './workers.ts';

/** A sync every so often even without news from the stream, in case a notification was missed. */
const SYNC_EVERY_MS = 60_000;

export interface SyncState {
  running: boolean;
  error?: string;
  /** The session's token was refused: sign in again (local data is kept). */
  expired: boolean;
  online: boolean;
  streamConnected: boolean;
  /** The last sync that went through: when, and how many records it pulled and pushed. */
  last?: { at: number; records: number };
}

export interface AppContextValue {
  session: Session;
  locale: Locale;
  setLocale(locale: Locale): void;
  t: Messages;
  store: LocalStore;
  jobs: JobRunner;
  sync: SyncState;
  /** Records pulled so far by the sync under way, apart from `sync` (see `SyncProgress`). */
  syncProgress: SyncProgress;
  /** Syncs the kinds given (those the stream announced), or every kind. */
  syncNow(kinds?: RecordKindName[]): void;
  /** Called when the shared report history changed (stream), or periodically without it. */
  onHistoryChange(listener: () => void): () => void;
  signOut(): void;
}

/**
 * The records the sync under way has pulled so far, told a few times a second. Kept apart from
 * the context's state, which every screen reads: only the header's count re-renders
 * (`useSyncExternalStore`), not the whole app at each notice.
 */
export class SyncProgress {
  private pulled = 0;
  private readonly listeners = new Set<() => void>();
  readonly get = (): number => this.pulled;
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  set(pulled: number): void {
    if (pulled === this.pulled) return;
    this.pulled = pulled;
    for (const listener of this.listeners) listener();
  }
}

const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppProvider');
  return value;
}

export function AppProvider(props: {
  session: Session;
  locale: Locale;
  setLocale(locale: Locale): void;
  onSignOut(): void;
  children: ReactNode;
}) {
  const { session, locale } = props;
  const store = useMemo(() => new LocalStore(session.storeName), [session.storeName]);
  const jobs = useMemo(() => new JobRunner(session, store), [session, store]);
  const [sync, setSync] = useState<SyncState>({
    running: false,
    expired: false,
    online: navigator.onLine,
    streamConnected: false,
  });
  const historyListeners = useRef(new Set<() => void>());
  const progress = useMemo(() => new SyncProgress(), []);

  const syncNow = useCallback(
    (kinds?: RecordKindName[]) => {
      setSync((state) => ({ ...state, running: true }));
      void dataWorkerApi()
        .sync(session.storeName, { server: location.origin, token: session.token }, kinds)
        .then((outcome) => {
          progress.set(0);
          setSync((state) => ({
            ...state,
            running: false,
            error: outcome.ok ? undefined : outcome.error,
            last: outcome.ok
              ? { at: Date.now(), records: outcome.summary.pulled + outcome.summary.pushed }
              : state.last,
            expired: !outcome.ok && outcome.status === 401,
          }));
        });
    },
    [session, progress],
  );

  useEffect(() => {
    const refreshModels = () => void refreshSharedModels(store, session);
    // Once per session (User Timing, read by bench/pwa-sync.ts): the app asks for its first sync.
    syncMark('app-start');
    void dataWorkerApi().followSyncProgress(
      session.storeName,
      proxy((pulled: number) => progress.set(pulled)),
    );
    syncNow();
    refreshModels();
    const timer = setInterval(() => {
      syncNow();
      refreshModels();
    }, SYNC_EVERY_MS);
    const online = () => {
      setSync((state) => ({ ...state, online: true }));
      syncNow();
      refreshModels();
    };
    const offline = () => setSync((state) => ({ ...state, online: false }));
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    const stop = followStream({
      server: '',
      token: session.token,
      onChange: (kind: StreamKind, kinds?: RecordKindName[]) => {
        // Only the kinds that arrived; a resync (announcements missed) pulls every kind.
        if (kind === 'events') syncNow(kinds);
        else if (kind === 'resync') syncNow();
        if (kind === 'models' || kind === 'resync') refreshModels();
        if (kind === 'report-jobs' || kind === 'resync')
          for (const listener of historyListeners.current) listener();
      },
      onConnected: (connected) => {
        setSync((state) => ({ ...state, streamConnected: connected }));
        // A change announced before the stream was (re)connected was missed: fetch the models.
        if (connected) refreshModels();
      },
    });
    return () => {
      void dataWorkerApi().followSyncProgress(session.storeName, undefined);
      clearInterval(timer);
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      stop();
    };
  }, [session, store, syncNow, progress]);

  useEffect(() => () => jobs.dispose(), [jobs]);
  useEffect(() => () => store.close(), [store]);

  const value = useMemo<AppContextValue>(
    () => ({
      session,
      locale,
      setLocale: (next) => {
        rememberLocale(next);
        props.setLocale(next);
      },
      t: MESSAGES[locale],
      store,
      jobs,
      sync,
      syncProgress: progress,
      syncNow,
      onHistoryChange: (listener) => {
        historyListeners.current.add(listener);
        return () => historyListeners.current.delete(listener);
      },
      signOut: props.onSignOut,
    }),
    [session, locale, store, jobs, sync, progress, syncNow, props.setLocale, props.onSignOut],
  );
  return <AppContext.Provider value={value}>{props.children}</AppContext.Provider>;
}
