import { type FormEvent, useState } from 'react';
import type { Locale } from '../../../shared/i18n.ts';
import { isOffline } from '../app/api.ts';
import type { Messages } from '../app/i18n.ts';
import { type Session, signIn } from '../app/session.ts';
import { LocaleSelect } from '../components/LocaleSelect.tsx';

export function SignIn(props: {
  t: Messages;
  locale: Locale;
  setLocale(locale: Locale): void;
  onSignedIn(session: Session): void;
}) {
  const { t } = props;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onSignedIn(await signIn(email.trim(), password));
    } catch (problem) {
      setError(isOffline(problem) ? t.offlineSignIn : t.signInFailed((problem as Error).message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <form className="panel" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="brand">
          <img src="/icon.svg" alt="" width="40" height="40" />
          <span>{t.appName}</span>
        </div>
        <h1 id="sign-in-title">{t.signInTitle}</h1>
        <p>{t.signInIntro}</p>
        <label>
          {t.email}
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label>
          {t.password}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
        <LocaleSelect label={t.language} inline value={props.locale} onChange={props.setLocale} />
      </form>
    </main>
  );
}
