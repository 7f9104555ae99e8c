import type { Locale, Localized } from '../i18n.ts';
import { type Dispatch, MessagingData } from '../messaging/dispatches.ts';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import { STATUS_EXPLANATIONS, statusEntry } from '../records/status-catalog.ts';
import type { Column, ReportParams } from './types.ts';

// What the message reports (DESIGN §10) share: their input, their scope, and their cells.

/**
 * Every record a message report reads, gathered once; of the message records, only those
 * `keepRecord` accepts are held whole (`MessagingData`'s constructor).
 */
export function gatherMessaging(
  records: Iterable<AnyRecord>,
  keepRecord?: (record: MessageRecord) => boolean,
): MessagingData {
  const data = new MessagingData(keepRecord);
  for (const record of records) data.add(record);
  return data;
}

/** Sent by an agent, one by one, as a template: the HSM reports' messages. */
export const isHsmMessage = (message: MessageRecord) =>
  message.contentType === 'template' && message.origin === 'attendance';
/** Part of a broadcast campaign. */
export const isBroadcastMessage = (message: MessageRecord) => message.origin === 'broadcast';
/** The HSM reports' dispatches. */
export const isHsm = (dispatch: Dispatch) => dispatch.message !== undefined && isHsmMessage(dispatch.message);
/** The broadcast reports' dispatches. */
export const isBroadcast = (dispatch: Dispatch) =>
  dispatch.message !== undefined && isBroadcastMessage(dispatch.message);

/** Sent inside the run's period, `[from, to)`. A message known only by its statuses has no send time. */
export function sentInPeriod(
  dispatch: Dispatch,
  params: ReportParams,
): dispatch is Dispatch & { at: number } {
  if (dispatch.at === undefined) return false;
  return (
    (params.from === undefined || dispatch.at >= params.from) &&
    (params.to === undefined || dispatch.at < params.to)
  );
}

const YES_NO: Record<Locale, [string, string]> = { en: ['Yes', 'No'], 'pt-BR': ['Sim', 'Não'] };
export const yesNo = (value: boolean, locale: Locale) => YES_NO[locale][value ? 0 : 1];

export const statusLabel = (dispatch: Dispatch, locale: Locale) => statusEntry(dispatch.status).label[locale];

const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});

/** The columns the message reports share, labelled once. */
export const COLUMN = {
  number: column('number', 'text', 'Number', 'Número'),
  document: column('document', 'text', 'CPF/CNPJ', 'CPF/CNPJ'),
  sendDate: column('sendDate', 'datetime', 'Send Date', 'Data de Envio'),
  status: { ...column('status', 'text', 'Status', 'Status'), explanations: STATUS_EXPLANATIONS },
  statusDate: column('statusDate', 'datetime', 'Status Date', 'Data do Status'),
  message: column('message', 'text', 'Message', 'Mensagem'),
  externalStatus: column('externalStatus', 'text', 'External Status', 'Status Externo'),
  templateId: column('templateId', 'text', 'Template ID', 'ID do Template'),
  templateName: column('templateName', 'text', 'Template Name', 'Nome do Template'),
  replied: column('replied', 'text', 'Replied', 'Respondido'),
  scheduling: column('scheduling', 'datetime', 'Scheduling', 'Agendamento'),
  campaign: column('campaign', 'text', 'Campaign', 'Campanha'),
  campaignStatus: column('campaignStatus', 'text', 'Status', 'Status'),
  channel: column('channel', 'text', 'Channel', 'Canal'),
  integration: column('integration', 'text', 'Integration', 'Integração'),
  startDate: column('startDate', 'date', 'Start Date', 'Data Inicial'),
  endDate: column('endDate', 'date', 'End Date', 'Data Final'),
  firstDispatch: column('startDate', 'datetime', 'Start Date', 'Data Inicial'),
  lastDispatch: column('endDate', 'datetime', 'End Date', 'Data Final'),
  totalDispatches: column('totalDispatches', 'integer', 'Total Dispatches', 'Total de Disparos'),
  readDispatches: column('readDispatches', 'integer', 'Read Dispatches', 'Disparos Lidos'),
  sent: column('sent', 'integer', 'Sent', 'Enviados'),
  delivered: column('delivered', 'integer', 'Delivered', 'Entregues'),
  blocked: column('blocked', 'integer', 'Blocked', 'Bloqueados'),
  failures: column('failures', 'integer', 'Failures', 'Falhas'),
  repliedCount: column('replied', 'integer', 'Replied', 'Respondidos'),
} as const;

export const CHANNEL_LABEL: Record<string, Localized> = {
  whatsapp: { en: 'WhatsApp', 'pt-BR': 'WhatsApp' },
  sms: { en: 'SMS', 'pt-BR': 'SMS' },
};

export const CAMPAIGN_STATUS_LABEL: Record<string, Localized> = {
  scheduled: { en: 'Scheduled', 'pt-BR': 'Agendada' },
  running: { en: 'Running', 'pt-BR': 'Em andamento' },
  paused: { en: 'Paused', 'pt-BR': 'Pausada' },
  finished: { en: 'Finished', 'pt-BR': 'Finalizada' },
  cancelled: { en: 'Cancelled', 'pt-BR': 'Cancelada' },
};

// The messaging reports' (messages-detailed, messages-consolidated, official-messages) own cells.

/**
 * In the run's period `[from, to)` by when it became known (`Dispatch.seenAt`): its send time, or
 * for a message known only by its statuses the first of them — those still report (DESIGN §9).
 */
export function seenInPeriod(
  dispatch: Dispatch,
  params: ReportParams,
): dispatch is Dispatch & { seenAt: number } {
  const at = dispatch.seenAt;
  if (at === undefined) return false;
  return (params.from === undefined || at >= params.from) && (params.to === undefined || at < params.to);
}

export const MESSAGE_COLUMN = {
  sentAt: column('sentAt', 'datetime', 'Sent', 'Enviada em'),
  phone: column('phone', 'text', 'Phone', 'Telefone'),
  whatsappUserId: column('whatsappUserId', 'text', 'WhatsApp user ID', 'ID do usuário WhatsApp'),
  user: column('user', 'text', 'User', 'Usuário'),
  contentType: column('contentType', 'text', 'Content Type', 'Tipo de Conteúdo'),
  sessionOpen: column('sessionOpen', 'text', 'Sent with Session', 'Enviada com Sessão'),
  conversationId: column('conversationId', 'text', 'Conversation ID', 'ID da Conversa'),
  conversationType: column('conversationType', 'text', 'Conversation Type', 'Tipo de Conversa'),
  conversationExpiry: column(
    'conversationExpiry',
    'datetime',
    'Conversation Expiry',
    'Expiração da Conversa',
  ),
  repliedAt: column('repliedAt', 'datetime', 'Replied At', 'Respondida em'),
  origin: column('origin', 'text', 'Origin', 'Origem'),
  messageReceived: column('messageReceived', 'text', 'Message Received', 'Mensagem Recebida'),
  messageId: column('messageId', 'text', 'Message ID', 'ID da Mensagem'),
  contactNumber: column('contactNumber', 'text', 'Contact Number', 'Número do Contato'),
  whatsappNumber: column('whatsappNumber', 'text', 'WhatsApp Number', 'Número WhatsApp'),
  messageType: column('messageType', 'text', 'Message Type', 'Tipo de Mensagem'),
  template: column('template', 'text', 'Template', 'Template'),
  officialSentAt: column('sentAt', 'datetime', 'Sent At', 'Enviada em'),
  deliveryStatus: {
    ...column('deliveryStatus', 'text', 'Delivery Status', 'Status de Entrega'),
    explanations: STATUS_EXPLANATIONS,
  },
  // A number (a spreadsheet sums it) in the message's currency; four digits, as per-message
  // prices are quoted (`0.0625`).
  cost: { ...column('cost', 'decimal', 'Cost', 'Custo'), decimals: 4 },
  costCentre: column('costCentre', 'text', 'Cost Centre', 'Centro de Custo'),
} as const;

export const CONTENT_TYPE_LABEL: Record<MessageRecord['contentType'], Localized> = {
  text: { en: 'Text', 'pt-BR': 'Texto' },
  template: { en: 'Template', 'pt-BR': 'Template' },
  image: { en: 'Image', 'pt-BR': 'Imagem' },
  audio: { en: 'Audio', 'pt-BR': 'Áudio' },
  video: { en: 'Video', 'pt-BR': 'Vídeo' },
  document: { en: 'Document', 'pt-BR': 'Documento' },
  sticker: { en: 'Sticker', 'pt-BR': 'Figurinha' },
  location: { en: 'Location', 'pt-BR': 'Localização' },
  button: { en: 'Button', 'pt-BR': 'Botão' },
  interactive: { en: 'Interactive', 'pt-BR': 'Interativa' },
  other: { en: 'Other', 'pt-BR': 'Outro' },
};

export const CONVERSATION_TYPE_LABEL: Record<NonNullable<MessageRecord['conversationType']>, Localized> = {
  business_initiated: { en: 'Business initiated', 'pt-BR': 'Iniciada pela empresa' },
  user_initiated: { en: 'User initiated', 'pt-BR': 'Iniciada pelo usuário' },
  free_entry_point: { en: 'Free entry point', 'pt-BR': 'Ponto de entrada gratuito' },
};

/** A campaign as the reports name it: its name when its record is known, else its id. */
export function campaignName(data: MessagingData, campaignId: string | undefined): string | null {
  return data.campaign(campaignId)?.name ?? campaignId ?? null;
}

/** Whether a campaign filter's value (an id, or a name as typed on the CLI) names this campaign. */
export function isCampaign(data: MessagingData, campaignId: string | undefined, wanted: string): boolean {
  return campaignId !== undefined && (campaignId === wanted || data.campaign(campaignId)?.name === wanted);
}
