import type { MessagingData } from '../messaging/dispatches.ts';
import type { MessageRecord } from '../records/message.ts';
import { type MessageStatus, statusEntry } from '../records/status-catalog.ts';
import {
  COLUMN,
  campaignName,
  gatherMessaging,
  isCampaign,
  MESSAGE_COLUMN,
  seenInPeriod,
} from './dispatch-cells.ts';
import { periodFilter, type SelectFilter, type TextFilter } from './filter-schema.ts';
import { campaignIdOf } from './messages-detailed.ts';
import { rowOrder } from './order.ts';
import { inPeriod } from './params.ts';
import type { ReportDefinition, ReportParams, Row } from './types.ts';

const SENT_AT = 5;
const MESSAGE_ID = 0;

const text = (key: string, en: string, ptBr: string, maxLength = 256, suggest?: string): TextFilter => ({
  widget: 'text',
  key,
  label: { en, 'pt-BR': ptBr },
  maxLength,
  // The values seen in the local data, offered as one types (shared/reports/local-lists.ts).
  ...(suggest === undefined ? {} : { suggest: { local: suggest } }),
});

const CAMPAIGN_FILTER: SelectFilter = {
  widget: 'select',
  key: 'campaign',
  label: { en: 'Campaign', 'pt-BR': 'Campanha' },
  choices: { local: 'campaigns' },
};

const MESSAGE_TYPE = {
  hsm: { en: 'HSM', 'pt-BR': 'HSM' },
  session: { en: 'Session', 'pt-BR': 'Sessão' },
} as const;

/** HSM: a template, which may open a conversation; Session: anything else, inside a 24 h window. */
const messageTypeOf = (message: MessageRecord) => (message.contentType === 'template' ? 'hsm' : 'session');

/** One row's message: sent (with its status) or received, or known only by its statuses. */
interface Official {
  messageId: string;
  message?: MessageRecord;
  contact: string;
  business: string;
  at?: number;
  status?: MessageStatus;
  /** Where it falls in a period: its send or receive time, or its first status. */
  seenAt: number;
}

function passes(data: MessagingData, params: ReportParams, row: Official): boolean {
  for (const [key, value] of Object.entries(params.options ?? {})) {
    const { message } = row;
    switch (key) {
      case 'messageType':
        if (!message || messageTypeOf(message) !== value) return false;
        break;
      case 'direction':
        // A message known only by its statuses is one the business sent: statuses are of MTs.
        if ((message?.direction ?? 'MT') !== value) return false;
        break;
      case 'costCentre':
      case 'queue':
        if (message?.[key] !== value) return false;
        break;
      case 'campaign':
        if (!isCampaign(data, campaignIdOf(data, message), value)) return false;
        break;
      case 'contact':
      case 'business':
        if (row[key] !== value.replace(/\D/g, '')) return false;
        break;
      case 'billable':
        if (message?.billable !== (value === 'yes')) return false;
        break;
    }
  }
  return true;
}

/**
 * Official messages (DESIGN §10): every message of the official WhatsApp API, sent or received,
 * with its type, status and cost — over a period of at most 31 days, or one campaign.
 */
export const officialMessages: ReportDefinition = {
  id: 'official-messages',
  category: 'messaging',
  title: { en: 'Official messages', 'pt-BR': 'Mensagens oficiais' },
  description: {
    en: 'One row per WhatsApp message sent or received through the official API: HSM or session, its delivery status, its cost and cost centre, its campaign.',
    'pt-BR':
      'Uma linha por mensagem de WhatsApp enviada ou recebida pela API oficial: HSM ou sessão, status de entrega, custo e centro de custo, campanha.',
  },
  columns: [
    MESSAGE_COLUMN.messageId,
    MESSAGE_COLUMN.contactNumber,
    MESSAGE_COLUMN.whatsappNumber,
    MESSAGE_COLUMN.messageType,
    MESSAGE_COLUMN.template,
    MESSAGE_COLUMN.officialSentAt,
    MESSAGE_COLUMN.deliveryStatus,
    MESSAGE_COLUMN.cost,
    MESSAGE_COLUMN.costCentre,
    COLUMN.campaign,
  ],
  reads: ['message', 'message_status', 'campaign'],
  filters: [
    periodFilter(31, { orFilter: CAMPAIGN_FILTER }),
    {
      widget: 'select',
      key: 'messageType',
      label: { en: 'Type', 'pt-BR': 'Tipo' },
      choices: [
        { value: 'hsm', label: MESSAGE_TYPE.hsm },
        { value: 'session', label: MESSAGE_TYPE.session },
      ],
    },
    {
      widget: 'select',
      key: 'direction',
      label: { en: 'Origin', 'pt-BR': 'Origem' },
      choices: [
        { value: 'MT', label: { en: 'Sent', 'pt-BR': 'Enviadas' } },
        { value: 'MO', label: { en: 'Received', 'pt-BR': 'Recebidas' } },
      ],
    },
    text('costCentre', 'Cost centre', 'Centro de custo', 256, 'costCentres'),
    text('queue', 'Queue', 'Fila', 256, 'queues'),
    CAMPAIGN_FILTER,
    text('contact', 'Contact number', 'Número do contato', 32, 'contacts'),
    text('business', 'WhatsApp number', 'Número WhatsApp', 32, 'businessNumbers'),
    {
      widget: 'select',
      key: 'billable',
      label: { en: 'Billed', 'pt-BR': 'Cobrada' },
      choices: [
        { value: 'yes', label: { en: 'Yes', 'pt-BR': 'Sim' } },
        { value: 'no', label: { en: 'No', 'pt-BR': 'Não' } },
      ],
    },
  ],
  // A status goes with its message, and an MO with the MT it answers (its campaign): by contact.
  partition: 'contact',

  compute(records, params) {
    const data = gatherMessaging(records);
    const { locale } = params;
    const rows: Row[] = [];
    const candidates: Official[] = [];
    for (const dispatch of data.dispatches()) {
      if (dispatch.message && dispatch.message.channel !== 'whatsapp') continue;
      if (!seenInPeriod(dispatch, params)) continue;
      candidates.push({ ...dispatch, seenAt: dispatch.seenAt });
    }
    for (const { message, at } of data.received()) {
      if (message.channel !== 'whatsapp') continue;
      const row = {
        messageId: message.messageId,
        message,
        contact: message.contact,
        business: message.business,
        at,
        seenAt: at,
      };
      if (inPeriod(params, at)) candidates.push(row);
    }
    for (const candidate of candidates) {
      if (!passes(data, params, candidate)) continue;
      const { message, status } = candidate;
      rows.push([
        candidate.messageId,
        candidate.contact,
        candidate.business,
        message ? MESSAGE_TYPE[messageTypeOf(message)][locale] : null,
        message?.templateName ?? message?.templateId ?? null,
        candidate.at ?? null,
        // A received message has no delivery status.
        status === undefined ? null : statusEntry(status).label[locale],
        message?.cost ?? null,
        message?.costCentre ?? null,
        campaignName(data, campaignIdOf(data, message)),
      ]);
    }
    return { columns: officialMessages.columns, rows: rows.sort(officialMessages.compareRows) };
  },

  // By Sent At, then Message ID; messages known only by their statuses (no send time) last.
  compareRows: rowOrder(SENT_AT, MESSAGE_ID),
};
