import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { EXAMPLES } from '../shared/testing/records.ts';
import { importEventFile, SCAN_BYTES, scanEventFile } from './import-file.ts';
import { LocalStore } from './local-store.ts';

let store: LocalStore | undefined;
afterEach(async () => {
  await store?.delete();
  store = undefined;
});

function freshStore(): LocalStore {
  store = new LocalStore(`import-test-${Math.random().toString(36).slice(2)}`);
  return store;
}

const event = (id: string, at: string, fields: Record<string, unknown> = {}) =>
  ({
    id,
    type: 'login',
    cause: 'page_load',
    at,
    agentId: 'ana',
    agentName: 'Ana',
    ...fields,
  }) as ActivityEvent;

async function pendingEvents(local: LocalStore): Promise<ActivityEvent[]> {
  const chunks = await local.pending.toArray();
  return chunks.flatMap((chunk) => JSON.parse(chunk.text) as ActivityEvent[]);
}

describe('importEventFile', () => {
  it('keeps the good lines as pending chunks and lists the bad ones with their line and field', async () => {
    const local = freshStore();
    const good = [
      event('e1', '2026-03-10T12:00:00.000Z'),
      event('e2', '2026-03-10T12:05:00.000Z', {
        type: 'status',
        status: 'break',
        reason: 'Lunch',
        cause: undefined,
      }),
      event('e3', '2026-03-10T13:00:00-03:00', { agentId: 'bia', agentName: 'Bia' }),
      event('e4', '2026-03-10T18:00:00.000Z', { agentName: 'Ana Paula' }),
      event('e5', '2026-03-09T18:00:00.000Z', { agentName: 'Ana (old name)' }),
    ];
    const { agentId: _, ...withoutAgent } = event('bad-missing', '2026-03-10T12:00:00.000Z');
    const lines = [
      JSON.stringify(good[0]), // 1
      '{"id": "broken", "type": "login",', // 2: broken JSON
      JSON.stringify(good[1]), // 3
      '', // 4: blank
      JSON.stringify(withoutAgent), // 5: a field missing
      '   ', // 6: blank
      JSON.stringify(good[2]), // 7
      JSON.stringify(event('bad-at', '2026-03-10 12:00')), // 8: `at` without an offset
      JSON.stringify(good[3]), // 9
      JSON.stringify(good[4]), // 10
      '', // 11: blank before the end
    ];
    const file = new File([lines.join('\r\n')], 'offices.jsonl', { type: 'application/x-ndjson' });
    const progress: number[] = [];
    const summary = await importEventFile(local, file, (fraction) => progress.push(fraction));

    expect(summary).toMatchObject({ fileName: 'offices.jsonl', kept: 5, invalidCount: 3 });
    expect(summary.invalid.map((invalid) => invalid.line)).toEqual([2, 5, 8]);
    expect(summary.invalid[0]!.error).toMatch(/^not valid JSON/);
    expect(summary.invalid[1]!.error).toBe('agentId: is required');
    expect(summary.invalid[2]!.error).toBe('at: must be an ISO-8601 instant with Z or an offset');

    // The pending chunks hold exactly the good events, in file order, and are marked as imported.
    const chunks = await local.pending.toArray();
    expect(chunks.every((chunk) => chunk.source === 'offices.jsonl')).toBe(true);
    expect(await pendingEvents(local)).toEqual(good);
    expect(chunks.reduce((sum, chunk) => sum + chunk.count, 0)).toBe(5);
    expect(Math.min(...chunks.map((chunk) => chunk.minAt))).toBe(Date.parse('2026-03-09T18:00:00.000Z'));
    expect(Math.max(...chunks.map((chunk) => chunk.maxAt))).toBe(Date.parse('2026-03-10T18:00:00.000Z'));
    // Nothing synced yet: the pulled chunks are untouched.
    expect(await local.chunks.count()).toBe(0);

    // Agents remembered with their latest name (by `at`, not by line order).
    expect(await local.agents.orderBy('agentId').toArray()).toEqual([
      { agentId: 'ana', name: 'Ana Paula', lastAt: Date.parse('2026-03-10T18:00:00.000Z') },
      { agentId: 'bia', name: 'Bia', lastAt: Date.parse('2026-03-10T16:00:00.000Z') },
    ]);

    expect(progress.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((fraction) => fraction >= 0 && fraction <= 1)).toBe(true);
  });

  it('keeps every event of a larger file, and an older name never replaces a newer one', async () => {
    const local = freshStore();
    await local.agents.put({ agentId: 'ana', name: 'Ana Newer', lastAt: Date.parse('2027-01-01T00:00:00Z') });
    const start = Date.parse('2026-03-10T00:00:00Z');
    const events = Array.from({ length: 12_001 }, (_, i) =>
      event(`big-${i}`, new Date(start + i * 1000).toISOString(), { seq: i }),
    );
    const blob = new Blob([`${events.map((e) => JSON.stringify(e)).join('\n')}\n`]);
    const progress: number[] = [];
    const summary = await importEventFile(local, blob, (fraction) => progress.push(fraction));
    expect(summary).toMatchObject({ fileName: 'events.jsonl', kept: 12_001, invalidCount: 0, invalid: [] });
    const chunks = await local.pending.toArray();
    expect(chunks.reduce((sum, chunk) => sum + chunk.count, 0)).toBe(12_001);
    const ids = (await pendingEvents(local)).map((e) => e.id);
    expect(ids).toEqual(events.map((e) => e.id));
    expect((await local.agents.get('ana'))!.name).toBe('Ana Newer');
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(progress.at(-1)).toBe(1);
  });

  it('a file with no good line keeps nothing, lists every line, and still ends at 1', async () => {
    const local = freshStore();
    const progress: number[] = [];
    const summary = await importEventFile(local, new File(['nope\n{}\n'], 'bad.jsonl'), (f) =>
      progress.push(f),
    );
    expect(summary.kept).toBe(0);
    expect(summary.invalid.map((invalid) => invalid.line)).toEqual([1, 2]);
    expect(summary.invalid[1]!.error).toMatch(/^type: must be one of/);
    expect(await local.pending.count()).toBe(0);
    expect(await local.agents.count()).toBe(0);
    expect(progress.at(-1)).toBe(1);
  });
});

describe('importEventFile with records of every kind', () => {
  it('keeps a mixed file’s valid records per kind, and lists the invalid ones of any kind', async () => {
    const local = freshStore();
    const lines = [
      JSON.stringify(event('e1', '2026-03-10T12:00:00.000Z')), // 1
      JSON.stringify(EXAMPLES.message), // 2
      JSON.stringify({ ...EXAMPLES.message_status, status: 'lost' }), // 3: not a status
      JSON.stringify(EXAMPLES.message_status), // 4
      JSON.stringify({ ...EXAMPLES.ticket, extra: { kept: true } }), // 5: unknown fields are kept
      JSON.stringify({ id: 'x', type: 'fax', at: '2026-03-10T12:00:00Z' }), // 6: no such kind
      JSON.stringify(EXAMPLES.campaign), // 7
    ];
    const summary = await importEventFile(
      local,
      new File([lines.join('\n')], 'mixed.jsonl'),
      () => undefined,
    );
    expect(summary).toMatchObject({ fileName: 'mixed.jsonl', kept: 5, invalidCount: 2 });
    expect(summary.invalid.map((invalid) => invalid.line)).toEqual([3, 6]);
    expect(summary.invalid[0]?.error).toMatch(/^status: /);
    expect(summary.invalid[1]?.error).toMatch(/^type: must be one of /);
    expect((await pendingEvents(local)).map((e) => e.id)).toEqual(['e1']);
    const others = await local.pendingRecords.orderBy('kind').toArray();
    expect(others.map((chunk) => [chunk.kind, JSON.parse(chunk.text)])).toEqual([
      ['campaign', [EXAMPLES.campaign]],
      ['message', [EXAMPLES.message]],
      ['message_status', [EXAMPLES.message_status]],
      ['ticket', [{ ...EXAMPLES.ticket, extra: { kept: true } }]],
    ]);
  });
});

describe('the confirm step’s look at a file', () => {
  it('counts lines, records per kind and invalid lines, storing nothing', async () => {
    const lines = [
      JSON.stringify(event('a', '2026-03-10T08:00:00Z')),
      '',
      JSON.stringify(EXAMPLES.ticket),
      JSON.stringify(event('b', 'yesterday')),
      '{broken',
    ];
    const scan = await scanEventFile(new Blob([`${lines.join('\n')}\n`]));
    expect(scan).toEqual({ lines: 5, kinds: { activity: 1, ticket: 1 }, invalid: 2, complete: true });
  });

  it('reads only the first megabyte of a larger file, whole lines only', async () => {
    const line = JSON.stringify(event('x', '2026-03-10T08:00:00Z', { agentName: 'A'.repeat(200) }));
    const count = Math.ceil((SCAN_BYTES * 1.5) / (line.length + 1));
    const scan = await scanEventFile(new Blob([Array(count).fill(line).join('\n')]));
    expect(scan.complete).toBe(false);
    expect(scan.invalid).toBe(0);
    expect(scan.lines).toBe(Math.floor(SCAN_BYTES / (line.length + 1)));
    expect(scan.kinds.activity).toBe(scan.lines);
  });
});
