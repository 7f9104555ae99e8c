import { describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../records/campaign.ts';
import { mo, mt, opened, runReport, status } from '../testing/messaging.ts';
import { broadcastDetailed } from './broadcast-detailed.ts';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOUR = 3_600_000;
const campaign: CampaignRecord = {
  id: 'c-1@1',
  type: 'campaign',
  at: '2026-03-09T12:00:00Z',
  campaignId: 'c-1',
  name: 'Black Friday',
  channel: 'whatsapp',
  business: '551133334444',
  scheduledAt: '2026-03-10T11:55:00Z',
  templateId: 't-9',
  templateName: 'promo',
  status: 'finished',
};

describe('broadcast-detailed (DESIGN §10)', () => {
  const dispatch = (contact: string, minutes: number) =>
    mt(T0 + minutes * 60_000, {
      origin: 'broadcast',
      campaignId: 'c-1',
      contact,
      text: 'Promo',
      contentType: 'template',
    });

  it('joins each dispatch with its campaign and status, and counts a reply only when it reached a ticket', () => {
    const withTicket = dispatch('5511900000001', 0);
    const botOnly = dispatch('5511900000002', 1);
    const records = [
      campaign,
      withTicket,
      status(withTicket.messageId, T0 + 30_000, 'delivered'),
      mo(T0 + HOUR, { contact: '5511900000001' }),
      opened(T0 + HOUR + 60_000, { contact: '5511900000001' }),
      botOnly,
      {
        ...status(botOnly.messageId, T0 + 90_000, 'failed'),
        providerStatus: 'failed: 131026 Message undeliverable',
      },
      mo(T0 + HOUR, { contact: '5511900000002' }),
      mt(T0, { origin: 'attendance' }),
    ];
    expect(runReport(broadcastDetailed, records)).toEqual([
      [
        '5511900000001',
        '',
        '2026-03-10 08:55:00',
        'Black Friday',
        'WhatsApp',
        '551133334444',
        '2026-03-10 09:00:00',
        'Delivered',
        '2026-03-10 09:00:30',
        'Promo',
        'provider delivered',
        't-9',
        'promo',
        'Yes',
      ],
      [
        '5511900000002',
        '',
        '2026-03-10 08:55:00',
        'Black Friday',
        'WhatsApp',
        '551133334444',
        '2026-03-10 09:01:00',
        'Failed',
        '2026-03-10 09:01:30',
        'Promo',
        'failed: 131026 Message undeliverable',
        't-9',
        'promo',
        'No',
      ],
    ]);
  });

  it('shows a campaign not seen yet by its id, in Portuguese', () => {
    const sent = mt(T0, { origin: 'broadcast', campaignId: 'c-2', channel: 'sms', contentType: 'text' });
    expect(runReport(broadcastDetailed, [sent], 'pt-BR')).toEqual([
      [
        '5511987654321',
        '',
        '',
        'c-2',
        'SMS',
        '551133334444',
        '10/03/2026 09:00:00',
        'Aceita',
        '',
        '',
        '',
        '',
        '',
        'Não',
      ],
    ]);
  });
});
