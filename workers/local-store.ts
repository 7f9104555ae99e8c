import Dexie, { type Table, type Transaction } from 'dexie';
import type { SharedModel } from '../shared/api/models.ts';
import type { ActivityEvent } from '../shared/events/schema.ts';
import type { MessagingData } from '../shared/messaging/dispatches.ts';
import {
  DamagedProjection,
  forEachProjectedMessage,
  forEachProjectedStatus,
  type MessageFacts,
  messageFacts,
  projectMessages,
  projectStatuses,
  type StatusFacts,
} from '../shared/messaging/projection.ts';
import type { BusinessNumberRecord } from '../shared/records/business-number.ts';
import type { CampaignRecord } from '../shared/records/campaign.ts';
import type { RecordKindName } from '../shared/records/kind.ts';
import type { MessageRecord } from '../shared/records/message.ts';
import type { MessageStatusRecord } from '../shared/records/message-status.ts';
import { type AnyRecord, kindOfType, RECORD_KINDS } from '../shared/records/registry.ts';
import type { TicketRecord } from '../shared/records/ticket.ts';
import type { UserRecord } from '../shared/records/user.ts';
import type { WebhookDeliveryRecord } from '../shared/records/webhook-delivery.ts';
import type { ReportFilters } from '../shared/reports/filters.ts';
import { parseInstant } from '../shared/time/iso.ts';

/**
 * A page of events as pulled (or imported), kept as one JSON array text: one IndexedDB row per
 * page instead of one per event makes reading a million events a matter of parsing text, which
 * is several times faster than cloning a million objects out of IndexedDB.
 */
export interface EventChunk {
  n?: number;
  /** Earliest and latest `at` in the chunk, epoch ms: a report reads only chunks near its period. */
  minAt: number;
  maxAt: number;
  count: number;
  /** `JSON.stringify(events)`. */
  text: string;
}

/** Imported events not yet acknowledged by the server; a report reads them too. */
export interface PendingChunk extends EventChunk {
  /** Where they came from, for the import screen ("offices.jsonl"). */
  source: string;
  /** The server's last answer when a push of this chunk failed for good (rejected events). */
  lastError?: string;
}

/**
 * A chunk of records of a kind other than activity (messages, statuses, campaigns, tickets):
 * activity keeps its own tables (`chunks`, `pending`), which the report worker reads as they are.
 */
export interface RecordChunk extends EventChunk {
  kind: Exclude<RecordKindName, 'activity'>;
}

/** Imported records of a kind other than activity, not yet acknowledged by the server. */
export interface PendingRecordChunk extends PendingChunk {
  kind: Exclude<RecordKindName, 'activity'>;
}

/**
 * For a `records` (or `pendingRecords`) row of messages or statuses, the fields the message
 * reports read, in the compact text of shared/messaging/projection.ts, written with the row in a
 * table of its own (`projections`, `pendingProjections`) under the row's key: IndexedDB reads a
 * whole value, so a report reading projections kept inside the rows would read the records' text
 * too (megabytes a row). In parts of at most `PART_CHARS`, each a projection of its own (header
 * and whole lines): Chromium keeps a value over 64 kB as a blob, which reads about twice as
 * slowly per character. No projection for a row (one the upgrade could not read, or another
 * kind): readers parse the row's `text`.
 */
export interface ProjectionRow {
  /** The key of the row projected, in `records` or `pendingRecords`. */
  n: number;
  /** Which part of the row's projection, from 0. */
  part: number;
  /** How many parts the row's projection has. */
  parts: number;
  kind: ProjectedKind;
  /** As the row's: which projections meet a period is known without reading another table. */
  minAt: number;
  maxAt: number;
  text: string;
}

/**
 * Where the pull of one kind stands: the server's cursor for the scope `kinds=<kind>` and how
 * many records of that kind the store holds (counted as pages land, so the Settings screen never
 * reads the chunks). Written in the same transaction as the page it follows.
 */
export interface KindCursor {
  kind: RecordKindName;
  cursor: string;
  count: number;
}

export interface KnownAgent {
  agentId: string;
  /** The latest name seen (DESIGN §3: the latest seen name wins). */
  name: string;
  lastAt: number;
}

export interface SavedTemplate {
  id?: number;
  name: string;
  reportId: string;
  filters: ReportFilters;
  /**
   * Saved as "the last N days": applied, the period becomes the N days ending today (in the
   * filters' zone) instead of `filters.fromDate`..`toDate`. Absent: the saved dates.
   */
  relativeDays?: number;
}

/** A named group of agents a supervisor picks in one click (kept on this machine). */
export interface Team {
  name: string;
  agentIds: string[];
}

export interface LocalFile {
  format: 'csv' | 'xlsx' | 'pdf';
  fileName: string;
  size: number;
  blob: Blob;
}

/** A job this browser ran: its files stay here, so downloads work offline. */
export interface LocalJob {
  id: string;
  reportId: string;
  title: string;
  filters: ReportFilters;
  status: 'PROCESSING' | 'READY' | 'ERROR';
  progress: number;
  error?: string;
  rowCount?: number;
  createdAt: number;
  files: LocalFile[];
  /** The job's id in the shared history, once it is there. */
  sharedId?: string;
  createdBy?: string;
}

export interface MetaEntry {
  key: string;
  value: string | number;
}

/**
 * The supervisor's local copy of the tenant's data (one database per server and tenant), read
 * by the report worker directly: events never cross the main thread.
 */
export class LocalStore extends Dexie {
  chunks!: Table<EventChunk, number>;
  pending!: Table<PendingChunk, number>;
  agents!: Table<KnownAgent, string>;
  templates!: Table<SavedTemplate, number>;
  jobs!: Table<LocalJob, string>;
  meta!: Table<MetaEntry, string>;
  teams!: Table<Team, string>;
  records!: Table<RecordChunk, number>;
  pendingRecords!: Table<PendingRecordChunk, number>;
  cursors!: Table<KindCursor, RecordKindName>;
  projections!: Table<ProjectionRow, ProjectionKey>;
  pendingProjections!: Table<ProjectionRow, ProjectionKey>;
  /** The team's shared models as last fetched (pwa/src/app/models.ts): they apply offline. */
  sharedModels!: Table<SharedModel, string>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      chunks: '++n, maxAt',
      pending: '++n',
      agents: 'agentId',
      templates: '++id, reportId',
      jobs: 'id, createdAt',
      meta: 'key',
    });
    this.version(2).stores({ teams: 'name' });
    // Every kind of record (issue 10): the other kinds get their own chunks, and the single
    // cursor becomes one per kind. Cursors stay in this database rather than a separate
    // key-value store (idb-keyval) because each is written in the same transaction as the page it
    // follows: a cursor saved apart from its page would, after a crash between the two, store a
    // page twice or skip one.
    this.version(3)
      .stores({ records: '++n, [kind+maxAt]', pendingRecords: '++n, kind', cursors: 'kind' })
      .upgrade(upgradeToPerKindCursors);
    this.version(4).stores({ sharedModels: 'id, reportId' });
    // Issue 11: version 5 kept a projection inside each message and status row (its upgrade,
    // now gone, computed them); version 6 keeps them in tables of their own (`ProjectionRow`).
    this.version(5).stores({});
    this.version(6)
      .stores({ projections: '[n+part]', pendingProjections: '[n+part]' })
      .upgrade(moveProjections);
  }
}

/** A `ProjectionRow`'s key: its row's key and its part. */
type ProjectionKey = [n: number, part: number];

/** Characters of projection text per `ProjectionRow`: under 64 kB even at two bytes a character. */
const PART_CHARS = 30_000;

/** The kinds whose chunks keep a projection. */
const PROJECTED_KINDS = ['message', 'message_status'] as const;
export type ProjectedKind = (typeof PROJECTED_KINDS)[number];
const isProjected = (kind: RecordKindName): kind is ProjectedKind =>
  (PROJECTED_KINDS as readonly string[]).includes(kind);

/** The projection of a chunk's records when their kind keeps one. */
export function projectionOf(kind: RecordKindName, records: readonly AnyRecord[]): string | undefined {
  if (kind === 'message') return projectMessages(records as readonly MessageRecord[]);
  if (kind === 'message_status') return projectStatuses(records as readonly MessageStatusRecord[]);
  return undefined;
}

/**
 * Version 6: each message and status row's projection goes to its own table, from the row where
 * version 5 kept it, or computed from the row's text when it has none (a database upgraded
 * from version 4 or earlier: version 5's upgrade is not run any more). A row whose text does not
 * parse gets none: reading it says the copy is damaged, as before.
 */
async function moveProjections(tx: Transaction): Promise<void> {
  for (const [rowTable, projectionTable] of [
    ['records', 'projections'],
    ['pendingRecords', 'pendingProjections'],
  ] as const) {
    const rows = tx.table<RecordChunk & { projection?: string }, number>(rowTable);
    const keys = await rows.toCollection().primaryKeys();
    // A few rows at a time: a month of statuses is hundreds of megabytes of text.
    for (let start = 0; start < keys.length; start += READ_BATCH) {
      const stripped: RecordChunk[] = [];
      const projections: ProjectionRow[][] = [];
      for (const row of await rows.bulkGet(keys.slice(start, start + READ_BATCH))) {
        if (!row) continue;
        const { projection, ...rest } = row;
        if (projection !== undefined) stripped.push(rest);
        if (!isProjected(row.kind)) continue;
        const text = projection ?? projectionOfText(row.kind, row.text);
        if (text !== undefined)
          projections.push(
            projectionParts({ kind: row.kind, minAt: row.minAt, maxAt: row.maxAt }, row.n!, text),
          );
      }
      await rows.bulkPut(stripped);
      await tx.table<ProjectionRow, ProjectionKey>(projectionTable).bulkAdd(projections.flat());
    }
  }
}

/** The projection of a row's records from its text; `undefined` when the text is not theirs. */
function projectionOfText(kind: ProjectedKind, text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? projectionOf(kind, parsed as AnyRecord[]) : undefined;
  } catch {
    // Not JSON, or records without the fields a projection reads: the reports read the records, and say what is wrong.
    return undefined;
  }
}

/** Version 2 kept activity's cursor and count in `meta`; they become activity's `cursors` row. */
async function upgradeToPerKindCursors(tx: Transaction): Promise<void> {
  const meta = tx.table<MetaEntry, string>('meta');
  const [cursor, count] = await meta.bulkGet(['cursor', 'eventCount']);
  if (cursor !== undefined) {
    await tx.table<KindCursor, RecordKindName>('cursors').put({
      kind: 'activity',
      cursor: String(cursor.value),
      count: Number(count?.value ?? 0),
    });
  }
  await meta.bulkDelete(['cursor', 'eventCount']);
}

/** One database per server and tenant, so two accounts never mix their data. */
export function localStoreName(serverOrigin: string, tenantId: string): string {
  return `pontual-supervisor:${serverOrigin}:${tenantId}`;
}

/**
 * A chunk for these records (in the order given). `text`: their JSON array text when it is at
 * hand already (a pull page as the server sent it), so that it is not written out again.
 */
export function toChunk(events: readonly AnyRecord[], text?: string): EventChunk {
  let minAt = Number.POSITIVE_INFINITY;
  let maxAt = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    const at = Date.parse(event.at);
    if (at < minAt) minAt = at;
    if (at > maxAt) maxAt = at;
  }
  return { minAt, maxAt, count: events.length, text: text ?? recordsJson(events) };
}

/** Records per `JSON.stringify` call in {@link recordsJson}. */
const STRINGIFY_SLICE = 128;

/**
 * `JSON.stringify(records)`, the very same text, written a slice of records at a time: in a
 * Chromium worker one call whose output runs to megabytes is several times slower per byte than
 * many small ones (100,000 message records: 1.0–1.7 s in one call, 0.4–0.6 s in slices), and a
 * 5,000-record chunk is such a call (the CSV import writes hundreds of them).
 */
export function recordsJson(records: readonly unknown[]): string {
  if (records.length <= STRINGIFY_SLICE) return JSON.stringify(records);
  const parts: string[] = [];
  for (let at = 0; at < records.length; at += STRINGIFY_SLICE)
    parts.push(JSON.stringify(records.slice(at, at + STRINGIFY_SLICE)));
  // Each slice's own brackets dropped but the outer two, so one join makes the whole text flat
  // (IndexedDB would otherwise flatten a concatenation, one more copy of megabytes).
  const last = parts.length - 1;
  parts[0] = parts[0]!.slice(0, -1);
  parts[last] = parts[last]!.slice(1);
  for (let index = 1; index < last; index++) parts[index] = parts[index]!.slice(1, -1);
  return parts.join(',');
}

/** The agents these events name, with the latest name each. */
export function agentsOf(events: readonly ActivityEvent[]): Map<string, KnownAgent> {
  const agents = new Map<string, KnownAgent>();
  for (const event of events) {
    const at = Date.parse(event.at);
    const known = agents.get(event.agentId);
    if (!known || at >= known.lastAt)
      agents.set(event.agentId, { agentId: event.agentId, name: event.agentName, lastAt: at });
  }
  return agents;
}

/** Adds the agents to the store, keeping the latest name of each. */
export async function rememberAgents(store: LocalStore, found: Map<string, KnownAgent>): Promise<void> {
  const stored = await store.agents.bulkGet([...found.keys()]);
  const changed: KnownAgent[] = [];
  for (const [index, agent] of [...found.values()].entries()) {
    const before = stored[index];
    if (!before || agent.lastAt >= before.lastAt) changed.push(agent);
  }
  if (changed.length > 0) await store.agents.bulkPut(changed);
}

/** The record type each kind's chunks hold. */
export interface RecordsByKind {
  activity: ActivityEvent;
  message: MessageRecord;
  message_status: MessageStatusRecord;
  campaign: CampaignRecord;
  ticket: TicketRecord;
  webhook_delivery: WebhookDeliveryRecord;
  user: UserRecord;
  business_number: BusinessNumberRecord;
}

const DAY_MS = 86_400_000;
/** Chunks fetched from IndexedDB at once when reading: few round trips, bounded memory. */
const READ_BATCH = 16;

/**
 * Stores one pulled page of one kind: activity into `chunks` (and its agents), the others into
 * `records` (messages and statuses with their projection), and counts them. Call inside a
 * transaction over `storeTables(store)`.
 */
export async function addChunk(
  store: LocalStore,
  kind: RecordKindName,
  records: readonly AnyRecord[],
  text?: string,
) {
  if (records.length === 0) return;
  if (kind === 'activity') {
    const events = records as readonly ActivityEvent[];
    await store.chunks.add(toChunk(events, text));
    await rememberAgents(store, agentsOf(events));
  } else {
    const chunk = recordChunk(kind, records, text);
    await store.projections.bulkAdd(projectionRows(chunk, records, await store.records.add(chunk)));
  }
  await countChange(store, kind, records.length);
}

/** The `records` row for these records of one kind (other than activity). */
export function recordChunk(
  kind: RecordChunk['kind'],
  records: readonly AnyRecord[],
  text?: string,
): RecordChunk {
  return { ...toChunk(records, text), kind };
}

/** The projection of row `n` holding these records, in parts; none when their kind keeps none. */
export function projectionRows(
  chunk: RecordChunk,
  records: readonly AnyRecord[],
  n: number,
): ProjectionRow[] {
  if (!isProjected(chunk.kind)) return [];
  const text = projectionOf(chunk.kind, records);
  const { kind, minAt, maxAt } = chunk;
  return text === undefined ? [] : projectionParts({ kind, minAt, maxAt }, n, text);
}

/** A projection's text cut at line ends into parts of at most `PART_CHARS`, each behind the header. */
function projectionParts(
  of: Pick<ProjectionRow, 'kind' | 'minAt' | 'maxAt'>,
  n: number,
  text: string,
): ProjectionRow[] {
  const headerEnd = text.indexOf('\n');
  const header = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const texts: string[] = [];
  let start = headerEnd < 0 ? text.length : headerEnd + 1;
  do {
    let end = text.length;
    if (start + PART_CHARS < text.length) {
      // The last line end within the limit; a line longer than the limit is a part of its own.
      end = text.lastIndexOf('\n', start + PART_CHARS);
      if (end < start) end = text.indexOf('\n', start + PART_CHARS);
      if (end < 0) end = text.length;
    }
    texts.push(`${header}\n${text.slice(start, end)}`);
    start = end + 1;
  } while (start < text.length);
  return texts.map((part, index) => ({ n, part: index, parts: texts.length, ...of, text: part }));
}

/** The tables a page (chunk, agents, cursor, `syncedAt`) is written to, in one transaction. */
export function storeTables(store: LocalStore) {
  return [store.chunks, store.records, store.projections, store.agents, store.cursors, store.meta];
}

async function countChange(store: LocalStore, kind: RecordKindName, delta: number): Promise<void> {
  const before = await store.cursors.get(kind);
  await store.cursors.put({
    kind,
    cursor: before?.cursor ?? '0',
    count: Math.max(0, (before?.count ?? 0) + delta),
  });
}

/** Where the pull of `kind` stands (`'0'`: from the start). */
export async function cursorOf(store: LocalStore, kind: RecordKindName): Promise<string> {
  return (await store.cursors.get(kind))?.cursor ?? '0';
}

export async function setCursor(store: LocalStore, kind: RecordKindName, cursor: string): Promise<void> {
  const before = await store.cursors.get(kind);
  await store.cursors.put({ kind, cursor, count: before?.count ?? 0 });
}

/**
 * Keeps records of any kind (an import) as pending, to be pushed with the next sync; reports
 * read them meanwhile. Activity also updates the agents list. One chunk per kind, one
 * transaction for all.
 */
export async function keepPendingRecords(
  store: LocalStore,
  records: readonly AnyRecord[],
  source: string,
): Promise<void> {
  const byKind = groupByKind(records);
  if (byKind.size === 0) return;
  const tables = [store.pending, store.pendingRecords, store.pendingProjections, store.agents];
  await store.transaction('rw', tables, async () => {
    for (const [kind, ofKind] of byKind) {
      if (kind === 'activity') {
        const events = ofKind as ActivityEvent[];
        await store.pending.add({ ...toChunk(events), source });
        await rememberAgents(store, agentsOf(events));
      } else {
        const chunk = { ...recordChunk(kind, ofKind), source };
        await store.pendingProjections.bulkAdd(
          projectionRows(chunk, ofKind, await store.pendingRecords.add(chunk)),
        );
      }
    }
  });
}

/** Records grouped by their kind, each group in the order given. */
export function groupByKind(records: readonly AnyRecord[]): Map<RecordKindName, AnyRecord[]> {
  const byKind = new Map<RecordKindName, AnyRecord[]>();
  for (const record of records) {
    const kind = kindOfType(record.type)?.name;
    if (kind === undefined)
      throw new Error(`record ${record.id}: type "${record.type}" is no kind of record`);
    let group = byKind.get(kind);
    if (!group) {
      group = [];
      byKind.set(kind, group);
    }
    group.push(record);
  }
  return byKind;
}

export interface LocalPeriod {
  /** Epoch ms, inclusive; from the start when not given. */
  from?: number;
  /** Epoch ms, exclusive; to the end when not given. */
  to?: number;
}

/**
 * The local records of one kind whose `at` is in the period (pulled and imported alike), in
 * batches (one per stored chunk): a report worker reads millions without holding them twice.
 * Only chunks whose [minAt, maxAt] meets the period are read. A damaged chunk is an error that
 * says where and what to do.
 */
export async function* readLocalRecords<K extends RecordKindName>(
  store: LocalStore,
  kind: K,
  period: LocalPeriod = {},
): AsyncGenerator<RecordsByKind[K][]> {
  for await (const { chunk, where, from, to } of localChunks(store, kind, period)) {
    const batch = recordsIn<RecordsByKind[K]>(chunk, where, from, to);
    if (batch.length > 0) yield batch;
  }
}

/**
 * The local records of these kinds stored after the rows `since` names (its `records` and
 * `pendingRecords` keys: each table numbers its rows in the order they are stored), in batches,
 * each with the keys to pass next time: what a reader that keeps a running summary (the filters'
 * choices) has not seen yet, without reading again what it has.
 */
export async function* readRecordsStoredAfter(
  store: LocalStore,
  kinds: ReadonlySet<RecordKindName>,
  since: { records: number; pending: number },
): AsyncGenerator<{ batch: AnyRecord[]; seen: { records: number; pending: number } }> {
  const seen = { ...since };
  for (const [table, key] of [
    [store.records, 'records'],
    [store.pendingRecords, 'pending'],
  ] as const) {
    const keys = (await table.where('n').above(since[key]).primaryKeys()) as number[];
    for await (const [n, chunk] of rowsByKey<RecordChunk | PendingRecordChunk>(table, keys)) {
      seen[key] = n;
      if (!chunk || !kinds.has(chunk.kind)) continue;
      const where = 'source' in chunk ? `imported ${chunk.source}` : `${chunk.kind} chunk ${n}`;
      yield {
        batch: recordsIn<AnyRecord>(chunk, where, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY),
        seen: { ...seen },
      };
    }
  }
}

/** The rows of these keys, in their order, read `READ_BATCH` at a time; `undefined` for a row gone. */
async function* rowsByKey<R>(
  table: Table<R, number>,
  keys: readonly number[],
): AsyncGenerator<[number, R | undefined]> {
  for (let start = 0; start < keys.length; start += READ_BATCH) {
    const rows = await table.bulkGet(keys.slice(start, start + READ_BATCH));
    for (const [index, row] of rows.entries()) yield [keys[start + index]!, row];
  }
}

/**
 * The projections of these rows, in their order, each as its parts in order, read `READ_BATCH`
 * rows at a time (the first parts, then the others); `undefined` for a row with none, or with
 * a part missing.
 */
async function* projectionsByKey(
  table: Table<ProjectionRow, ProjectionKey>,
  keys: readonly number[],
): AsyncGenerator<[number, ProjectionRow[] | undefined]> {
  for (let start = 0; start < keys.length; start += READ_BATCH) {
    const batch = keys.slice(start, start + READ_BATCH);
    const firsts = await table.bulkGet(batch.map((n): ProjectionKey => [n, 0]));
    const others = await table.bulkGet(
      firsts.flatMap((first) =>
        first
          ? Array.from({ length: first.parts - 1 }, (_, index): ProjectionKey => [first.n, index + 1])
          : [],
      ),
    );
    let next = 0;
    for (const [index, first] of firsts.entries()) {
      if (!first) {
        yield [batch[index]!, undefined];
        continue;
      }
      const parts = [first, ...others.slice(next, next + first.parts - 1)];
      next += first.parts - 1;
      yield [first.n, parts.every((part) => part !== undefined) ? (parts as ProjectionRow[]) : undefined];
    }
  }
}

/** The stored chunks of one kind that meet the period (pulled, then imported), with where each is. */
async function* localChunks(
  store: LocalStore,
  kind: RecordKindName,
  period: LocalPeriod,
): AsyncGenerator<{ chunk: EventChunk; where: string; from: number; to: number }> {
  const from = period.from ?? Number.NEGATIVE_INFINITY;
  const to = period.to ?? Number.POSITIVE_INFINITY;
  const meets = (chunk: EventChunk) => chunk.maxAt >= from && chunk.minAt < to;
  const keys =
    kind === 'activity'
      ? await store.chunks.where('maxAt').aboveOrEqual(from).primaryKeys()
      : await store.records
          .where('[kind+maxAt]')
          .between([kind, from], [kind, Number.POSITIVE_INFINITY], true, true)
          .primaryKeys();
  const table: Table<EventChunk, number> = kind === 'activity' ? store.chunks : store.records;
  for await (const [n, chunk] of rowsByKey(table, keys as number[]))
    if (chunk && meets(chunk)) yield { chunk, where: `${kind} chunk ${n}`, from, to };
  const pending =
    kind === 'activity'
      ? await store.pending.toArray()
      : await store.pendingRecords.where('kind').equals(kind).toArray();
  for (const chunk of pending) if (meets(chunk)) yield { chunk, where: `imported ${chunk.source}`, from, to };
}

/**
 * Adds the local messages or statuses in the period to `data`, from the projections of their rows
 * (shared/messaging/projection.ts) where they have one, else from their records. Messages so
 * added are known by their facts only (`MessagingData.addMessageFacts`): for a report that reads
 * none of their other fields. Returns how many were read.
 */
export async function gatherLocalMessaging(
  store: LocalStore,
  data: MessagingData,
  kind: ProjectedKind,
  period: LocalPeriod = {},
): Promise<number> {
  const from = period.from ?? Number.NEGATIVE_INFINITY;
  const to = period.to ?? Number.POSITIVE_INFINITY;
  const meets = (row: { minAt: number; maxAt: number }) => row.maxAt >= from && row.minAt < to;
  let count = 0;
  const addStatus = (facts: StatusFacts) => {
    data.addStatus(facts);
    count++;
  };
  const addMessage = (facts: MessageFacts) => {
    data.addMessageFacts(facts);
    count++;
  };
  // The rows' keys come from the rows' tables: a projection whose row is gone (a pending row
  // deleted once the pull brought its records back) is never read.
  const sources = [
    {
      rows: store.records,
      projections: store.projections,
      keys: await store.records
        .where('[kind+maxAt]')
        .between([kind, from], [kind, Number.POSITIVE_INFINITY], true, true)
        .primaryKeys(),
    },
    {
      rows: store.pendingRecords,
      projections: store.pendingProjections,
      keys: await store.pendingRecords.where('kind').equals(kind).primaryKeys(),
    },
  ];
  for (const { rows, projections, keys } of sources) {
    for await (const [n, parts] of projectionsByKey(projections, keys)) {
      if (parts) {
        if (!meets(parts[0]!)) continue;
        try {
          for (const { text } of parts) {
            if (kind === 'message_status') forEachProjectedStatus(text, from, to, addStatus);
            else forEachProjectedMessage(text, from, to, addMessage);
          }
          continue;
        } catch (error) {
          if (!(error instanceof DamagedProjection)) throw error;
          // Read the records instead: what was added twice is the same records, which count once.
        }
      }
      const chunk: RecordChunk | PendingRecordChunk | undefined = await rows.get(n);
      if (!chunk || !meets(chunk)) continue;
      const where = 'source' in chunk ? `imported ${chunk.source}` : `${kind} chunk ${n}`;
      for (const record of recordsIn<AnyRecord>(chunk, where, from, to)) {
        if (kind === 'message' && record.type === 'message') data.addMessageFacts(messageFacts(record));
        else data.add(record);
        count++;
      }
    }
  }
  return count;
}

function recordsIn<R extends AnyRecord>(chunk: EventChunk, where: string, from: number, to: number): R[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(chunk.text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed))
    throw new Error(
      `the local copy of the data is damaged (${where}): use "Clear local data" in Settings and sync again`,
    );
  const records = parsed as R[];
  if (chunk.minAt >= from && chunk.maxAt < to) return records;
  return records.filter((record) => {
    const at = parseInstant(record.at);
    return at >= from && at < to;
  });
}

/**
 * Drops the records older than each kind's `keepLocallyDays` (DESIGN §9: messages and statuses
 * 90 days), whole chunks by their newest record, so a chunk straddling the limit stays until all
 * of it is old, with their projections. Pending (not yet pushed) records are never dropped; the
 * projections of pending rows the sync deleted are. Returns how many records went, per kind.
 */
export async function dropExpired(store: LocalStore, now: number): Promise<Map<RecordKindName, number>> {
  const dropped = new Map<RecordKindName, number>();
  const tables = [store.chunks, store.records, store.projections, store.cursors, store.pendingRecords];
  await store.transaction('rw', [...tables, store.pendingProjections], async () => {
    for (const kind of RECORD_KINDS) {
      const limit = now - kind.keepLocallyDays * DAY_MS;
      const expired =
        kind.name === 'activity'
          ? store.chunks.where('maxAt').below(limit)
          : store.records
              .where('[kind+maxAt]')
              .between([kind.name, Number.NEGATIVE_INFINITY], [kind.name, limit]);
      let count = 0;
      await expired.each((chunk) => {
        count += chunk.count;
      });
      if (count === 0) continue;
      if (kind.name !== 'activity')
        for (const n of await expired.primaryKeys())
          await store.projections.where('[n+part]').between([n, 0], [n, Infinity]).delete();
      await expired.delete();
      await countChange(store, kind.name, -count);
      dropped.set(kind.name, count);
    }
    // The projections of pending rows the sync deleted (their records came back with the pull).
    const pending = new Set(await store.pendingRecords.toCollection().primaryKeys());
    await store.pendingProjections.bulkDelete(
      (await store.pendingProjections.toCollection().primaryKeys()).filter(([n]) => !pending.has(n)),
    );
  });
  return dropped;
}

/** What the store holds per kind (for Settings): records kept and for how long. */
export async function kindCounts(
  store: LocalStore,
): Promise<{ kind: RecordKindName; count: number; keepLocallyDays: number }[]> {
  const cursors = await store.cursors.bulkGet(RECORD_KINDS.map((kind) => kind.name));
  return RECORD_KINDS.map((kind, index) => ({
    kind: kind.name,
    count: cursors[index]?.count ?? 0,
    keepLocallyDays: kind.keepLocallyDays,
  }));
}
