import { describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../records/campaign.ts';
import type { AnyRecord } from '../records/registry.ts';
import { mo, mt, runReport, status } from '../testing/messaging.ts';
import { defaultPeriod } from './filters.ts';
import { messagesDetailed } from './messages-detailed.ts';
import { validateRequest } from './params.ts';

const HOUR = 3_600_000;
// 2026-03-10 09:00 in São Paulo.
const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);

const blackFriday: CampaignRecord = {
  id: 'c-rec-1',
  type: 'campaign',
  at: '2026-03-01T00:00:00Z',
  campaignId: 'c-1',
  name: 'Black Friday',
  channel: 'whatsapp',
  status: 'running',
};

function records(): AnyRecord[] {
  const template = mt(T0, {
    origin: 'broadcast',
    campaignId: 'c-1',
    text: 'Olá Ana',
    user: 'ana@acme',
    sessionOpen: false,
    conversationId: 'conv-1',
    conversationType: 'business_initiated',
    conversationExpiresAt: new Date(T0 + 24 * HOUR).toISOString(),
  });
  const session = mt(T0 + HOUR, {
    contentType: 'text',
    origin: 'api',
    text: 'Seu pedido saiu',
    sessionOpen: true,
    contact: '5511900000001',
  });
  const sms = mt(T0 + 2 * HOUR, { channel: 'sms', contentType: 'text', origin: 'api', text: 'Código 1234' });
  return [
    blackFriday,
    status(template.messageId, T0 + 60_000, 'read'),
    template,
    session,
    status(session.messageId, T0 + HOUR + 1000, 'failed'),
    status(session.messageId, T0 + HOUR + 500, 'delivered'),
    sms,
    // Known only by its statuses: its number, and its status.
    { ...status('wamid.ghost', T0 + 3 * HOUR, 'opt_out'), contact: '5511900000009' },
    mo(T0 + 30 * 60_000, { text: 'Quero!', replyTo: template.messageId, user: 'ana@acme' }),
  ];
}

describe('messages-detailed (DESIGN §10)', () => {
  it('lists every message sent (MT) in the period with its status, campaign, session and conversation', () => {
    expect(runReport(messagesDetailed, records())).toEqual([
      [
        '2026-03-10 09:00:00',
        'Read',
        '5511987654321',
        '5511987654321',
        'Black Friday',
        'ana@acme',
        'Template',
        'Olá Ana',
        'No',
        'conv-1',
        'Business initiated',
        '2026-03-11 09:00:00',
      ],
      // failed after delivered stays Delivered.
      [
        '2026-03-10 10:00:00',
        'Delivered',
        '5511900000001',
        '5511900000001',
        '',
        '',
        'Text',
        'Seu pedido saiu',
        'Yes',
        '',
        '',
        '',
      ],
      // SMS has no WhatsApp user id.
      ['2026-03-10 11:00:00', 'Accepted', '5511987654321', '', '', '', 'Text', 'Código 1234', '', '', '', ''],
      // A status for a message never seen: the fields it has, no send time, last.
      ['', 'Not delivered: opt-out', '5511900000009', '5511900000009', '', '', '', '', '', '', '', ''],
    ]);
  });

  it('speaks Portuguese', () => {
    const rows = runReport(messagesDetailed, records(), 'pt-BR');
    expect(rows[0]).toEqual([
      '10/03/2026 09:00:00',
      'Lida',
      '5511987654321',
      '5511987654321',
      'Black Friday',
      'ana@acme',
      'Template',
      'Olá Ana',
      'Não',
      'conv-1',
      'Iniciada pela empresa',
      '11/03/2026 09:00:00',
    ]);
    expect(rows[1]![1]).toBe('Entregue');
    expect(rows[1]![6]).toBe('Texto');
  });

  it('on MO lists the messages received, with the campaign of the message they answer', () => {
    const checked = validateRequest(messagesDetailed, {
      timeZone: 'America/Sao_Paulo',
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
      options: { direction: 'MO' },
    });
    if (!checked.ok) throw new Error(checked.error);
    expect(messagesDetailed.compute(records(), checked.params).columns.map((c) => c.label.en)).toEqual([
      'Replied At',
      'Origin',
      'WhatsApp user ID',
      'Campaign',
      'User',
      'Content Type',
      'Message Received',
    ]);
    expect(runReport(messagesDetailed, records(), 'en', { options: { direction: 'MO' } })).toEqual([
      ['2026-03-10 09:30:00', '5511987654321', '5511987654321', 'Black Friday', 'ana@acme', 'Text', 'Quero!'],
    ]);
  });

  it('filters by channel, status, contact, campaign (id or name), session and conversation', () => {
    const sent = (options: Record<string, string>) =>
      runReport(messagesDetailed, records(), 'en', { options }).map((row) => row[0]);
    expect(sent({ channel: 'sms' })).toEqual(['2026-03-10 11:00:00']);
    expect(sent({ status: 'delivered' })).toEqual(['2026-03-10 10:00:00']);
    expect(sent({ contact: '+55 11 90000-0001' })).toEqual(['2026-03-10 10:00:00']);
    expect(sent({ campaign: 'c-1' })).toEqual(['2026-03-10 09:00:00']);
    expect(sent({ campaign: 'Black Friday' })).toEqual(['2026-03-10 09:00:00']);
    expect(sent({ session: 'open' })).toEqual(['2026-03-10 10:00:00']);
    expect(sent({ session: 'closed', conversationType: 'business_initiated' })).toEqual([
      '2026-03-10 09:00:00',
    ]);
    expect(sent({ contentType: 'image' })).toEqual([]);
    // A status filter on MO: received messages have no status.
    expect(sent({ direction: 'MO', status: 'read' })).toEqual([]);
  });

  it('keeps the period in the report zone: 00:00 local is in, 00:00 of the next day is out', () => {
    const first = mt(Date.UTC(2026, 2, 10, 3, 0, 0));
    const next = mt(Date.UTC(2026, 2, 11, 3, 0, 0));
    const lastUtcDay = mt(Date.UTC(2026, 2, 10, 2, 59, 59));
    expect(runReport(messagesDetailed, [first, next, lastUtcDay]).map((row) => row[0])).toEqual([
      '2026-03-10 00:00:00',
    ]);
  });

  it('covers 90 days at most, the last 7 by default; says so in the user’s language', () => {
    const ask = (locale: 'en' | 'pt-BR') =>
      validateRequest(
        messagesDetailed,
        { timeZone: 'America/Sao_Paulo', locale, from: '2026-01-01', to: '2026-04-02' },
        Date.now(),
        locale,
      );
    expect(ask('en')).toEqual({
      ok: false,
      error: 'the messages-detailed report covers at most 90 days; this period has 91: shorten it',
    });
    expect(ask('pt-BR')).toEqual({
      ok: false,
      error: 'o relatório messages-detailed cobre no máximo 90 dias; este período tem 91: encurte-o',
    });
    // 2026-03-10 01:00 UTC is still the 9th in São Paulo.
    expect(defaultPeriod(messagesDetailed, Date.UTC(2026, 2, 10, 1), 'America/Sao_Paulo')).toEqual({
      fromDate: '2026-03-03',
      toDate: '2026-03-09',
    });
  });
});
