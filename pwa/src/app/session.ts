import type { LoginAnswer, SessionUser } from '../../../shared/api/auth.ts';
import { localStoreName } from '../../../workers/local-store.ts';
import { apiCall } from './api.ts';

/** Who is signed in. Kept across reloads so the app opens offline with its local data. */
export interface Session {
  token: string;
  user: SessionUser;
  /** The local store of this server and tenant. */
  storeName: string;
}

const KEY = 'pontual.session';

export function savedSession(): Session | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return saved?.token && saved.user && saved.storeName ? saved : undefined;
  } catch {
    return undefined;
  }
}

export async function signIn(email: string, password: string): Promise<Session> {
  const answer = await apiCall<LoginAnswer>('/api/v1/auth/login', {
    body: { email, password },
  });
  const session = { ...answer, storeName: localStoreName(location.origin, answer.user.tenantId) };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** Signs out here and, when the server is reachable, revokes the token there too. */
export async function signOut(session: Session): Promise<void> {
  localStorage.removeItem(KEY);
  await apiCall('/api/v1/auth/logout', { method: 'POST', token: session.token, body: {} }).catch(
    () => undefined,
  );
}
