import { WEBHOOK_EVENT_TYPES, WEBHOOK_REQUEST_STATUSES } from '../api/webhooks.ts';
import type { WebhookDeliveryRecord } from '../records/webhook-delivery.ts';
import { parseInstant } from '../time/iso.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import type { Column, ReportDefinition, ReportResult, Row } from './types.ts';

const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});

const EVENT_LABELS = {
  'report.ready': { en: 'Report ready', 'pt-BR': 'Relatório pronto' },
  'ticket.closed': { en: 'Ticket closed', 'pt-BR': 'Ticket fechado' },
  'message.failed': { en: 'Message failed', 'pt-BR': 'Mensagem com falha' },
  'campaign.finished': { en: 'Campaign finished', 'pt-BR': 'Campanha finalizada' },
} as const;

const STATUS_LABELS = {
  delivered: { en: 'Delivered', 'pt-BR': 'Entregue' },
  failed: { en: 'Failed', 'pt-BR': 'Falhou' },
  retrying: { en: 'Retrying', 'pt-BR': 'Tentando novamente' },
} as const;

const AT = 5;
const REQUEST_ID = 4;
const RETRIES = 6;

/**
 * Webhook events (DESIGN §12): one row per attempt of an outbound webhook delivery, as the server
 * recorded it (`webhook_delivery` records). The event type is shown as the receiver sees it in
 * the `x-pontual-event` header, so a row can be matched with the receiver's own log.
 */
export const webhookEvents: ReportDefinition<WebhookDeliveryRecord> = {
  id: 'webhook-events',
  category: 'account',
  title: { en: 'Webhook events', 'pt-BR': 'Eventos de webhook' },
  description: {
    en: 'One row per attempt to deliver an outbound webhook: the event, the receiver’s HTTP answer, the campaign and contact it concerns, the request id and how many retries came before.',
    'pt-BR':
      'Uma linha por tentativa de entrega de um webhook de saída: o evento, a resposta HTTP do receptor, a campanha e o contato a que se refere, o id da requisição e quantas novas tentativas houve antes.',
  },
  columns: [
    column('eventType', 'text', 'Event Type', 'Tipo de Evento'),
    column('httpStatus', 'integer', 'HTTP Status', 'Status HTTP'),
    column('campaign', 'text', 'Campaign', 'Campanha'),
    column('contact', 'text', 'Contact Number', 'Número do Contato'),
    column('requestId', 'text', 'Request ID', 'ID da Requisição'),
    column('at', 'datetime', 'Date and Time', 'Data e Hora'),
    column('retries', 'integer', 'Retries', 'Novas Tentativas'),
  ],
  reads: ['webhook_delivery'],
  filters: [
    periodFilter(31),
    {
      widget: 'select',
      key: 'eventType',
      label: { en: 'Event type', 'pt-BR': 'Tipo de evento' },
      choices: WEBHOOK_EVENT_TYPES.map((type) => ({ value: type, label: EVENT_LABELS[type] })),
    },
    {
      widget: 'select',
      key: 'requestStatus',
      label: { en: 'Request status', 'pt-BR': 'Status da requisição' },
      hint: {
        en: 'Retrying: the attempt failed and another is due. Failed: the receiver refused it (a 4xx other than 429), or the last attempt failed.',
        'pt-BR':
          'Tentando novamente: a tentativa falhou e outra está agendada. Falhou: o receptor recusou (um 4xx que não 429) ou a última tentativa falhou.',
      },
      choices: WEBHOOK_REQUEST_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] })),
    },
    {
      widget: 'text',
      key: 'contact',
      label: { en: 'Contact number', 'pt-BR': 'Número do contato' },
      maxLength: 20,
    },
    {
      widget: 'text',
      key: 'requestId',
      label: { en: 'Request ID', 'pt-BR': 'ID da requisição' },
      maxLength: 128,
    },
    { widget: 'text', key: 'campaign', label: { en: 'Campaign', 'pt-BR': 'Campanha' }, maxLength: 256 },
  ],
  // Each row is one record: any split of the input gives rows that only need merging.
  partition: 'totals',

  compute(records, params) {
    const options = params.options ?? {};
    const contact = options.contact?.trim();
    const requestId = options.requestId?.trim();
    const campaign = options.campaign?.trim();
    const seen = new Set<string>();
    const rows: Row[] = [];
    for (const record of records) {
      if (record.type !== 'webhook_delivery' || seen.has(record.id)) continue;
      seen.add(record.id);
      const at = parseInstant(record.at);
      if ((params.from !== undefined && at < params.from) || (params.to !== undefined && at >= params.to))
        continue;
      if (at > params.now) continue;
      if (options.eventType !== undefined && record.eventType !== options.eventType) continue;
      if (options.requestStatus !== undefined && record.status !== options.requestStatus) continue;
      if (contact && record.contact !== contact) continue;
      if (requestId && record.requestId !== requestId) continue;
      if (campaign && record.campaignId !== campaign) continue;
      rows.push([
        record.eventType,
        record.httpStatus ?? null,
        record.campaignId ?? null,
        record.contact ?? null,
        record.requestId,
        at,
        record.retries,
      ]);
    }
    return { columns: webhookEvents.columns, rows: rows.sort(webhookEvents.compareRows) };
  },

  // By time, then request and retry: a delivery's attempts in the order they were made.
  compareRows: rowOrder(AT, REQUEST_ID, RETRIES),

  combine(parts: readonly ReportResult[]): ReportResult {
    const rows = parts.flatMap((part) => part.rows).sort(webhookEvents.compareRows);
    // A record repeated across parts gives the same row twice; distinct attempts differ in retries.
    const unique = rows.filter(
      (row, index) => index === 0 || webhookEvents.compareRows(rows[index - 1]!, row) !== 0,
    );
    return { columns: webhookEvents.columns, rows: unique };
  },
};
