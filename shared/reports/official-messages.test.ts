import { describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../records/campaign.ts';
import type { AnyRecord } from '../records/registry.ts';
import { mo, mt, runReport, status } from '../testing/messaging.ts';
import { officialMessages } from './official-messages.ts';
import { unknownLocalValue, validateRequest } from './params.ts';

const HOUR = 3_600_000;
// 2026-03-10 09:00 in São Paulo.
const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const TZ = 'America/Sao_Paulo';

const campaign: CampaignRecord = {
  id: 'c-rec-1',
  type: 'campaign',
  at: '2026-03-01T00:00:00Z',
  campaignId: 'c-1',
  name: 'Black Friday',
  channel: 'whatsapp',
  status: 'finished',
};

const hsm = mt(T0, {
  messageId: 'wamid.hsm',
  origin: 'broadcast',
  campaignId: 'c-1',
  templateName: 'promo_bf',
  templateId: 't-9',
  cost: 0.0625,
  currency: 'BRL',
  costCentre: 'Marketing',
  billable: true,
});
const session = mt(T0 + HOUR, {
  messageId: 'wamid.session',
  contentType: 'text',
  origin: 'attendance',
  queue: 'Billing',
  billable: false,
  cost: 0,
});
const received = mo(T0 + 30 * 60_000, { messageId: 'wamid.mo', replyTo: 'wamid.hsm', text: 'Quero' });
const sms = mt(T0, { messageId: 'sms.1', channel: 'sms', contentType: 'text', origin: 'api' });
// A campaign's dispatch a month earlier: out of the period, in the campaign.
const older = mt(T0 - 30 * 24 * HOUR, { messageId: 'wamid.old', origin: 'broadcast', campaignId: 'c-1' });
const records: AnyRecord[] = [
  campaign,
  hsm,
  status('wamid.hsm', T0 + 1000, 'delivered'),
  status('wamid.hsm', T0 + 2000, 'failed'),
  session,
  received,
  sms,
  older,
  { ...status('wamid.ghost', T0 + 2 * HOUR, 'read'), contact: '5511900000009', business: '551133334444' },
];

describe('official-messages (DESIGN §10)', () => {
  it('lists the WhatsApp messages sent and received, with type, template, status, cost and campaign', () => {
    expect(runReport(officialMessages, records)).toEqual([
      [
        'wamid.hsm',
        '5511987654321',
        '551133334444',
        'HSM',
        'promo_bf',
        '2026-03-10 09:00:00',
        'Delivered',
        '0.0625',
        'Marketing',
        'Black Friday',
      ],
      // An answer: no delivery status; its campaign is the one of the message it answers.
      [
        'wamid.mo',
        '5511987654321',
        '551133334444',
        'Session',
        '',
        '2026-03-10 09:30:00',
        '',
        '',
        '',
        'Black Friday',
      ],
      [
        'wamid.session',
        '5511987654321',
        '551133334444',
        'Session',
        '',
        '2026-03-10 10:00:00',
        'Accepted',
        '0.0000',
        '',
        '',
      ],
      // Known only by a status: the fields it has.
      ['wamid.ghost', '5511900000009', '551133334444', '', '', '', 'Read', '', '', ''],
    ]);
  });

  it('speaks Portuguese', () => {
    const rows = runReport(officialMessages, records, 'pt-BR');
    expect(rows[0]!.slice(3, 8)).toEqual(['HSM', 'promo_bf', '10/03/2026 09:00:00', 'Entregue', '0,0625']);
    expect(rows[2]!.slice(3, 7)).toEqual(['Sessão', '', '10/03/2026 10:00:00', 'Aceita']);
  });

  it('filters by type, origin, cost centre, queue, contact, WhatsApp number and billed', () => {
    const ids = (options: Record<string, string>) =>
      runReport(officialMessages, records, 'en', { options }).map((row) => row[0]);
    expect(ids({ messageType: 'hsm' })).toEqual(['wamid.hsm']);
    expect(ids({ direction: 'MO' })).toEqual(['wamid.mo']);
    expect(ids({ direction: 'MT', messageType: 'session' })).toEqual(['wamid.session']);
    expect(ids({ costCentre: 'Marketing' })).toEqual(['wamid.hsm']);
    expect(ids({ queue: 'Billing' })).toEqual(['wamid.session']);
    expect(ids({ contact: '5511900000009' })).toEqual(['wamid.ghost']);
    expect(ids({ business: '551199999999' })).toEqual([]);
    expect(ids({ billable: 'no' })).toEqual(['wamid.session']);
  });

  it('runs over one campaign instead of a period, whatever its dates', () => {
    const rows = runReport(officialMessages, records, 'en', {
      from: undefined,
      to: undefined,
      options: { campaign: 'Black Friday' },
    });
    expect(rows.map((row) => row[0])).toEqual(['wamid.old', 'wamid.hsm', 'wamid.mo']);
  });

  it('refuses, in the user’s language, neither a period nor a campaign, a period over 31 days, a campaign not in the data', () => {
    const ask = (locale: 'en' | 'pt-BR', request: { from?: string; to?: string; campaign?: string }) =>
      validateRequest(
        officialMessages,
        {
          timeZone: TZ,
          locale,
          from: request.from,
          to: request.to,
          ...(request.campaign ? { options: { campaign: request.campaign } } : {}),
        },
        T0,
        locale,
      );
    expect(ask('en', {})).toEqual({ ok: false, error: 'pick a period, or a campaign instead of one' });
    expect(ask('pt-BR', {})).toEqual({
      ok: false,
      error: 'escolha um período, ou uma campanha no lugar dele',
    });
    expect(ask('en', { from: '2026-03-01', to: '2026-04-02' })).toEqual({
      ok: false,
      error: 'the official-messages report covers at most 31 days; this period has 32: shorten it',
    });
    expect(ask('en', { from: '2026-03-01', to: '2026-04-01' }).ok).toBe(true);
    const checked = ask('pt-BR', { campaign: 'Natal' });
    if (!checked.ok) throw new Error(checked.error);
    const known = (list: string) => (list === 'campaigns' ? new Set(['c-1', 'Black Friday']) : undefined);
    expect(unknownLocalValue(officialMessages, checked.params, known, 'pt-BR')).toBe(
      'Campanha: não há "Natal" nos dados; confira a grafia',
    );
    expect(unknownLocalValue(officialMessages, checked.params, known, 'en')).toBe(
      'Campaign: there is no "Natal" in the data; check the spelling',
    );
    const good = ask('en', { campaign: 'c-1' });
    if (!good.ok) throw new Error(good.error);
    expect(unknownLocalValue(officialMessages, good.params, known)).toBeUndefined();
  });

  it('keeps the period in the report zone: 00:00 local is in, 00:00 of the next day is out', () => {
    const first = mt(Date.UTC(2026, 2, 10, 3, 0, 0), { messageId: 'in' });
    const next = mt(Date.UTC(2026, 2, 11, 3, 0, 0), { messageId: 'next' });
    const before = mt(Date.UTC(2026, 2, 10, 2, 59, 59), { messageId: 'before' });
    expect(runReport(officialMessages, [first, next, before]).map((row) => row[0])).toEqual(['in']);
  });
});
