import { readEvents } from '../shared/events/jsonl.ts';
import type { ActivityEvent } from '../shared/events/schema.ts';
import type { InvalidLine } from '../shared/records/jsonl.ts';
import { type AnyRecord, kindOfType } from '../shared/records/registry.ts';
import { agentsOf, type LocalStore, rememberAgents, toChunk } from './local-store.ts';

/** Invalid lines listed in full; beyond this only their count. */
export const INVALID_LINES_LISTED = 200;
const CHUNK_EVENTS = 5_000;

export interface ImportSummary {
  fileName: string;
  kept: number;
  invalidCount: number;
  /** The first invalid lines, each with its line number and what is wrong. */
  invalid: InvalidLine[];
}

/**
 * Reads a JSON Lines file of events (the extension's export), keeps every valid event in the
 * local store to be pushed with the next sync, and lists the invalid lines. A bad line loses
 * nothing but itself.
 */
export async function importEventFile(
  store: LocalStore,
  file: Blob & { name?: string },
  onProgress: (fraction: number) => void,
): Promise<ImportSummary> {
  const fileName = file.name ?? 'events.jsonl';
  const summary: ImportSummary = { fileName, kept: 0, invalidCount: 0, invalid: [] };
  let read = 0;
  async function* bytes(): AsyncGenerator<Uint8Array> {
    const reader = file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      onProgress(read / Math.max(1, file.size));
      yield value;
    }
  }
  let waiting: ActivityEvent[] = [];
  const keep = async (events: ActivityEvent[]) => {
    await store.transaction('rw', store.pending, store.agents, async () => {
      await store.pending.add({ ...toChunk(events), source: fileName });
      await rememberAgents(store, agentsOf(events));
    });
    summary.kept += events.length;
  };
  const batches = readEvents(bytes(), {
    onInvalid(invalid) {
      summary.invalidCount++;
      if (summary.invalid.length < INVALID_LINES_LISTED) summary.invalid.push(invalid);
      return true;
    },
  });
  for await (const batch of batches) {
    for (const event of batch) waiting.push(event);
    if (waiting.length >= CHUNK_EVENTS) {
      await keep(waiting);
      waiting = [];
    }
  }
  if (waiting.length > 0) await keep(waiting);
  onProgress(1);
  return summary;
}

/**
 * Keeps imported records of any kind as pending (pushed with the next sync); activity also
 * updates the agents list. A minimal version for the CSV import: task J's replaces it at merge.
 */
export async function keepRecords(
  store: LocalStore,
  records: readonly AnyRecord[],
  source: string,
): Promise<void> {
  if (records.length === 0) return;
  const activity = records.filter(
    (record): record is ActivityEvent => kindOfType(record.type)?.name === 'activity',
  );
  await store.transaction('rw', store.pending, store.agents, async () => {
    await store.pending.add({ ...toChunk(records as readonly ActivityEvent[]), source });
    if (activity.length > 0) await rememberAgents(store, agentsOf(activity));
  });
}
