import { type Static, Type } from '@sinclair/typebox';
import { digits, instant, key, oneOf, recordId, recordValidator, text } from './fields.ts';
import type { RecordKind } from './kind.ts';
import { CHANNELS } from './message.ts';

export const CAMPAIGN_STATUSES = ['scheduled', 'running', 'paused', 'finished', 'cancelled'] as const;

/** A broadcast campaign's state; the latest record per campaignId wins (DESIGN §9). */
export const campaignSchema = Type.Object({
  id: recordId,
  type: Type.Literal('campaign'),
  at: instant,
  campaignId: key(),
  name: text(),
  channel: oneOf(CHANNELS),
  business: Type.Optional(digits),
  scheduledAt: Type.Optional(instant),
  templateId: Type.Optional(text()),
  templateName: Type.Optional(text()),
  status: oneOf(CAMPAIGN_STATUSES),
});
export type CampaignRecord = Static<typeof campaignSchema>;

export const campaignKind: RecordKind<CampaignRecord> = {
  name: 'campaign',
  label: { en: 'Campaigns', 'pt-BR': 'Campanhas' },
  types: ['campaign'],
  validate: recordValidator(campaignSchema),
  keys: { campaign: (record) => record.campaignId },
  // Few and small, and a campaign's name and state are needed for as long as its dispatches are.
  keepLocallyDays: 400,
};
