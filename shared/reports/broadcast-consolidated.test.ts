import { describe, expect, it } from 'vitest';
import type { AnyRecord } from '../records/registry.ts';
import { mo, mt, opened, runReport, status } from '../testing/messaging.ts';
import { broadcastConsolidated } from './broadcast-consolidated.ts';
import { broadcastDetailed } from './broadcast-detailed.ts';
import { validateRequest } from './params.ts';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOUR = 3_600_000;

describe('broadcast-consolidated (DESIGN §10)', () => {
  const records: AnyRecord[] = [];
  for (const [i, campaignId] of ['c-1', 'c-1', 'c-1', 'c-2'].entries()) {
    const contact = `551190000000${i}`;
    const sent = mt(T0 + i * HOUR, { origin: 'broadcast', campaignId, contact });
    records.push(sent, status(sent.messageId, T0 + i * HOUR + 1000, i === 1 ? 'opt_out' : 'read'));
    if (i === 0) records.push(mo(T0 + HOUR / 2, { contact }), opened(T0 + HOUR, { contact }));
  }

  it('gives one row per campaign, counted by the catalog groups, with its first and last dispatch', () => {
    expect(runReport(broadcastConsolidated, records)).toEqual([
      [
        '',
        '',
        'c-1',
        'WhatsApp',
        '551133334444',
        '2026-03-10 09:00:00',
        '2026-03-10 11:00:00',
        '3',
        '2',
        '2',
        '2',
        '1',
        '0',
        '',
        '',
        '1',
      ],
      [
        '',
        '',
        'c-2',
        'WhatsApp',
        '551133334444',
        '2026-03-10 12:00:00',
        '2026-03-10 12:00:00',
        '1',
        '1',
        '1',
        '1',
        '0',
        '0',
        '',
        '',
        '0',
      ],
    ]);
  });

  it('equals the aggregation of the detailed rows, and parts split by contact combine to it', () => {
    const detailed = runReport(broadcastDetailed, records);
    const consolidated = runReport(broadcastConsolidated, records);
    for (const row of consolidated) {
      const mine = detailed.filter((d) => d[3] === row[2]);
      expect(Number(row[7])).toBe(mine.length);
      expect(Number(row[15])).toBe(mine.filter((d) => d[13] === 'Yes').length);
    }
    const checked = validateRequest(broadcastConsolidated, {
      timeZone: 'America/Sao_Paulo',
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
    });
    if (!checked.ok) throw new Error(checked.error);
    const whole = broadcastConsolidated.compute(records, checked.params);
    const byContact = new Map<string, AnyRecord[]>();
    const contactOf = new Map(
      records.filter((r) => r.type === 'message').map((r) => [r.messageId, r.contact]),
    );
    for (const record of records) {
      const key =
        'contact' in record && typeof record.contact === 'string'
          ? record.contact
          : (contactOf.get((record as { messageId: string }).messageId) ?? '');
      byContact.set(key, [...(byContact.get(key) ?? []), record]);
    }
    const parts = [...byContact.values()].map((part) => broadcastConsolidated.compute(part, checked.params));
    expect(broadcastConsolidated.combine!(parts, checked.params)).toEqual(whole);
  });
});
