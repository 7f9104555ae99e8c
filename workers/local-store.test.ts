import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/events/schema.ts';
import type { MessageRecord } from '../shared/records/message.ts';
import type { MessageStatusRecord } from '../shared/records/message-status.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import { EXAMPLES } from '../shared/testing/records.ts';
import { keepRecords } from './import-file.ts';
import {
  addChunk,
  cursorOf,
  dropExpired,
  kindCounts,
  type LocalStore,
  readLocalRecords,
  recordsJson,
  storeTables,
  toChunk,
} from './local-store.ts';
import { temporaryStores } from './testing/stores.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-30T12:00:00.000Z');

const login = (id: string, at: number, agentId = 'ana', agentName = 'Ana'): ActivityEvent => ({
  id,
  type: 'login',
  cause: 'page_load',
  at: new Date(at).toISOString(),
  agentId,
  agentName,
});
const message = (id: string, at: number): MessageRecord =>
  ({ ...EXAMPLES.message, id, messageId: `wamid.${id}`, at: new Date(at).toISOString() }) as MessageRecord;
const status = (id: string, at: number): MessageStatusRecord =>
  ({ ...EXAMPLES.message_status, id, at: new Date(at).toISOString() }) as MessageStatusRecord;

const { freshName, open, released } = temporaryStores('local-store-test');

async function readAll<K extends Parameters<typeof readLocalRecords>[1]>(
  store: LocalStore,
  kind: K,
  period: { from?: number; to?: number } = {},
): Promise<{ ids: string[]; batches: number }> {
  const ids: string[] = [];
  let batches = 0;
  for await (const batch of readLocalRecords(store, kind, period)) {
    batches++;
    for (const record of batch) ids.push(record.id);
  }
  return { ids, batches };
}

async function store(store: LocalStore, kind: Parameters<typeof addChunk>[1], records: AnyRecord[]) {
  await store.transaction('rw', storeTables(store), () => addChunk(store, kind, records));
}

describe('the local store upgrade to one cursor per kind (Dexie version 3)', () => {
  it('keeps a version 2 database’s activity, imports, agents and cursor working', async () => {
    const name = freshName();
    const old = released(name, 2);
    const pulled = [login('e-1', NOW - DAY), login('e-2', NOW - 2 * DAY, 'bia', 'Bia')];
    await old.table('chunks').add(toChunk(pulled));
    await old.table('pending').add({ ...toChunk([login('imp-1', NOW - 3 * DAY)]), source: 'a.jsonl' });
    await old.table('agents').bulkPut([
      { agentId: 'ana', name: 'Ana', lastAt: NOW - DAY },
      { agentId: 'bia', name: 'Bia', lastAt: NOW - 2 * DAY },
    ]);
    await old.table('meta').bulkPut([
      { key: 'cursor', value: '812.40' },
      { key: 'eventCount', value: 2 },
      { key: 'syncedAt', value: NOW - 60_000 },
    ]);
    await old.table('teams').put({ name: 'Morning', agentIds: ['ana'] });
    old.close();

    const upgraded = open(name);
    // The latest version (4 added the team’s shared models, 5 and 6 the message projections) upgrades through 3.
    expect(upgraded.verno).toBe(6);
    expect(await cursorOf(upgraded, 'activity')).toBe('812.40');
    expect(await cursorOf(upgraded, 'message')).toBe('0');
    expect((await kindCounts(upgraded)).find((kind) => kind.kind === 'activity')?.count).toBe(2);
    expect(await upgraded.meta.get('cursor')).toBeUndefined();
    expect(await upgraded.meta.get('eventCount')).toBeUndefined();
    expect((await upgraded.meta.get('syncedAt'))?.value).toBe(NOW - 60_000);
    expect(await upgraded.agents.count()).toBe(2);
    expect(await upgraded.teams.get('Morning')).toEqual({ name: 'Morning', agentIds: ['ana'] });
    // The report worker's reads still see the pulled and the imported events.
    expect((await readAll(upgraded, 'activity')).ids).toEqual(['e-1', 'e-2', 'imp-1']);
  });

  it('a version 2 database that never synced gets no cursor (the first pull starts from 0)', async () => {
    const name = freshName();
    const old = released(name, 2);
    await old.open();
    old.close();
    const upgraded = open(name);
    expect(await upgraded.cursors.count()).toBe(0);
    expect(await cursorOf(upgraded, 'activity')).toBe('0');
  });
});

describe('readLocalRecords', () => {
  it('yields one kind’s records in the period, chunk by chunk, pulled and imported alike', async () => {
    const local = open();
    await store(local, 'message', [message('m-old', NOW - 40 * DAY), message('m-1', NOW - 10 * DAY)]);
    await store(local, 'message', [message('m-2', NOW - 9 * DAY), message('m-3', NOW - 8 * DAY)]);
    await store(local, 'message', [message('m-late', NOW)]);
    await store(local, 'message_status', [status('s-1', NOW - 9 * DAY)]);
    await store(local, 'activity', [login('e-1', NOW - 9 * DAY)]);
    await keepRecords(
      local,
      [message('m-imp', NOW - 9 * DAY), status('s-imp', NOW - 9 * DAY)],
      'office.jsonl',
    );

    const period = { from: NOW - 10 * DAY, to: NOW - 8 * DAY };
    // The first chunk is cut at `from`, the second is whole, the third is not read, `to` is exclusive.
    expect(await readAll(local, 'message', period)).toEqual({ ids: ['m-1', 'm-2', 'm-imp'], batches: 3 });
    expect((await readAll(local, 'message_status', period)).ids).toEqual(['s-1', 's-imp']);
    expect((await readAll(local, 'activity', period)).ids).toEqual(['e-1']);
    expect((await readAll(local, 'ticket', period)).ids).toEqual([]);
    expect((await readAll(local, 'message')).ids).toEqual(['m-old', 'm-1', 'm-2', 'm-3', 'm-late', 'm-imp']);
  });

  it('says where a damaged chunk is and what to do', async () => {
    const local = open();
    await local.records.add({ kind: 'message', minAt: NOW, maxAt: NOW, count: 1, text: '[{"id":"cut' });
    await expect(readAll(local, 'message')).rejects.toThrow(
      /the local copy of the data is damaged \(message chunk 1\): use "Clear local data"/,
    );
  });
});

describe('retention (keepLocallyDays)', () => {
  it('drops whole chunks whose newest record is older than the kind keeps, and counts them out', async () => {
    const local = open();
    await store(local, 'message', [message('m-100', NOW - 100 * DAY), message('m-95', NOW - 95 * DAY)]);
    // Straddles the 90-day limit: kept until all of it is old.
    await store(local, 'message', [message('m-91', NOW - 91 * DAY), message('m-89', NOW - 89 * DAY)]);
    await store(local, 'message_status', [status('s-120', NOW - 120 * DAY)]);
    await store(local, 'message_status', [status('s-1', NOW - DAY)]);
    // Activity is kept 400 days: 100 days old stays.
    await store(local, 'activity', [login('e-100', NOW - 100 * DAY)]);
    await store(local, 'activity', [login('e-401', NOW - 401 * DAY)]);
    // Imported and not yet pushed: never dropped.
    await keepRecords(local, [message('m-imp', NOW - 200 * DAY)], 'old.jsonl');

    const dropped = await dropExpired(local, NOW);
    expect(Object.fromEntries(dropped)).toEqual({ activity: 1, message: 2, message_status: 1 });
    expect((await readAll(local, 'message')).ids).toEqual(['m-91', 'm-89', 'm-imp']);
    expect((await readAll(local, 'message_status')).ids).toEqual(['s-1']);
    expect((await readAll(local, 'activity')).ids).toEqual(['e-100']);
    const counts = Object.fromEntries((await kindCounts(local)).map((kind) => [kind.kind, kind.count]));
    expect(counts).toEqual({
      activity: 1,
      message: 2,
      message_status: 1,
      campaign: 0,
      ticket: 0,
      webhook_delivery: 0,
      user: 0,
      business_number: 0,
    });
    // Nothing more to drop the second time.
    expect((await dropExpired(local, NOW)).size).toBe(0);
  });
});

describe('keepRecords', () => {
  it('keeps records of every kind as pending, one chunk per kind, and activity’s agents', async () => {
    const local = open();
    const records: AnyRecord[] = [
      login('e-1', NOW, 'carla', 'Carla'),
      message('m-1', NOW),
      status('s-1', NOW),
      { ...EXAMPLES.campaign } as AnyRecord,
      { ...EXAMPLES.ticket } as AnyRecord,
      login('e-2', NOW + 1_000, 'carla', 'Carla S.'),
    ];
    await keepRecords(local, records, 'mixed.jsonl');
    const activity = await local.pending.toArray();
    expect(activity).toHaveLength(1);
    expect(activity[0]).toMatchObject({ source: 'mixed.jsonl', count: 2 });
    const others = await local.pendingRecords.orderBy('kind').toArray();
    expect(others.map((chunk) => [chunk.kind, chunk.count, chunk.source])).toEqual([
      ['campaign', 1, 'mixed.jsonl'],
      ['message', 1, 'mixed.jsonl'],
      ['message_status', 1, 'mixed.jsonl'],
      ['ticket', 1, 'mixed.jsonl'],
    ]);
    expect((await local.agents.get('carla'))?.name).toBe('Carla S.');
  });
});

describe('recordsJson', () => {
  it('is JSON.stringify of the array, whatever its length, for any values', () => {
    const values = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        i % 3 === 0
          ? { id: `r${i}`, text: 'Olá, "aspas"\n\u2028 ção', n: i / 7 }
          : i % 3 === 1
            ? null
            : [`x${i}`, undefined],
      );
    for (const count of [0, 1, 127, 128, 129, 256, 1_000]) {
      const records = values(count);
      expect(recordsJson(records)).toBe(JSON.stringify(records));
    }
    // What toChunk stores: undefined array items become null, as JSON.stringify writes them.
    expect(recordsJson(Array.from({ length: 300 }, () => undefined))).toBe(
      `[${Array(300).fill('null').join(',')}]`,
    );
  });
});
