import { describe, expect, it } from 'vitest';
import { readEvents } from '../events/jsonl.ts';
import { EXAMPLES } from '../testing/records.ts';
import { type InvalidLine, readRecords, readRecordsSync } from './jsonl.ts';

const login = {
  id: 'e-1',
  type: 'login',
  cause: 'page_load',
  at: '2026-03-10T18:41:00Z',
  agentId: 'a',
  agentName: 'A',
};
const file = [
  JSON.stringify(login),
  JSON.stringify(EXAMPLES.message),
  '',
  JSON.stringify({ ...EXAMPLES.message_status, status: 'seen' }),
  JSON.stringify(EXAMPLES.ticket),
  '{"type": "login", ',
  JSON.stringify({ ...login, id: 'e-2', cause: 'nap' }),
  JSON.stringify({ id: 'x', type: 'note', at: '2026-03-10T18:41:00Z' }),
].join('\r\n');

async function* once(text: string) {
  yield text;
}

async function read(kinds?: Parameters<typeof readRecords>[1]['kinds']) {
  const invalid: InvalidLine[] = [];
  const ids: string[] = [];
  // Split mid-line, as a stream would.
  async function* chunks() {
    yield file.slice(0, 100);
    yield new TextEncoder().encode(file.slice(100));
  }
  for await (const batch of readRecords(chunks(), { onInvalid: (line) => invalid.push(line) > 0, kinds }))
    ids.push(...batch.map((record) => record.id));
  return { ids, invalid };
}

describe('JSON Lines of records', () => {
  it('reads a file that mixes kinds, naming each bad line and field', async () => {
    const { ids, invalid } = await read();
    expect(ids).toEqual(['e-1', 'm-1', 'tk-1']);
    expect(invalid.map((entry) => entry.line)).toEqual([4, 6, 7, 8]);
    expect(invalid[0]?.error).toMatch(/^status: must be one of/);
    expect(invalid[1]?.error).toMatch(/^not valid JSON/);
    expect(invalid[2]?.error).toMatch(/^cause: must be one of/);
    expect(invalid[3]?.error).toMatch(/^type: must be one of/);
  });

  it('reads only the kinds asked for, and reports only their bad lines and lines of no kind', async () => {
    const { ids, invalid } = await read(['activity']);
    expect(ids).toEqual(['e-1']);
    expect(invalid.map((entry) => entry.line)).toEqual([6, 7, 8]);
  });

  it('reads activity events alone for the activity reports', async () => {
    const batches: string[] = [];
    for await (const batch of readEvents(once(file), { onInvalid: () => true }))
      batches.push(...batch.map((e) => e.type));
    expect(batches).toEqual(['login']);
  });

  it('stops where the caller says', async () => {
    const ids: string[] = [];
    for await (const batch of readRecords(once(file), { onInvalid: () => false }))
      ids.push(...batch.map((r) => r.id));
    expect(ids).toEqual(['e-1', 'm-1']);
  });

  it('reads the same synchronously, wherever the chunks cut the bytes (a character split in two too)', async () => {
    const named = JSON.stringify({ ...login, id: 'e-3', agentName: 'João Conceição 🎧' });
    const bytes = new TextEncoder().encode(`${file}\n${named}`);
    const expected = { ids: [] as string[], invalid: [] as InvalidLine[] };
    for await (const batch of readRecords(once(new TextDecoder().decode(bytes)), {
      onInvalid: (line) => expected.invalid.push(line) > 0,
    }))
      expected.ids.push(...batch.map((record) => record.id));
    expect(expected.ids).toEqual(['e-1', 'm-1', 'tk-1', 'e-3']);
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      const invalid: InvalidLine[] = [];
      const records = [...readRecordsSync(chunks, { onInvalid: (line) => invalid.push(line) > 0 })].flat();
      expect(
        records.map((record) => record.id),
        `chunks of ${size}`,
      ).toEqual(expected.ids);
      expect(records.at(-1)).toMatchObject({ agentName: 'João Conceição 🎧' });
      expect(invalid).toEqual(expected.invalid);
    }
  });

  it('reads chunks read into one reused buffer, dropping a byte order mark at the start only', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${file}`);
    const expected = [...readRecordsSync([file], { onInvalid: () => true })]
      .flat()
      .map((record) => record.id);
    for (const size of [5, 64, 200]) {
      // As the CLI reads a file: every chunk into the same buffer, which the reader must not keep.
      const buffer = new Uint8Array(size);
      function* reused() {
        for (let at = 0; at < bytes.length; at += size) {
          const piece = bytes.subarray(at, at + size);
          buffer.set(piece);
          yield buffer.subarray(0, piece.length);
        }
      }
      const ids = [...readRecordsSync(reused(), { onInvalid: () => true })].flat().map((record) => record.id);
      expect(ids, `chunks of ${size}`).toEqual(expected);
    }
  });

  it('stops synchronously where the caller says', () => {
    const ids = [...readRecordsSync([file], { onInvalid: () => false })].flat().map((record) => record.id);
    expect(ids).toEqual(['e-1', 'm-1']);
  });
});
