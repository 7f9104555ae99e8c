import type { Locale, Localized } from '../i18n.ts';

/** The groups the consolidated reports count by (DESIGN §9); `sent` ⊇ `delivered` ⊇ `read`. */
export type StatusGroup = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'blocked';

export interface MessageStatusEntry {
  value: string;
  label: Localized;
  /** What it means for the supervisor reading the report, shown beside the label in the app. */
  explanation: Localized;
  groups: readonly StatusGroup[];
}

const entry = (
  value: string,
  en: string,
  ptBr: string,
  groups: readonly StatusGroup[],
  explanationEn: string,
  explanationPtBr: string,
): MessageStatusEntry => ({
  value,
  label: { en, 'pt-BR': ptBr },
  explanation: { en: explanationEn, 'pt-BR': explanationPtBr },
  groups,
});

/** The status catalog of DESIGN §9: one table for labels, explanations and groups. */
export const MESSAGE_STATUS_CATALOG = [
  entry(
    'accepted',
    'Accepted',
    'Aceita',
    ['pending'],
    'Accepted by the platform; no delivery update yet.',
    'Aceita pela plataforma; ainda sem atualização de entrega.',
  ),
  entry(
    'sent',
    'Sent',
    'Enviada',
    ['sent'],
    'Sent to the provider, which accepted it.',
    'Enviada ao provedor, que a aceitou.',
  ),
  entry(
    'delivered',
    'Delivered',
    'Entregue',
    ['sent', 'delivered'],
    "Reached the contact's phone.",
    'Chegou ao telefone do contato.',
  ),
  entry(
    'read',
    'Read',
    'Lida',
    ['sent', 'delivered', 'read'],
    'The contact opened it.',
    'O contato abriu a mensagem.',
  ),
  entry(
    'expired',
    'TTL expired',
    'Tempo de vida expirado',
    ['failed'],
    'Not delivered before its time to live ran out.',
    'Não entregue antes de expirar o tempo de vida.',
  ),
  entry(
    'rejected',
    'Rejected by the operator',
    'Rejeitada pela operadora',
    ['failed'],
    'The carrier refused it.',
    'A operadora recusou a mensagem.',
  ),
  entry(
    'undelivered',
    'Not delivered',
    'Não entregue',
    ['failed'],
    'The provider could not deliver it.',
    'O provedor não conseguiu entregá-la.',
  ),
  entry(
    'invalid_number',
    'Invalid destination number',
    'Número de destino inválido',
    ['failed'],
    'The number does not exist or has no WhatsApp.',
    'O número não existe ou não tem WhatsApp.',
  ),
  entry(
    'opt_out',
    'Not delivered: opt-out',
    'Não entregue por opt-out',
    ['blocked'],
    'The contact asked not to receive messages.',
    'O contato pediu para não receber mensagens.',
  ),
  entry(
    'invalid_session',
    'Invalid session',
    'Sessão inválida',
    ['failed'],
    'Invalid session: no 24 h window was open and no fallback template is configured.',
    'Sessão inválida: não havia janela de 24 h aberta e nenhum template de contingência está configurado.',
  ),
  entry(
    'internal_error',
    'Internal error',
    'Erro interno',
    ['failed'],
    'The platform or provider failed while sending.',
    'A plataforma ou o provedor falhou ao enviar.',
  ),
  entry(
    'invalid_content',
    'Invalid content',
    'Conteúdo inválido',
    ['failed'],
    'The provider refused the content (format, size or template parameters).',
    'O provedor recusou o conteúdo (formato, tamanho ou parâmetros do template).',
  ),
  entry(
    'blocked_warmup',
    'Blocked by warm-up',
    'Mensagem bloqueada por WarmUp',
    ['blocked'],
    "Held back: the number's warm-up limit for the day was reached.",
    'Retida: o limite diário de aquecimento do número foi atingido.',
  ),
  entry(
    'tier_limit',
    'WhatsApp tier limit',
    'Limite de tier do WhatsApp',
    ['blocked'],
    "Held back: the number's WhatsApp messaging tier was reached.",
    'Retida: o tier de mensagens do WhatsApp do número foi atingido.',
  ),
  entry(
    'invalid_parameter',
    'Invalid parameter or contact',
    'Parâmetro/Contato inválido',
    ['failed'],
    'A template parameter or the contact was not valid.',
    'Um parâmetro do template ou o contato não era válido.',
  ),
  entry(
    'failed',
    'Failed',
    'Falha',
    ['failed'],
    'The provider reported a failure; the External Status says which.',
    'O provedor informou uma falha; o Status Externo diz qual.',
  ),
] as const satisfies readonly MessageStatusEntry[];

export type MessageStatus = (typeof MESSAGE_STATUS_CATALOG)[number]['value'];
export const MESSAGE_STATUS_VALUES = MESSAGE_STATUS_CATALOG.map((status) => status.value) as [
  MessageStatus,
  ...MessageStatus[],
];

const BY_VALUE = new Map<string, MessageStatusEntry>(
  MESSAGE_STATUS_CATALOG.map((status) => [status.value, status]),
);

export function statusEntry(status: MessageStatus): MessageStatusEntry {
  return BY_VALUE.get(status) as MessageStatusEntry;
}

/**
 * Per locale, each status label's explanation: what the preview shows as a status cell's tooltip
 * and accessible description ("Invalid session" → "No 24 h window was open…").
 */
const explanationsIn = (locale: Locale): ReadonlyMap<string, string> =>
  new Map(MESSAGE_STATUS_CATALOG.map((status) => [status.label[locale], status.explanation[locale]]));
export const STATUS_EXPLANATIONS: Record<Locale, ReadonlyMap<string, string>> = {
  en: explanationsIn('en'),
  'pt-BR': explanationsIn('pt-BR'),
};

export function statusInGroup(status: MessageStatus, group: StatusGroup): boolean {
  return statusEntry(status).groups.includes(group);
}

/** An update as far as deciding a message's status goes. */
export interface StatusUpdate {
  id: string;
  /** Epoch ms. */
  at: number;
  status: MessageStatus;
}

// The earliest read or delivered update dates the fact; ties are broken by id, so that any
// arrival order decides the same one. (Module functions, not closures: the PWA folds millions of
// updates through `decidingUpdate`.)
const earlier = (a: StatusUpdate, b: StatusUpdate | undefined) =>
  b === undefined || a.at < b.at || (a.at === b.at && a.id < b.id);
const later = (a: StatusUpdate, b: StatusUpdate | undefined) =>
  b === undefined || a.at > b.at || (a.at === b.at && a.id > b.id);
/** The statuses of the failed or blocked groups. */
const IS_PROBLEM: ReadonlySet<string> = new Set(
  MESSAGE_STATUS_CATALOG.filter(
    (status) =>
      (status.groups as readonly StatusGroup[]).includes('failed') ||
      (status.groups as readonly StatusGroup[]).includes('blocked'),
  ).map((status) => status.value),
);

/**
 * A message's status from all its updates, the same whatever order they arrived in (DESIGN §9):
 * `read` if any says read; else `delivered` if any says delivered; else the latest (by `at`, then
 * `id`) of the blocked or failed groups; else `sent`; else `accepted`. Returns the update that
 * decided it (for the Status Date and External Status), or `undefined` for `accepted`.
 */
export function decidingUpdate<U extends StatusUpdate>(updates: Iterable<U>): U | undefined {
  let read: U | undefined;
  let delivered: U | undefined;
  let problem: U | undefined;
  let sent: U | undefined;
  for (const update of updates) {
    if (update.status === 'read') {
      if (earlier(update, read)) read = update;
    } else if (update.status === 'delivered') {
      if (earlier(update, delivered)) delivered = update;
    } else if (IS_PROBLEM.has(update.status)) {
      if (later(update, problem)) problem = update;
    } else if (update.status === 'sent') {
      if (earlier(update, sent)) sent = update;
    }
  }
  return read ?? delivered ?? problem ?? sent;
}
