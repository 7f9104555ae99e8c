import type { Dispatch, MessagingData } from '../messaging/dispatches.ts';
import { CHANNELS, CONTENT_TYPES, CONVERSATION_TYPES, type MessageRecord } from '../records/message.ts';
import { MESSAGE_STATUS_CATALOG } from '../records/status-catalog.ts';
import { parseInstant } from '../time/iso.ts';
import {
  CHANNEL_LABEL,
  COLUMN,
  CONTENT_TYPE_LABEL,
  CONVERSATION_TYPE_LABEL,
  campaignName,
  gatherMessaging,
  isCampaign,
  MESSAGE_COLUMN,
  seenInPeriod,
  statusLabel,
  yesNo,
} from './dispatch-cells.ts';
import { type FilterField, periodFilter, type SelectFilter, type TextFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { Column, ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const select = (key: string, en: string, ptBr: string, choices: SelectFilter['choices']): SelectFilter => ({
  widget: 'select',
  key,
  label: { en, 'pt-BR': ptBr },
  choices,
});
const textFilter = (key: string, en: string, ptBr: string, maxLength = 256): TextFilter => ({
  widget: 'text',
  key,
  label: { en, 'pt-BR': ptBr },
  maxLength,
});

/** The filters of the messaging reports (DESIGN §10), each a message field of DESIGN §9. */
export const MESSAGE_FILTER = {
  channel: select(
    'channel',
    'Channel',
    'Canal',
    CHANNELS.map((value) => ({ value, label: CHANNEL_LABEL[value]! })),
  ),
  direction: {
    ...select('direction', 'Direction', 'Direção', [
      { value: 'MT', label: { en: 'Sent (MT)', 'pt-BR': 'Enviadas (MT)' } },
      { value: 'MO', label: { en: 'Received (MO)', 'pt-BR': 'Recebidas (MO)' } },
    ]),
    hint: {
      en: 'Sent by the business (MT, the default) or by the contact (MO): the columns change with it.',
      'pt-BR': 'Enviadas pela empresa (MT, o padrão) ou pelo contato (MO): as colunas mudam com ela.',
    },
  },
  subaccount: textFilter('subaccount', 'Subaccount', 'Subconta'),
  user: textFilter('user', 'User', 'Usuário'),
  campaign: select('campaign', 'Campaign', 'Campanha', { local: 'campaigns' }),
  contentType: select(
    'contentType',
    'Content type',
    'Tipo de conteúdo',
    CONTENT_TYPES.map((value) => ({ value, label: CONTENT_TYPE_LABEL[value]! })),
  ),
  session: select('session', 'Sent with session', 'Enviada com sessão', [
    { value: 'open', label: { en: 'Yes: a 24 h window was open', 'pt-BR': 'Sim: havia janela de 24 h' } },
    { value: 'closed', label: { en: 'No window open', 'pt-BR': 'Sem janela aberta' } },
  ]),
  correlationId: textFilter('correlationId', 'Correlation ID', 'ID de correlação'),
  status: select(
    'status',
    'Status',
    'Status',
    MESSAGE_STATUS_CATALOG.map((entry) => ({ value: entry.value, label: entry.label })),
  ),
  contact: {
    ...textFilter('contact', 'Contact number', 'Número do contato', 32),
    suggest: { local: 'contacts' },
  },
  conversationId: textFilter('conversationId', 'Conversation ID', 'ID da conversa'),
  conversationType: select(
    'conversationType',
    'Conversation type',
    'Tipo de conversa',
    CONVERSATION_TYPES.map((value) => ({ value, label: CONVERSATION_TYPE_LABEL[value]! })),
  ),
} as const;

/** The messaging reports' period (DESIGN §10): 90 days at most, the last 7 by default. */
export const MESSAGES_PERIOD = periodFilter(90, { defaultDays: 7 });

/** An MO's campaign: its own, or that of the MT it answers (`replyTo`). */
export function campaignIdOf(data: MessagingData, message: MessageRecord | undefined): string | undefined {
  if (!message) return undefined;
  if (message.campaignId !== undefined || message.replyTo === undefined) return message.campaignId;
  return data.message(message.replyTo)?.campaignId;
}

/** What the filters look at: the message (absent when known only by its statuses), its contact, its status. */
export interface FilteredMessage {
  message?: MessageRecord;
  contact: string;
  status?: Dispatch['status'];
}

/**
 * Whether a message passes the run's filters (`MESSAGE_FILTER`, whichever the report declares).
 * A message known only by its statuses has none of the message's fields: a filter on one of them
 * leaves it out. A status filter leaves out the MOs, which have no status.
 */
export function messageFilter(
  data: MessagingData,
  params: ReportParams,
): (candidate: FilteredMessage) => boolean {
  const options = Object.entries(params.options ?? {}).filter(([key]) => key !== 'direction');
  if (options.length === 0) return () => true;
  return ({ message, contact, status }) =>
    options.every(([key, value]) => {
      switch (key) {
        case 'campaign':
          return isCampaign(data, campaignIdOf(data, message), value);
        case 'session':
          return message?.sessionOpen === (value === 'open');
        case 'status':
          return status === value;
        case 'contact':
          return contact === value.replace(/\D/g, '');
        case 'channel':
        case 'subaccount':
        case 'user':
        case 'contentType':
        case 'correlationId':
        case 'conversationId':
        case 'conversationType':
          return message !== undefined && message[key] === value;
        default:
          return true;
      }
    });
}

export const MT_COLUMNS: Column[] = [
  MESSAGE_COLUMN.sentAt,
  COLUMN.status,
  MESSAGE_COLUMN.phone,
  MESSAGE_COLUMN.whatsappUserId,
  COLUMN.campaign,
  MESSAGE_COLUMN.user,
  MESSAGE_COLUMN.contentType,
  COLUMN.message,
  MESSAGE_COLUMN.sessionOpen,
  MESSAGE_COLUMN.conversationId,
  MESSAGE_COLUMN.conversationType,
  MESSAGE_COLUMN.conversationExpiry,
];

export const MO_COLUMNS: Column[] = [
  MESSAGE_COLUMN.repliedAt,
  MESSAGE_COLUMN.origin,
  MESSAGE_COLUMN.whatsappUserId,
  COLUMN.campaign,
  MESSAGE_COLUMN.user,
  MESSAGE_COLUMN.contentType,
  MESSAGE_COLUMN.messageReceived,
];

/** On WhatsApp the user's id is their number (the provider's `wa_id`); SMS has none. */
const whatsappUserId = (message: MessageRecord | undefined, contact: string) =>
  message === undefined || message.channel === 'whatsapp' ? contact : null;

function mtRows(data: MessagingData, params: ReportParams): Row[] {
  const { locale } = params;
  const passes = messageFilter(data, params);
  const rows: Row[] = [];
  for (const dispatch of data.dispatches()) {
    if (!seenInPeriod(dispatch, params)) continue;
    const { message, contact } = dispatch;
    if (!passes({ message, contact, status: dispatch.status })) continue;
    rows.push([
      dispatch.at ?? null,
      statusLabel(dispatch, locale),
      contact,
      whatsappUserId(message, contact),
      campaignName(data, message?.campaignId),
      message?.user ?? null,
      message ? CONTENT_TYPE_LABEL[message.contentType]![locale] : null,
      message?.text ?? null,
      message?.sessionOpen === undefined ? null : yesNo(message.sessionOpen, locale),
      message?.conversationId ?? null,
      message?.conversationType === undefined
        ? null
        : CONVERSATION_TYPE_LABEL[message.conversationType]![locale],
      message?.conversationExpiresAt === undefined ? null : parseInstant(message.conversationExpiresAt),
    ]);
  }
  return rows;
}

function moRows(data: MessagingData, params: ReportParams): Row[] {
  const { locale } = params;
  const passes = messageFilter(data, params);
  const rows: Row[] = [];
  for (const { message, at } of data.received()) {
    if (!inPeriod(params, at)) continue;
    if (!passes({ message, contact: message.contact })) continue;
    rows.push([
      at,
      message.contact,
      whatsappUserId(message, message.contact),
      campaignName(data, campaignIdOf(data, message)),
      message.user ?? null,
      CONTENT_TYPE_LABEL[message.contentType]![locale],
      message.text ?? null,
    ]);
  }
  return rows;
}

function detailedOf(data: MessagingData, params: ReportParams): ReportResult {
  const received = params.options?.direction === 'MO';
  const rows = received ? moRows(data, params) : mtRows(data, params);
  return { columns: received ? MO_COLUMNS : MT_COLUMNS, rows: rows.sort(messagesDetailed.compareRows) };
}

const BY_SENT = rowOrder(0, 2);
const BY_RECEIVED = rowOrder(0, 1);

/**
 * Messages detailed (DESIGN §10): every message sent (MT), or with the direction filter on MO
 * every message received, with the fields the platform knows of it.
 */
export const messagesDetailed: ReportDefinition = {
  id: 'messages-detailed',
  category: 'messaging',
  title: { en: 'Messages — detailed', 'pt-BR': 'Mensagens — detalhado' },
  description: {
    en: 'One row per message sent (MT) — its status, campaign, session and conversation — or, with the direction on MO, per message received.',
    'pt-BR':
      'Uma linha por mensagem enviada (MT) — status, campanha, sessão e conversa — ou, com a direção em MO, por mensagem recebida.',
  },
  // The MT columns; a run on MO has the MO columns instead (`compute` says which).
  columns: MT_COLUMNS,
  reads: ['message', 'message_status', 'campaign'],
  filters: [
    MESSAGES_PERIOD,
    MESSAGE_FILTER.channel,
    MESSAGE_FILTER.direction,
    MESSAGE_FILTER.subaccount,
    MESSAGE_FILTER.user,
    MESSAGE_FILTER.campaign,
    MESSAGE_FILTER.contentType,
    MESSAGE_FILTER.session,
    MESSAGE_FILTER.correlationId,
    MESSAGE_FILTER.status,
    MESSAGE_FILTER.contact,
    MESSAGE_FILTER.conversationId,
    MESSAGE_FILTER.conversationType,
  ] satisfies FilterField[],
  // A status goes with its message, and an MO with the MT it answers: both by contact.
  partition: 'contact',

  compute(records, params) {
    return detailedOf(gatherMessaging(records), params);
  },
  // Each row shows its message's text and fields: the records are read whole.
  messaging: { factsSuffice: () => false, compute: detailedOf },

  // By Sent (MO: Replied At), then the contact's number (MT Phone, MO Origin), then every cell;
  // messages known only by their statuses (no send time) last. A run's rows all have one shape.
  compareRows: (a, b) => (a.length === MO_COLUMNS.length ? BY_RECEIVED : BY_SENT)(a, b),
};
