import type { LoginCause } from '../events/schema.ts';
import type { Localized } from '../i18n.ts';
import type { Column } from './types.ts';

/** What opened a login, as the Activity and Login/Logout reports name it (DESIGN §3 causes). */
const CAUSE_NAMES: Record<LoginCause, Localized> = {
  page_load: { en: 'Login', 'pt-BR': 'Login' },
  refresh: { en: 'Refresh (F5)', 'pt-BR': 'Atualização (F5)' },
  use_here: { en: 'Use here', 'pt-BR': 'Usar aqui' },
  reconnect: { en: 'Reconnection', 'pt-BR': 'Reconexão' },
  network_change: { en: 'Network change', 'pt-BR': 'Troca de rede' },
  token_renewal: { en: 'Token renewal', 'pt-BR': 'Renovação do token' },
};

export function causeColumn(hiddenByDefault: boolean): Column {
  return {
    key: 'cause',
    type: 'text',
    label: { en: 'Cause', 'pt-BR': 'Causa' },
    ...(hiddenByDefault ? { hiddenByDefault } : {}),
  };
}

/** The Cause cell: empty for rows no login cause opened (breaks, logouts, a login opened by a status). */
export function causeCell(cause: LoginCause | undefined, locale: keyof Localized): string | null {
  return cause === undefined ? null : CAUSE_NAMES[cause][locale];
}
