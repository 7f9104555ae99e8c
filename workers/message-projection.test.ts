import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MessagingData } from '../shared/messaging/dispatches.ts';
import type { CampaignRecord } from '../shared/records/campaign.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import { MESSAGE_STATUS_CATALOG } from '../shared/records/status-catalog.ts';
import type { ReportFilters } from '../shared/reports/filters.ts';
import { messagesConsolidated } from '../shared/reports/messages-consolidated.ts';
import { messagesDetailed } from '../shared/reports/messages-detailed.ts';
import { mo, mt, status } from '../shared/testing/messaging.ts';
import {
  addChunk,
  dropExpired,
  gatherLocalMessaging,
  keepPendingRecords,
  type LocalStore,
  projectionOf,
  type RecordChunk,
  readLocalRecords,
  recordChunk,
  storeTables,
} from './local-store.ts';
import { ReportJobRunner } from './report-job.ts';
import { temporaryStores } from './testing/stores.ts';

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
// 2026-03-10 09:00 in São Paulo.
const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const NOW = Date.parse('2026-03-14T12:00:00Z');

const { freshName, open, released } = temporaryStores('message-projection-test');

/** A row as version 5 stored it: the chunk with its projection inside. */
const version5Row = (kind: RecordChunk['kind'], records: AnyRecord[]) => ({
  ...recordChunk(kind, records),
  projection: projectionOf(kind, records),
});

/** The projections table as rows of key, part and text. */
const projectionTexts = async (table: LocalStore['projections']) =>
  (await table.toArray()).map(({ n, part, text }) => [n, part, text]);

const CAMPAIGN: CampaignRecord = {
  id: 'c-1',
  type: 'campaign',
  at: new Date(T0 - 10 * HOUR).toISOString(),
  campaignId: 'promo',
  name: 'Promo',
  channel: 'whatsapp',
  status: 'running',
};

/** Random messages and statuses (some of messages never seen, some outside the period), in any order. */
const values = MESSAGE_STATUS_CATALOG.map((entry) => entry.value);
const spec = fc.record({
  contact: fc.constantFrom('5511900000001', '5511900000002', '5511900000003'),
  at: fc.integer({ min: -30, max: 80 }),
  // Some share an instant, so that ties are broken by id.
  minute: fc.constantFrom(0, 0, 7),
  kind: fc.constantFrom('mt', 'mt', 'mo', 'status', 'status', 'status', 'ghost'),
  value: fc.constantFrom(...values),
  target: fc.nat(11),
  provider: fc.constantFrom(undefined, '', 'DELIVERED', 'tab\there', 'line\nbreak \\ slash'),
  campaign: fc.boolean(),
});
type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;
function recordsOf(specs: Spec[]): AnyRecord[] {
  const records: AnyRecord[] = [CAMPAIGN];
  specs.forEach((s, i) => {
    const at = T0 + s.at * HOUR + s.minute * 60_000;
    if (s.kind === 'mt')
      records.push({
        ...mt(at, {
          contact: s.contact,
          ...(s.campaign ? { campaignId: 'promo', origin: 'broadcast' } : {}),
        }),
        messageId: `w-${i % 12}`,
        id: `r-${i}`,
      });
    else if (s.kind === 'mo') records.push({ ...mo(at, { contact: s.contact }), id: `r-${i}` });
    else {
      const update = status(s.kind === 'ghost' ? `g-${s.target}` : `w-${s.target}`, at, s.value, `r-${i}`);
      if (s.provider === undefined) delete update.providerStatus;
      else update.providerStatus = s.provider;
      if (s.kind === 'ghost') update.contact = `551190000000${s.target % 3}`;
      if (s.value === 'failed') update.error = `${s.provider ?? 'no'} error`;
      records.push(update);
    }
  });
  return records;
}

/** Stores the records as sync would, in chunks of `size`, per kind; the last third as an import. */
async function storeAll(store: LocalStore, records: AnyRecord[], size: number): Promise<void> {
  const pulled = records.slice(0, Math.ceil((records.length * 2) / 3));
  for (const kind of ['campaign', 'message', 'message_status'] as const) {
    const ofKind = pulled.filter((record) => record.type === kind);
    for (let start = 0; start < ofKind.length; start += size)
      await store.transaction('rw', storeTables(store), () =>
        addChunk(store, kind, ofKind.slice(start, start + size)),
      );
  }
  await keepPendingRecords(store, records.slice(pulled.length), 'more.jsonl');
}

function filters(extra: Partial<ReportFilters> = {}): ReportFilters {
  return {
    fromDate: '2026-03-10',
    toDate: '2026-03-12',
    timeZone: TZ,
    locale: 'en',
    splitDays: false,
    agentIds: [],
    hiddenColumns: [],
    formats: ['csv'],
    ...extra,
  };
}

/** The CSV bytes and row count of a run. */
async function csvOf(store: LocalStore, reportId: string, extra: Partial<ReportFilters> = {}) {
  const output = await new ReportJobRunner(store).run(
    { reportId, title: reportId, filters: filters(extra), now: NOW },
    () => undefined,
  );
  return { rows: output.rowCount, bytes: new Uint8Array(await output.files[0]!.blob.arrayBuffer()) };
}

describe('message reports from the store’s projections (issue 11)', () => {
  it('give byte-identical files to the records read whole, over random record sets, chunkings and locales', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(spec, { maxLength: 50 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom<ReportFilters['locale']>('en', 'pt-BR'),
        fc.constantFrom<Record<string, string>>({}, { contact: '5511900000002' }, { campaign: 'promo' }),
        async (specs, size, locale, options) => {
          const records = recordsOf(specs);
          const projected = open();
          await storeAll(projected, records, size);
          // The same rows without their projections: the reports read the records whole.
          const whole = open();
          await storeAll(whole, records, size);
          await whole.projections.clear();
          await whole.pendingProjections.clear();
          const projectable = records.filter((record) => record.type !== 'campaign').length;
          const projections =
            (await projected.projections.count()) + (await projected.pendingProjections.count());
          expect(projections > 0).toBe(projectable > 0);
          for (const reportId of ['messages-detailed', 'messages-consolidated']) {
            const extra = { locale, options };
            const fromProjections = await csvOf(projected, reportId, extra);
            expect(fromProjections).toEqual(await csvOf(whole, reportId, extra));
            // The projections were read: a run over the whole records takes the other path.
            const report = reportId === 'messages-detailed' ? messagesDetailed : messagesConsolidated;
            expect(report.messaging).toBeDefined();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('the consolidated counts from message facts alone equal those from whole records', async () => {
    const records = recordsOf(
      fc.sample(fc.array(spec, { minLength: 30, maxLength: 60 }), { seed: 11, numRuns: 1 })[0]!,
    );
    const store = open();
    await storeAll(store, records, 4);
    const params = (await import('../shared/reports/params.ts')).validateRequest(messagesConsolidated, {
      timeZone: TZ,
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-12',
    });
    if (!params.ok) throw new Error(params.error);
    const facts = new MessagingData();
    expect(await gatherLocalMessaging(store, facts, 'message', {})).toBe(
      records.filter((record) => record.type === 'message').length,
    );
    await gatherLocalMessaging(store, facts, 'message_status', {});
    for await (const batch of readLocalRecords(store, 'campaign'))
      for (const record of batch) facts.add(record);
    expect(messagesConsolidated.messaging!.compute(facts, params.params)).toEqual(
      messagesConsolidated.compute(records, params.params),
    );
    expect(messagesConsolidated.messaging!.factsSuffice(params.params)).toBe(true);
    expect(
      messagesConsolidated.messaging!.factsSuffice({ ...params.params, options: { campaign: 'x' } }),
    ).toBe(false);
  });

  it('the version 6 upgrade moves version 5’s projections into their tables, and projects version 4’s rows', async () => {
    const sent = [mt(T0, { messageId: 'w-1' }), mt(T0 + HOUR, { messageId: 'w-2' })];
    const updates = [status('w-1', T0 + 60_000, 'delivered'), status('w-2', T0 + HOUR + 1, 'read')];
    const late = status('w-2', T0 + 2 * HOUR, 'failed');
    const expected = [
      [1, 0, projectionOf('message', sent)],
      [2, 0, projectionOf('message_status', updates)],
    ];
    for (const version of [4, 5] as const) {
      const name = freshName();
      const old = released(name, version);
      const row = version === 5 ? version5Row : recordChunk;
      await old
        .table('records')
        .bulkAdd([row('message', sent), row('message_status', updates), row('campaign', [CAMPAIGN])]);
      await old.table('pendingRecords').add({ ...row('message_status', [late]), source: 'late.csv' });
      old.close();

      const upgraded = open(name);
      await upgraded.open();
      expect(upgraded.verno).toBe(6);
      expect(await projectionTexts(upgraded.projections)).toEqual(expected);
      expect(await projectionTexts(upgraded.pendingProjections)).toEqual([
        [1, 0, projectionOf('message_status', [late])],
      ]);
      // The rows keep their records and nothing else.
      expect(await upgraded.records.toArray()).toEqual([
        { ...recordChunk('message', sent), n: 1 },
        { ...recordChunk('message_status', updates), n: 2 },
        { ...recordChunk('campaign', [CAMPAIGN]), n: 3 },
      ]);
      expect(await upgraded.pendingRecords.toArray()).toEqual([
        { ...recordChunk('message_status', [late]), source: 'late.csv', n: 1 },
      ]);
      const { bytes } = await csvOf(upgraded, 'messages-detailed');
      expect(new TextDecoder().decode(bytes)).toContain('Read');
    }

    // A row whose text is not JSON: the upgrade leaves it, and a report says the copy is damaged.
    const damagedName = freshName();
    const older = released(damagedName, 4);
    await older.table('records').add({ ...recordChunk('message_status', updates), text: '[{"id":' });
    older.close();
    const damaged = open(damagedName);
    await damaged.open();
    expect(await damaged.projections.count()).toBe(0);
    await expect(csvOf(damaged, 'messages-detailed')).rejects.toThrow(
      /the local copy of the data is damaged \(message_status chunk 1\): use "Clear local data"/,
    );
  });

  it('a damaged projection falls back to the row’s records', async () => {
    const store = open();
    const sent = [mt(T0, { messageId: 'w-1' })];
    await store.transaction('rw', storeTables(store), async () => {
      await addChunk(store, 'message', sent);
      await addChunk(store, 'message_status', [status('w-1', T0 + 60_000, 'read')]);
    });
    const good = await csvOf(store, 'messages-consolidated');
    await store.projections.toCollection().modify((row) => {
      row.text = `${row.text.slice(0, -3)}\t`;
    });
    expect(await csvOf(store, 'messages-consolidated')).toEqual(good);
    expect(new TextDecoder().decode((await csvOf(store, 'messages-detailed')).bytes)).toContain('Read');
  });

  it('a pending row’s projection goes with it: not read once the row is gone, then dropped', async () => {
    const store = open();
    await keepPendingRecords(store, [mt(T0, { messageId: 'w-1' }), status('w-1', T0 + 1, 'read')], 'a.csv');
    const gathered = async () => {
      const data = new MessagingData();
      return (
        (await gatherLocalMessaging(store, data, 'message', {})) +
        (await gatherLocalMessaging(store, data, 'message_status', {}))
      );
    };
    expect(await gathered()).toBe(2);
    // As sync deletes the rows it pushed once the pull brought their records back.
    await store.pendingRecords.clear();
    expect(await gathered()).toBe(0);
    expect(await store.pendingProjections.count()).toBe(2);
    await dropExpired(store, NOW);
    expect(await store.pendingProjections.count()).toBe(0);
  });

  it('dropping expired rows drops their projections', async () => {
    const store = open();
    await store.transaction('rw', storeTables(store), async () => {
      await addChunk(store, 'message', [mt(T0 - 100 * 24 * HOUR, { messageId: 'w-old' })]);
      await addChunk(store, 'message', [mt(T0, { messageId: 'w-new' })]);
    });
    await dropExpired(store, NOW);
    expect((await store.projections.toArray()).map((row) => row.n)).toEqual([2]);
  });

  it('a long projection is kept in parts under 64 kB, read whole; a part missing, the records are read', async () => {
    const store = open();
    const updates = Array.from({ length: 3_000 }, (_, i) => ({
      ...status(`w-${i % 1_000}`, T0 + i * 1_000, i % 3 === 0 ? 'read' : 'delivered', `s-${i}`),
      providerStatus: `DELIVERED ${'x'.repeat(i % 40)}`,
    }));
    await store.transaction('rw', storeTables(store), () => addChunk(store, 'message_status', updates));
    const parts = await store.projections.toArray();
    expect(parts.length).toBeGreaterThan(2);
    for (const [index, part] of parts.entries()) {
      expect(part).toMatchObject({ n: 1, part: index, parts: parts.length });
      expect(part.text.length).toBeLessThan(31_000);
    }
    // The parts hold the whole projection's lines, in order.
    const lines = (text: string) => text.split('\n').slice(1);
    expect(parts.flatMap((part) => lines(part.text))).toEqual(
      lines(projectionOf('message_status', updates)!),
    );
    const decided = async () => {
      const data = new MessagingData();
      const read = await gatherLocalMessaging(store, data, 'message_status', {});
      return { read, dispatches: [...data.dispatches()] };
    };
    const whole = await decided();
    expect(whole.read).toBe(updates.length);
    const fromRecords = new MessagingData();
    for (const update of updates) fromRecords.add(update);
    expect(whole.dispatches).toEqual([...fromRecords.dispatches()]);
    await store.projections.delete([1, 1]);
    expect(await decided()).toEqual(whole);
  });
});
