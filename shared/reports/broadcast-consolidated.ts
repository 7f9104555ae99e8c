import { countDispatch, type DispatchCounts, emptyCounts } from '../messaging/dispatches.ts';
import { parseInstant } from '../time/iso.ts';
import {
  CAMPAIGN_STATUS_LABEL,
  CHANNEL_LABEL,
  COLUMN,
  gatherMessaging,
  isBroadcast,
  isBroadcastMessage,
  sentInPeriod,
} from './dispatch-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import type { CellValue, ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const FIRST = 5;
const LAST = 6;
const COUNTS = [7, 8, 9, 10, 11, 12, 15] as const;

interface CampaignTotals {
  labels: CellValue[];
  first: number;
  last: number;
  counts: DispatchCounts;
}

function toRow({ labels, first, last, counts }: CampaignTotals): Row {
  const [scheduling, status, campaign, channel, integration, templateId, templateName] = labels;
  return [
    scheduling ?? null,
    status ?? null,
    campaign ?? null,
    channel ?? null,
    integration ?? null,
    first,
    last,
    counts.total,
    counts.read,
    counts.sent,
    counts.delivered,
    counts.blocked,
    counts.failed,
    templateId ?? null,
    templateName ?? null,
    counts.replied,
  ];
}

/** The cells that name a campaign's row: equal in every part computing it. */
const labelsOf = (row: Row): CellValue[] => [row[0]!, row[1]!, row[2]!, row[3]!, row[4]!, row[13]!, row[14]!];

/** Broadcast consolidated (DESIGN §10): one row per campaign with its dispatches counted. */
export const broadcastConsolidated: ReportDefinition = {
  id: 'broadcast-consolidated',
  category: 'messaging',
  title: { en: 'Broadcast — consolidated', 'pt-BR': 'Disparo em massa — consolidado' },
  description: {
    en: 'One row per broadcast campaign: its state, first and last dispatch in the period, and how many were sent, delivered, read, blocked, failed and replied.',
    'pt-BR':
      'Uma linha por campanha: situação, primeiro e último disparo no período e quantos foram enviados, entregues, lidos, bloqueados, com falha e respondidos.',
  },
  columns: [
    COLUMN.scheduling,
    COLUMN.campaignStatus,
    COLUMN.campaign,
    COLUMN.channel,
    COLUMN.integration,
    COLUMN.firstDispatch,
    COLUMN.lastDispatch,
    COLUMN.totalDispatches,
    COLUMN.readDispatches,
    COLUMN.sent,
    COLUMN.delivered,
    COLUMN.blocked,
    COLUMN.failures,
    COLUMN.templateId,
    COLUMN.templateName,
    COLUMN.repliedCount,
  ],
  reads: ['message', 'message_status', 'campaign', 'ticket'],
  filters: [periodFilter(31)],
  partition: 'contact',

  compute(records, params) {
    const data = gatherMessaging(records, isBroadcastMessage);
    const campaigns = new Map<string, CampaignTotals>();
    for (const dispatch of data.dispatches()) {
      if (!isBroadcast(dispatch) || !sentInPeriod(dispatch, params)) continue;
      const message = dispatch.message!;
      const key = message.campaignId ?? '';
      let totals = campaigns.get(key);
      if (!totals) {
        const campaign = data.campaign(message.campaignId);
        totals = {
          labels: [
            campaign?.scheduledAt === undefined ? null : parseInstant(campaign.scheduledAt),
            campaign ? CAMPAIGN_STATUS_LABEL[campaign.status]![params.locale] : null,
            campaign?.name ?? message.campaignId ?? null,
            CHANNEL_LABEL[campaign?.channel ?? message.channel]![params.locale],
            campaign?.business ?? dispatch.business,
            campaign?.templateId ?? message.templateId ?? null,
            campaign?.templateName ?? message.templateName ?? null,
          ],
          first: dispatch.at,
          last: dispatch.at,
          counts: emptyCounts(),
        };
        campaigns.set(key, totals);
      }
      totals.first = Math.min(totals.first, dispatch.at);
      totals.last = Math.max(totals.last, dispatch.at);
      countDispatch(totals.counts, dispatch.status, data.replied(dispatch, 'message-and-ticket'));
    }
    return {
      columns: broadcastConsolidated.columns,
      rows: [...campaigns.values()].map(toRow).sort(broadcastConsolidated.compareRows),
    };
  },

  // By Scheduling, then Campaign.
  compareRows: rowOrder(0, 2),

  /** Parts split by contact add up per campaign: each dispatch and its reply lie in one part. */
  combine(parts: readonly ReportResult[], _params: ReportParams): ReportResult {
    const merged = new Map<string, Row>();
    for (const part of parts) {
      for (const row of part.rows) {
        const key = JSON.stringify(labelsOf(row));
        const known = merged.get(key);
        if (!known) {
          merged.set(key, [...row]);
          continue;
        }
        known[FIRST] = Math.min(Number(known[FIRST]), Number(row[FIRST]));
        known[LAST] = Math.max(Number(known[LAST]), Number(row[LAST]));
        for (const index of COUNTS) known[index] = Number(known[index]) + Number(row[index]);
      }
    }
    return {
      columns: broadcastConsolidated.columns,
      rows: [...merged.values()].sort(broadcastConsolidated.compareRows),
    };
  },
};
