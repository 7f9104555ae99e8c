import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyRecord } from '../shared/records/registry.ts';
import { EXAMPLES } from '../shared/testing/records.ts';
import { localChoices } from './local-choices.ts';
import { keepPendingRecords, LocalStore } from './local-store.ts';

let store: LocalStore | undefined;
afterEach(async () => {
  await store?.delete();
});

const message = (id: string, queue: string) => ({ ...EXAMPLES.message, id, queue }) as AnyRecord;

describe('filter choices from the local store', () => {
  it('gathers a list from the stored records, again only when the data version changes', async () => {
    store = new LocalStore(`choices-${Math.random()}`);
    await keepPendingRecords(store, [message('m1', 'Billing'), message('m2', 'Support')], 'a.jsonl');
    await store.agents.bulkPut([
      { agentId: 'b', name: 'Bia', lastAt: 1 },
      { agentId: 'a', name: 'Ana', lastAt: 1 },
    ]);
    const values = async (list: string, version: string) =>
      (await localChoices(store!, list, version))?.map((choice) => choice.value);
    expect(await values('queues', 'v1')).toEqual(['Billing', 'Support']);
    await keepPendingRecords(store, [message('m3', 'Retention')], 'b.jsonl');
    // Same version: the list gathered before.
    expect(await values('queues', 'v1')).toEqual(['Billing', 'Support']);
    expect(await values('queues', 'v2')).toEqual(['Billing', 'Retention', 'Support']);
    expect(await values('agents', 'v2')).toEqual(['a', 'b']);
    expect(await localChoices(store, 'no such list', 'v2')).toBeUndefined();
  });
});

describe('filter choices gathered together', () => {
  it('reads the messages once for every list they give, asked at once or after', async () => {
    store = new LocalStore(`choices-${Math.random()}`);
    await keepPendingRecords(
      store,
      [
        { ...message('m1', 'Billing'), campaignId: 'c-1', templateName: 'welcome' } as AnyRecord,
        { ...message('m2', 'Support'), campaignId: 'c-2', templateName: 'reminder' } as AnyRecord,
      ],
      'a.jsonl',
    );
    let reads = 0;
    const table = store.pendingRecords;
    const where = table.where.bind(table);
    table.where = ((index: string) => {
      reads++;
      return where(index);
    }) as typeof table.where;
    const values = async (list: string) =>
      (await localChoices(store!, list, 'v1'))?.map((choice) => choice.value);
    const [queues, templates, numbers] = await Promise.all([
      values('queues'),
      values('templates'),
      values('businessNumbers'),
    ]);
    expect(queues).toEqual(['Billing', 'Support']);
    expect(templates).toEqual(['reminder', 'welcome']);
    expect(numbers).toEqual([EXAMPLES.message.business]);
    expect(await values('contacts')).toEqual([EXAMPLES.message.contact]);
    // One pass: each kind the lists read (campaign, message, ticket) is read once.
    expect(reads).toBe(3);
  });
});
