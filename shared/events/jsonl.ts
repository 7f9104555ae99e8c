import { type RecordStreamOptions, readRecords } from '../records/jsonl.ts';
import type { ActivityEvent } from './schema.ts';

/**
 * Reads JSON Lines of activity events; yields batches of valid events. Records of other kinds in
 * the same file are passed over. Blank lines are allowed.
 */
export function readEvents(
  chunks: AsyncIterable<Uint8Array | string>,
  options: Omit<RecordStreamOptions, 'kinds'>,
): AsyncGenerator<ActivityEvent[]> {
  return readRecords<ActivityEvent>(chunks, { ...options, kinds: ['activity'] });
}
