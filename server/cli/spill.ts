import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import { hashString } from '../../shared/ids/hash.ts';
import { READ_CHUNK_BYTES } from '../../shared/records/jsonl.ts';
import type { RecordEnvelope, RecordKindName } from '../../shared/records/kind.ts';
import { type AnyRecord, kindOfType } from '../../shared/records/registry.ts';
import { mergeColumns, rowRemapper } from '../../shared/reports/merge.ts';
import type {
  Column,
  ReportDefinition,
  ReportParams,
  ReportPartition,
  ReportResult,
  Row,
} from '../../shared/reports/types.ts';

/** Roughly what one parsed event costs on the heap, with its share of the engine's work. */
const BYTES_PER_EVENT = 1_000;
const PARTITIONS = 64;
const WRITE_BUFFER = 256 * 1024;

/** As many events as fit in a third of the heap. */
export function defaultMemoryEvents(): number {
  return Math.max(10_000, Math.floor(getHeapStatistics().heap_size_limit / 3 / BYTES_PER_EVENT));
}

/**
 * Which partitions a record goes to, by what the report declares (`ReportDefinition.partition`):
 * records with the same key (agent, contact, campaign, ticket) share one; for `totals` any split
 * works, so by the record's own id. A record whose kind has no such key (say, the campaigns a
 * report by contact looks names up in) is reference data every part needs: it goes to them all.
 */
export function partitionsOf(
  partition: ReportPartition,
  record: SpooledRecord,
  messagePartition?: ReadonlyMap<string, number>,
): number | 'all' | 'unplaced' {
  if (partition === 'totals') return hashString(record.id) % PARTITIONS;
  const key = kindOfType(record.type)?.keys[partition];
  if (!key) return 'all';
  const value = key(record as never);
  if (value !== undefined) return hashString(value) % PARTITIONS;
  // A delivery status that does not name its contact goes where its message went; until the
  // message is seen it waits (`unplaced`), and one never seen is a message of its own.
  const messageId = (record as { messageId?: string }).messageId;
  if (messageId !== undefined && messagePartition) return messagePartition.get(messageId) ?? 'unplaced';
  return hashString('') % PARTITIONS;
}

/**
 * The fields shared among many records: agents' ids, names, addresses and sessions on activity
 * events; numbers, campaigns, templates and their texts on messaging records.
 */
const INTERNED = [
  'agentId',
  'agentName',
  'ip',
  'sessionId',
  'deviceId',
  'contact',
  'business',
  'campaignId',
  'templateId',
  'templateName',
  'text',
  'user',
  'subaccount',
  'providerStatus',
  'costCentre',
  'currency',
] as const;
type InternedField = (typeof INTERNED)[number];

/**
 * Of those, the ones each kind declares: a record is looked up only for fields it can have (a
 * lookup of a missing property on records of many shapes was most of the interning's time).
 */
const INTERNED_BY_KIND: Partial<Record<RecordKindName, readonly InternedField[]>> = {
  activity: ['agentId', 'agentName', 'ip', 'sessionId', 'deviceId'],
  message: [
    'contact',
    'business',
    'campaignId',
    'templateId',
    'templateName',
    'text',
    'agentId',
    'agentName',
    'user',
    'subaccount',
    'costCentre',
    'currency',
  ],
  message_status: ['providerStatus', 'contact', 'business'],
  campaign: ['campaignId', 'business', 'templateId', 'templateName'],
  ticket: ['contact', 'business', 'agentId', 'agentName'],
};

/** What the spool needs of a record: every kind has these (`RecordEnvelope`). */
type SpooledRecord = AnyRecord & RecordEnvelope;

/** Appends lines to a file through a buffer, with plain synchronous writes. */
class LineFile {
  private buffer = '';
  private readonly fd: number;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(line: string): void {
    this.buffer += `${line}\n`;
    if (this.buffer.length > WRITE_BUFFER) this.flush();
  }
  flush(): void {
    if (this.buffer !== '') writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Reads a file a line at a time without loading it whole. */
function* readLinesSync(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(READ_CHUNK_BYTES);
  let carry = '';
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      const lines = (carry + chunk.toString('utf8', 0, read)).split('\n');
      carry = lines.pop() ?? '';
      yield* lines;
    }
    if (carry !== '') yield carry;
  } finally {
    closeSync(fd);
  }
}

/** A partition's records, back from its file. */
function readSpooled(path: string): ActivityEvent[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ActivityEvent);
}

/** A min-heap merge of sorted row streams. Ties go to the earlier stream, so it is stable. */
function* mergeSorted(streams: Iterator<Row>[], compare: (a: Row, b: Row) => number): Generator<Row> {
  const heads: { row: Row; stream: number }[] = [];
  const less = (a: (typeof heads)[number], b: (typeof heads)[number]) => {
    const order = compare(a.row, b.row);
    return order < 0 || (order === 0 && a.stream < b.stream);
  };
  const push = (item: (typeof heads)[number]) => {
    heads.push(item);
    for (let i = heads.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!less(heads[i]!, heads[parent]!)) break;
      [heads[i], heads[parent]] = [heads[parent]!, heads[i]!];
      i = parent;
    }
  };
  const pop = () => {
    const top = heads[0]!;
    const last = heads.pop()!;
    if (heads.length > 0) {
      heads[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < heads.length && less(heads[left]!, heads[least]!)) least = left;
        if (right < heads.length && less(heads[right]!, heads[least]!)) least = right;
        if (least === i) break;
        [heads[i], heads[least]] = [heads[least]!, heads[i]!];
        i = least;
      }
    }
    return top;
  };
  streams.forEach((stream, index) => {
    const next = stream.next();
    if (!next.done) push({ row: next.value, stream: index });
  });
  while (heads.length > 0) {
    const { row, stream } = pop();
    yield row;
    const next = streams[stream]!.next();
    if (!next.done) push({ row: next.value, stream });
  }
}

/**
 * Holds a report's input records, in memory while they fit, else in partitions on disk split as
 * the report declares (by agent, contact…): each partition is computed alone (a report over some
 * agents gives exactly their rows) and the sorted partial results are merged, or for `totals`
 * combined by the report, so a file far larger than memory gives the same output.
 */
export class EventSpool {
  private events: AnyRecord[] = [];
  private partitions: LineFile[] | undefined;
  /** By contact: the partition of each message seen, for the statuses that do not name a contact. */
  private readonly messagePartition = new Map<string, number>();
  /** Statuses spilled before their message was seen: placed once it is, or at the end. */
  private unplaced: AnyRecord[] = [];
  private directory: string | undefined;

  constructor(
    readonly report: ReportDefinition,
    private readonly memoryEvents: number,
  ) {}

  private readonly strings = new Map<string, string>();
  /**
   * Agents' ids, names, addresses and sessions repeat on every line; sharing one copy of each keeps
   * the held events at about half the memory, and spares the garbage collector copying the rest.
   */
  intern<R extends AnyRecord>(event: R): R {
    const record = event as unknown as Record<string, unknown>;
    const type = record.type as string;
    let fields = this.internedByType.get(type);
    if (fields === undefined) {
      const kind = kindOfType(type)?.name;
      fields = (kind && INTERNED_BY_KIND[kind]) || INTERNED;
      this.internedByType.set(type, fields);
    }
    for (const field of fields) {
      const value = record[field];
      if (typeof value !== 'string') continue;
      const known = this.strings.get(value);
      if (known === undefined) this.strings.set(value, value);
      else record[field] = known;
    }
    return event;
  }
  private readonly internedByType = new Map<string, readonly InternedField[]>();

  /** The kinds of record the report reads. */
  get reads() {
    return this.report.reads;
  }

  get spilled(): boolean {
    return this.partitions !== undefined;
  }

  add(batch: readonly AnyRecord[]): void {
    for (const event of batch) this.events.push(this.intern(event));
    if (this.events.length >= this.memoryEvents) this.spill();
  }

  private spill(): void {
    if (!this.partitions) {
      this.directory = mkdtempSync(join(tmpdir(), 'pontual-'));
      const directory = this.directory;
      this.partitions = Array.from(
        { length: PARTITIONS },
        (_, index) => new LineFile(join(directory, `events-${index}`)),
      );
    }
    const byContact = this.report.partition === 'contact';
    if (byContact)
      for (const event of this.events) {
        const record = event as unknown as { type: string; messageId?: string; contact?: string };
        if (record.type === 'message' && record.messageId !== undefined && record.contact !== undefined)
          this.messagePartition.set(record.messageId, hashString(record.contact) % PARTITIONS);
      }
    const waiting = this.unplaced;
    this.unplaced = [];
    for (const event of [...waiting, ...this.events]) {
      const target = partitionsOf(
        this.report.partition,
        event,
        byContact ? this.messagePartition : undefined,
      );
      if (target === 'unplaced') {
        this.unplaced.push(event);
        continue;
      }
      const line = JSON.stringify(event);
      if (target === 'all') for (const partition of this.partitions) partition.write(line);
      else this.partitions[target]!.write(line);
    }
    this.events = [];
  }

  /** Computes the report; the rows arrive in the report's order. Call `dispose` afterwards. */
  result(params: ReportParams): {
    columns: Column[];
    rows: Iterable<Row>;
    transcript?: ReportResult['transcript'];
  } {
    if (!this.partitions) {
      const result = this.report.compute(this.events, params);
      this.events = [];
      return result;
    }
    this.spill();
    // Statuses whose message never came are messages of their own, kept apart by their id.
    for (const event of this.unplaced) {
      const messageId = (event as unknown as { messageId: string }).messageId;
      this.partitions[hashString(messageId) % PARTITIONS]!.write(JSON.stringify(event));
    }
    this.unplaced = [];
    // A report that combines its parts' results (totals, counts by contact) gets one result.
    if (this.report.combine || this.report.partition === 'totals') return this.combined(params);
    const parts: { file: string; columns: Column[] }[] = [];
    // One conversation's transcript (`ticket-detail`) is whole in the one part that holds its ticket.
    let transcript: ReportResult['transcript'];
    for (const partition of this.partitions) {
      partition.close();
      const events = readSpooled(partition.path);
      rmSync(partition.path);
      const { columns, rows, transcript: partTranscript } = this.report.compute(events, params);
      transcript ??= partTranscript;
      const rowFile = new LineFile(`${partition.path}.rows`);
      for (const row of rows) rowFile.write(JSON.stringify(row));
      rowFile.close();
      parts.push({ file: rowFile.path, columns });
    }
    // Every part computed the same run: when they agree on the columns (a report whose columns
    // depend on a filter, as messages-detailed on MO), those are the result's.
    const sameColumns = parts.every(
      (part) => part.columns.map((c) => c.key).join('\n') === parts[0]!.columns.map((c) => c.key).join('\n'),
    );
    const columns = sameColumns
      ? parts[0]!.columns
      : mergeColumns(
          this.report,
          parts.map((part) => part.columns),
        );
    const streams = parts.map((part) => {
      const remap = rowRemapper(part.columns, columns);
      return (function* () {
        for (const line of readLinesSync(part.file)) if (line !== '') yield remap(JSON.parse(line) as Row);
      })();
    });
    return { columns, rows: mergeSorted(streams, this.report.compareRows), transcript };
  }

  /** `totals`: every partition's result, combined by the report into one. */
  private combined(params: ReportParams): ReportResult {
    const combine = this.report.combine;
    if (!combine) throw new Error(`the ${this.report.id} report partitions by totals but has no combine()`);
    const results: ReportResult[] = [];
    for (const partition of this.partitions!) {
      partition.close();
      results.push(this.report.compute(readSpooled(partition.path), params));
      rmSync(partition.path);
    }
    return combine(results, params);
  }

  dispose(): void {
    if (this.directory) rmSync(this.directory, { recursive: true, force: true });
  }
}
