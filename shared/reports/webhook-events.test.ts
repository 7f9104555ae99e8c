import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import type { WebhookDeliveryRecord } from '../records/webhook-delivery.ts';
import { validateRequest } from './params.ts';
import { webhookEvents } from './webhook-events.ts';

const TZ = 'America/Sao_Paulo';

function attempt(
  requestId: string,
  retries: number,
  at: string,
  fields: Partial<WebhookDeliveryRecord> = {},
): WebhookDeliveryRecord {
  return {
    id: `${requestId}.${retries + 1}`,
    type: 'webhook_delivery',
    at,
    requestId,
    subscriptionId: 'sub-1',
    url: 'https://example.com/hooks',
    eventType: 'message.failed',
    status: 'delivered',
    httpStatus: 200,
    retries,
    ...fields,
  };
}

function run(
  records: WebhookDeliveryRecord[],
  options: Record<string, string> = {},
  period = { from: '2026-03-10', to: '2026-03-11' },
) {
  const checked = validateRequest(webhookEvents, { timeZone: TZ, locale: 'en', ...period, options });
  if (!checked.ok) throw new Error(checked.error);
  const fmt = new CellFormatter('en', TZ);
  return webhookEvents
    .compute(records, checked.params)
    .rows.map((row) => row.map((cell, i) => fmt.cell(webhookEvents.columns[i]!, cell ?? null)));
}

// A delivery retried twice (a 500, a timeout) then delivered; a refused one; a ticket closed.
const RECORDS = [
  attempt('r-1', 2, '2026-03-10T12:00:22Z', { campaignId: 'C-7', contact: '5511988887777' }),
  attempt('r-1', 0, '2026-03-10T12:00:00Z', {
    status: 'retrying',
    httpStatus: 500,
    campaignId: 'C-7',
    contact: '5511988887777',
  }),
  attempt('r-1', 1, '2026-03-10T12:00:07Z', {
    status: 'retrying',
    httpStatus: undefined,
    error: 'no answer within 10000 ms',
    campaignId: 'C-7',
    contact: '5511988887777',
  }),
  attempt('r-2', 0, '2026-03-10T13:00:00Z', {
    status: 'failed',
    httpStatus: 410,
    eventType: 'ticket.closed',
    contact: '5511900000001',
  }),
  attempt('r-3', 0, '2026-03-10T14:00:00Z', { eventType: 'campaign.finished', campaignId: 'C-8' }),
];

describe('webhook-events (DESIGN §12)', () => {
  it('lists every attempt in time order, a delivery’s retries counted', () => {
    // Duplicates (a record pulled twice) are one row.
    expect(run([...RECORDS, RECORDS[0]!])).toEqual([
      ['message.failed', '500', 'C-7', '5511988887777', 'r-1', '2026-03-10 09:00:00', '0'],
      ['message.failed', '', 'C-7', '5511988887777', 'r-1', '2026-03-10 09:00:07', '1'],
      ['message.failed', '200', 'C-7', '5511988887777', 'r-1', '2026-03-10 09:00:22', '2'],
      ['ticket.closed', '410', '', '5511900000001', 'r-2', '2026-03-10 10:00:00', '0'],
      ['campaign.finished', '200', 'C-8', '', 'r-3', '2026-03-10 11:00:00', '0'],
    ]);
  });

  it('keeps to the period, in the report’s time zone', () => {
    // 2026-03-10 in São Paulo is 03:00Z to 03:00Z the next day.
    const edges = [
      attempt('early', 0, '2026-03-10T02:59:59Z'),
      attempt('first', 0, '2026-03-10T03:00:00Z'),
      attempt('last', 0, '2026-03-11T02:59:59Z'),
      attempt('late', 0, '2026-03-11T03:00:00Z'),
    ];
    expect(run(edges, {}, { from: '2026-03-10', to: '2026-03-11' }).map((row) => row[4])).toEqual([
      'first',
      'last',
    ]);
  });

  it('filters by event type, request status, contact, request id and campaign', () => {
    const ids = (options: Record<string, string>) =>
      run(RECORDS, options).map((row) => `${row[4]}#${row[6]}`);
    expect(ids({ eventType: 'ticket.closed' })).toEqual(['r-2#0']);
    expect(ids({ requestStatus: 'retrying' })).toEqual(['r-1#0', 'r-1#1']);
    expect(ids({ requestStatus: 'failed' })).toEqual(['r-2#0']);
    expect(ids({ requestStatus: 'delivered' })).toEqual(['r-1#2', 'r-3#0']);
    expect(ids({ contact: '5511988887777' })).toEqual(['r-1#0', 'r-1#1', 'r-1#2']);
    expect(ids({ requestId: 'r-3' })).toEqual(['r-3#0']);
    expect(ids({ campaign: 'C-7', requestStatus: 'delivered' })).toEqual(['r-1#2']);
  });

  it('refuses a period over 31 days and a status it does not know, saying which', () => {
    const long = validateRequest(webhookEvents, {
      timeZone: TZ,
      locale: 'en',
      from: '2026-03-01',
      to: '2026-04-02',
    });
    expect(long.ok).toBe(false);
    expect(!long.ok && long.error).toMatch(/31/);
    const bad = validateRequest(webhookEvents, {
      timeZone: TZ,
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
      options: { requestStatus: 'lost' },
    });
    expect(!bad.ok && bad.error).toMatch(/Request status.*lost.*delivered, failed, retrying/);
  });

  it('merges parts of a split run into the rows of one run', () => {
    const checked = validateRequest(webhookEvents, {
      timeZone: TZ,
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
    });
    if (!checked.ok) throw new Error(checked.error);
    const whole = webhookEvents.compute(RECORDS, checked.params);
    const parts = [RECORDS.slice(0, 2), RECORDS.slice(1)].map((part) =>
      webhookEvents.compute(part, checked.params),
    );
    expect(webhookEvents.combine!(parts, checked.params)).toEqual(whole);
  });
});
