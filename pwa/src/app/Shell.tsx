import { useLiveQuery } from 'dexie-react-hooks';
import { Component, type ErrorInfo, lazy, type ReactNode, Suspense, useSyncExternalStore } from 'react';
import { LocaleSelect } from '../components/LocaleSelect.tsx';
import { useApp } from './context.tsx';
import type { Messages } from './i18n.ts';
import { type Route, useRoute } from './route.ts';

// Each screen is its own download: the first load carries only the shell and the current screen.
const SCREENS: Record<Route, ReturnType<typeof lazy>> = {
  reports: lazy(() => import('../screens/Reports.tsx')),
  history: lazy(() => import('../screens/History.tsx')),
  import: lazy(() => import('../screens/Import.tsx')),
  admin: lazy(() => import('../screens/Admin.tsx')),
  settings: lazy(() => import('../screens/Settings.tsx')),
};

/** How fresh the local data is: "Data as of 14:32" (with the date when it is not today). */
function Freshness() {
  const { store, t, locale, sync, syncProgress } = useApp();
  const pulled = useSyncExternalStore(syncProgress.subscribe, syncProgress.get);
  const syncedAt = useLiveQuery(async () => (await store.meta.get('syncedAt'))?.value, [store], undefined);
  let text = t.dataNever;
  if (typeof syncedAt === 'number') {
    const when = new Date(syncedAt);
    const today = when.toDateString() === new Date().toDateString();
    const time = when.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
    text = t.dataAsOf(today ? time : `${when.toLocaleDateString(locale)} ${time}`);
  }
  return (
    <p className="freshness" aria-live="polite" data-testid="freshness">
      <span className={`dot ${sync.online && !sync.error ? 'dot-ok' : 'dot-off'}`} aria-hidden="true" />
      {sync.running ? t.syncing(pulled) : text}
    </p>
  );
}

function Banners() {
  const { sync, t, signOut } = useApp();
  return (
    <>
      {!sync.online && (
        <div className="banner banner-offline" role="status">
          {t.offlineBadge}
        </div>
      )}
      {sync.expired && (
        <div className="banner banner-error" role="alert">
          {t.sessionExpired}{' '}
          <button type="button" onClick={signOut}>
            {t.signIn}
          </button>
        </div>
      )}
      {sync.online && !sync.expired && sync.error && (
        <div className="banner banner-error" role="alert">
          {t.syncFailed(sync.error)}
        </div>
      )}
    </>
  );
}

class ScreenBoundary extends Component<{ t: Messages; children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="panel" role="alert">
        <h2>{this.props.t.errorTitle}</h2>
        <p>{this.state.error.message}</p>
        <button type="button" onClick={() => location.reload()}>
          {this.props.t.errorReload}
        </button>
      </div>
    );
  }
}

export function Shell() {
  const { t, session, locale, setLocale, signOut } = useApp();
  const [route, go] = useRoute();
  const Screen = SCREENS[route];
  const nav: [Route, string][] = [
    ['reports', t.navReports],
    ['history', t.navHistory],
    ['import', t.navImport],
    ['admin', t.navAdmin],
    ['settings', t.navSettings],
  ];
  return (
    <>
      <a className="skip" href="#main">
        {t.skipToContent}
      </a>
      <header className="top">
        <div className="brand">
          <img src="/icon.svg" alt="" width="28" height="28" />
          <span>{t.appName}</span>
        </div>
        <Freshness />
        <div className="account">
          <LocaleSelect label={t.language} hideLabel value={locale} onChange={setLocale} />
          <span className="who">{session.user.email}</span>
          <button type="button" className="link" onClick={signOut}>
            {t.signOut}
          </button>
        </div>
      </header>
      <nav className="tabs" aria-label={t.appName}>
        {nav.map(([name, label]) => (
          <a
            key={name}
            href={`/${name}`}
            aria-current={route === name ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              go(name);
            }}
          >
            {label}
          </a>
        ))}
      </nav>
      <Banners />
      <main id="main" tabIndex={-1}>
        <ScreenBoundary t={t} key={route}>
          <Suspense fallback={<p className="loading">…</p>}>
            <Screen />
          </Suspense>
        </ScreenBoundary>
      </main>
    </>
  );
}
