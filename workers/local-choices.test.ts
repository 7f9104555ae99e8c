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
  it('reads each stored row once, for every list, asked at once or as the data grows', async () => {
    store = new LocalStore(`choices-${Math.random()}`);
    await keepPendingRecords(
      store,
      [
        { ...message('m1', 'Billing'), templateName: 'welcome' } as AnyRecord,
        { ...message('m2', 'Support'), templateName: 'reminder' } as AnyRecord,
      ],
      'a.jsonl',
    );
    let rowsRead = 0;
    const table = store.pendingRecords;
    const bulkGet = table.bulkGet.bind(table);
    table.bulkGet = (async (keys: number[]) => {
      rowsRead += keys.length;
      return bulkGet(keys);
    }) as typeof table.bulkGet;
    const values = async (list: string, version: string) =>
      (await localChoices(store!, list, version))?.map((choice) => choice.value);
    const [queues, templates, numbers] = await Promise.all([
      values('queues', 'v1'),
      values('templates', 'v1'),
      values('businessNumbers', 'v1'),
    ]);
    expect(queues).toEqual(['Billing', 'Support']);
    expect(templates).toEqual(['reminder', 'welcome']);
    expect(numbers).toEqual([EXAMPLES.message.business]);
    expect(await values('contacts', 'v1')).toEqual([EXAMPLES.message.contact]);
    // The one row, read once for four lists.
    expect(rowsRead).toBe(1);
    await keepPendingRecords(store, [message('m3', 'Retention')], 'b.jsonl');
    expect(await values('queues', 'v2')).toEqual(['Billing', 'Retention', 'Support']);
    // Only the row stored since.
    expect(rowsRead).toBe(2);
  });
});
