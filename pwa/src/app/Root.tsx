import { useCallback, useEffect, useState } from 'react';
import type { Locale } from '../../../shared/i18n.ts';
import { SignIn } from '../screens/SignIn.tsx';
import { AppProvider } from './context.tsx';
import { initialLocale, MESSAGES, rememberLocale } from './i18n.ts';
import { Shell } from './Shell.tsx';
import { type Session, savedSession, signOut } from './session.ts';
import { registerServiceWorker } from './update.ts';

/** Signed out: the sign-in form. Signed in: the app, over the local store of that tenant. */
export function Root() {
  const [session, setSession] = useState<Session | undefined>(savedSession);
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [update, setUpdate] = useState<(() => void) | undefined>();
  const t = MESSAGES[locale];

  useEffect(() => {
    rememberLocale(locale);
  }, [locale]);
  useEffect(() => registerServiceWorker((activate) => setUpdate(() => activate)), []);

  const leave = useCallback(() => {
    if (session) void signOut(session);
    setSession(undefined);
  }, [session]);

  return (
    <>
      {update && (
        <div className="banner banner-update" role="status">
          {t.updateReady}{' '}
          <button type="button" onClick={update}>
            {t.updateReload}
          </button>
        </div>
      )}
      {session ? (
        <AppProvider session={session} locale={locale} setLocale={setLocale} onSignOut={leave}>
          <Shell />
        </AppProvider>
      ) : (
        <SignIn t={t} locale={locale} setLocale={setLocale} onSignedIn={setSession} />
      )}
    </>
  );
}
