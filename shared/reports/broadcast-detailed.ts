import { parseInstant } from '../time/iso.ts';
import {
  CHANNEL_LABEL,
  COLUMN,
  gatherMessaging,
  isBroadcast,
  isBroadcastMessage,
  sentInPeriod,
  statusLabel,
  yesNo,
} from './dispatch-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import type { ReportDefinition, Row } from './types.ts';

const SEND_DATE = 6;
const NUMBER = 0;

/** Broadcast detailed (DESIGN §10): each dispatch of a campaign, its status, and whether it reached a person. */
export const broadcastDetailed: ReportDefinition = {
  id: 'broadcast-detailed',
  category: 'messaging',
  title: { en: 'Broadcast — detailed', 'pt-BR': 'Disparo em massa — detalhado' },
  description: {
    en: 'One row per message of a broadcast campaign: its status, the provider’s own status, and whether the contact replied and reached an agent.',
    'pt-BR':
      'Uma linha por mensagem de uma campanha: status, status do provedor e se o contato respondeu e chegou a um atendente.',
  },
  columns: [
    COLUMN.number,
    COLUMN.document,
    COLUMN.scheduling,
    COLUMN.campaign,
    COLUMN.channel,
    COLUMN.integration,
    COLUMN.sendDate,
    COLUMN.status,
    COLUMN.statusDate,
    COLUMN.message,
    COLUMN.externalStatus,
    COLUMN.templateId,
    COLUMN.templateName,
    COLUMN.replied,
  ],
  reads: ['message', 'message_status', 'campaign', 'ticket'],
  filters: [periodFilter(31)],
  partition: 'contact',

  compute(records, params) {
    const data = gatherMessaging(records, isBroadcastMessage);
    const rows: Row[] = [];
    for (const dispatch of data.dispatches()) {
      if (!isBroadcast(dispatch) || !sentInPeriod(dispatch, params)) continue;
      const message = dispatch.message!;
      const campaign = data.campaign(message.campaignId);
      rows.push([
        dispatch.contact,
        message.document ?? null,
        campaign?.scheduledAt === undefined ? null : parseInstant(campaign.scheduledAt),
        campaign?.name ?? message.campaignId ?? null,
        CHANNEL_LABEL[message.channel]![params.locale],
        dispatch.business,
        dispatch.at,
        statusLabel(dispatch, params.locale),
        dispatch.statusAt ?? null,
        message.text ?? null,
        dispatch.providerStatus ?? null,
        message.templateId ?? campaign?.templateId ?? null,
        message.templateName ?? campaign?.templateName ?? null,
        yesNo(data.replied(dispatch, 'message-and-ticket'), params.locale),
      ]);
    }
    return { columns: broadcastDetailed.columns, rows: rows.sort(broadcastDetailed.compareRows) };
  },

  compareRows: rowOrder(SEND_DATE, NUMBER),
};
