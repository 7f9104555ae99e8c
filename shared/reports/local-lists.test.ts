import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import { EXAMPLES } from '../testing/records.ts';
import { LocalLists, listsOf, MAX_LOCAL_CHOICES } from './local-lists.ts';
import { REPORTS } from './registry.ts';

const message = (id: string, fields: Partial<MessageRecord>) =>
  ({ ...EXAMPLES.message, id, ...fields }) as AnyRecord;

describe('lists drawn from the local data', () => {
  it('gathers each list once per value, from every kind it reads, in batches', () => {
    const lists = new LocalLists();
    lists.add([
      message('m1', {
        queue: 'Billing',
        business: '551133334444',
        costCentre: 'CC-1',
        templateName: 'boas_vindas',
      }),
      message('m2', { queue: 'Support', business: '551133334444', contact: '5511900000001' }),
    ]);
    lists.add([
      { ...EXAMPLES.ticket, id: 't1', queue: 'Retention', contact: '5511900000002' } as AnyRecord,
      { ...EXAMPLES.message_status, id: 's1' } as AnyRecord,
    ]);
    const values = (list: Parameters<LocalLists['choices']>[0]) =>
      lists.choices(list).map((choice) => choice.value);
    expect(values('queues')).toEqual(['Billing', 'Retention', 'Support']);
    expect(values('businessNumbers')).toEqual(['551133334444']);
    expect(values('costCentres')).toEqual(['CC-1']);
    expect(values('templates')).toEqual(['boas_vindas']);
    expect(values('contacts')).toEqual(['5511900000001', '5511900000002', EXAMPLES.message.contact].sort());
    expect(lists.known('queues')).toEqual(new Set(['Billing', 'Support', 'Retention']));
    expect(lists.known('no such list')).toBeUndefined();
  });

  it('offers a campaign by id under its latest name, and knows it by either', () => {
    const lists = new LocalLists(['campaigns']);
    const campaign = { ...EXAMPLES.campaign, campaignId: 'C-9' };
    lists.add([
      { ...campaign, id: 'c2', at: '2026-03-10T12:00:00Z', name: 'Black Friday 2' } as AnyRecord,
      { ...campaign, id: 'c1', at: '2026-03-10T10:00:00Z', name: 'Black Friday' } as AnyRecord,
      message('m1', { campaignId: 'C-only-in-messages' }),
    ]);
    expect(lists.choices('campaigns')).toEqual([
      { value: 'C-9', label: { en: 'Black Friday 2', 'pt-BR': 'Black Friday 2' } },
    ]);
    expect(lists.known('campaigns')).toEqual(new Set(['C-9', 'C-only-in-messages', 'Black Friday 2']));
    // Lists not asked for are not gathered (the CLI reads millions of records).
    expect(lists.known('queues')).toBeUndefined();
  });

  it('offers tickets latest opened first, named with their latest contact name', () => {
    const lists = new LocalLists(['tickets']);
    const step = (id: string, ticketId: string, at: string, contactName?: string) =>
      ({ ...EXAMPLES.ticket, id, ticketId, at, ...(contactName ? { contactName } : {}) }) as AnyRecord;
    lists.add([
      step('a1', 'T-1', '2026-03-10T10:00:00Z', 'Ana'),
      step('b1', 'T-2', '2026-03-10T11:00:00Z'),
      step('a2', 'T-1', '2026-03-10T12:00:00Z', 'Ana Paula'),
      message('m1', { ticketId: 'T-3' }),
    ]);
    expect(lists.choices('tickets').map((choice) => choice.label.en)).toEqual([
      `T-2 — ${EXAMPLES.ticket.contact}`,
      'T-1 — Ana Paula',
    ]);
    expect(lists.known('tickets')).toEqual(new Set(['T-1', 'T-2', 'T-3']));
  });

  it('offers at most MAX_LOCAL_CHOICES values, sorted', () => {
    const lists = new LocalLists(['contacts']);
    lists.add(
      Array.from({ length: MAX_LOCAL_CHOICES + 5 }, (_, i) =>
        message(`m${i}`, { contact: `55119${String(i).padStart(8, '0')}` }),
      ),
    );
    const choices = lists.choices('contacts');
    expect(choices).toHaveLength(MAX_LOCAL_CHOICES);
    expect(choices[0]?.value).toBe('5511900000000');
  });

  it("names the lists a report's filters draw from", () => {
    const official = REPORTS.find((report) => report.id === 'official-messages')!;
    expect(listsOf(official.filters).sort()).toEqual(
      ['businessNumbers', 'campaigns', 'contacts', 'costCentres', 'queues'].sort(),
    );
  });
});
