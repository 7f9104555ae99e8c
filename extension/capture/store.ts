import Dexie, { type Table } from 'dexie';
import { type ActivityEvent, validateEvent } from '../../shared/events/schema.ts';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import type { MessageRecord } from '../../shared/records/message.ts';
import { validateRecord } from '../../shared/records/registry.ts';
import type { TicketRecord } from '../../shared/records/ticket.ts';
import { type AnySignal, type CaptureSignal, RECORD_SIGNAL_TYPES, type RecordSignal } from './signals.ts';

/**
 * What the outbox holds and pushes: activity events, and the ticket steps and messages read from
 * the attendance screen (docs/capture.md, "Tickets and messages").
 */
export type CapturedRecord = ActivityEvent | TicketRecord | MessageRecord;

/**
 * Where an event stands with the server (a number: an index on booleans is not allowed in
 * IndexedDB): 0 waiting to be pushed; 1 the server has it (accepted, or a duplicate of one it
 * had); 2 set aside: the server refused it (invalid, an agent this device is not enrolled for,
 * or found by splitting a batch the server kept refusing), kept locally with the reason and not
 * pushed again until someone chooses "Try again" (`retrySetAside`).
 */
export type SyncMark = 0 | 1 | 2;
export const WAITING: SyncMark = 0;
export const SYNCED: SyncMark = 1;
export const REJECTED: SyncMark = 2;

/** A record as the extension keeps it: the record itself, and whether the server has it. */
export type StoredEvent = CapturedRecord & {
  /** The content script's key of the signal it came from, so a resend is stored once. */
  captureKey: string;
  synced: SyncMark;
  /** Why the server refused it, in the server's words (`synced` 2 only). */
  syncError?: string;
  /**
   * The HTTP status of the answer that refused it (`synced` 2 only): 200 when the server refused
   * this one event of a batch it took, 4xx or 500 when it refused a request holding it alone.
   */
  syncStatus?: number;
  /** When it was set aside (ms; `synced` 2 only). */
  setAsideAt?: number;
};

export type MetaValue = string | number;

interface Meta {
  key: string;
  value: MetaValue;
}

export class CaptureDatabase extends Dexie {
  events!: Table<StoredEvent, string>;
  meta!: Table<Meta, string>;

  constructor(name = 'pontual-capture') {
    super(name);
    this.version(1).stores({
      events: 'id, at, &captureKey, synced, sessionId',
      meta: 'key',
    });
  }
}

export interface SignalContext {
  /** The agent's address as the server last told it; empty when unknown. */
  ip: string;
}

/** Strips what only the store needs, giving the record as pushed (an event of DESIGN §3, …). */
export function toRecord(stored: StoredEvent): CapturedRecord {
  const {
    captureKey: _key,
    synced: _synced,
    syncError: _error,
    syncStatus: _status,
    setAsideAt: _setAsideAt,
    ...event
  } = stored;
  return event as CapturedRecord;
}

const isActivity = (record: CapturedRecord): record is ActivityEvent =>
  record.type !== 'ticket' && record.type !== 'message';

/** The event a captured signal makes, as this device's `seq`-th. */
function eventOf(signal: CaptureSignal, context: SignalContext, deviceId: string, seq: number) {
  return {
    id: uuidv7(signal.observedAt),
    type: signal.type,
    at: new Date(signal.observedAt).toISOString(),
    agentId: signal.agentId,
    agentName: signal.agentName,
    ...(signal.cause === undefined ? {} : { cause: signal.cause }),
    ...(signal.status === undefined ? {} : { status: signal.status }),
    ...(signal.reason === undefined ? {} : { reason: signal.reason }),
    ...(context.ip === '' ? {} : { ip: context.ip }),
    sessionId: signal.sessionId,
    deviceId,
    seq,
  };
}

/**
 * Why a signal would make an invalid or unstorable event, or `undefined`. The background asks
 * before storing: `storeSignals` refuses a batch whole for one such signal, and the tab would send
 * that batch again and again, holding back every later event.
 */
export function signalProblem(signal: AnySignal, context: SignalContext): string | undefined {
  if (signal.type === 'record') return recordProblem(signal);
  const checked = validateEvent(eventOf(signal, context, uuidv7(signal.observedAt), 0));
  return checked.ok ? undefined : checked.error;
}

/**
 * Why a record signal cannot be stored: not a kind a screen shows, invalid for its kind, or a key
 * that is not its id (the key is what makes a replay a duplicate).
 */
function recordProblem(signal: RecordSignal): string | undefined {
  const { record } = signal;
  if (!RECORD_SIGNAL_TYPES.has(record.type))
    return `record ${record.id}: type ${record.type} is not captured from a screen`;
  if (signal.key !== record.id) return `record ${record.id}: its key ${signal.key} is not its id`;
  const checked = validateRecord(record);
  return checked.ok ? undefined : `record ${record.id}: ${checked.error}`;
}

/**
 * Stores captured signals as events (a record signal as its record, with its own id), in one transaction: gives each its UUIDv7 id, the device id
 * and the device's next sequence number; keeps only the latest unsynced heartbeat per session.
 * Returns the keys now stored (including those stored by an earlier attempt).
 */
export async function storeSignals(
  db: CaptureDatabase,
  signals: AnySignal[],
  context: SignalContext,
): Promise<string[]> {
  return db.transaction('rw', db.events, db.meta, async () => {
    const deviceMeta = await db.meta.get('deviceId');
    const deviceId = deviceMeta ? String(deviceMeta.value) : uuidv7();
    let seq = Number((await db.meta.get('seq'))?.value ?? 0);
    const known = new Set(
      (
        await db.events
          .where('captureKey')
          .anyOf(signals.map((signal) => signal.key))
          .toArray()
      ).map((event) => event.captureKey),
    );
    const fresh: StoredEvent[] = [];
    const staleHeartbeats: string[] = [];
    for (const signal of signals) {
      if (known.has(signal.key)) continue;
      known.add(signal.key);
      if (signal.type === 'record') {
        const problem = recordProblem(signal);
        if (problem !== undefined) throw new Error(`captured signal ${signal.key} is refused: ${problem}`);
        fresh.push({ ...signal.record, captureKey: signal.key, synced: WAITING });
        continue;
      }
      const event = eventOf(signal, context, deviceId, seq++);
      const checked = validateEvent(event);
      if (!checked.ok)
        throw new Error(`captured signal ${signal.key} makes an invalid event: ${checked.error}`);
      if (event.type === 'heartbeat') {
        const older = await db.events.where('sessionId').equals(signal.sessionId).toArray();
        for (const previous of older)
          if (previous.type === 'heartbeat' && previous.synced === WAITING) staleHeartbeats.push(previous.id);
        for (let i = fresh.length - 1; i >= 0; i--) {
          const earlier = fresh[i]!;
          if (earlier.type === 'heartbeat' && earlier.sessionId === signal.sessionId) fresh.splice(i, 1);
        }
      }
      fresh.push({ ...checked.event, captureKey: signal.key, synced: WAITING });
    }
    if (staleHeartbeats.length > 0) await db.events.bulkDelete(staleHeartbeats);
    if (fresh.length > 0) await db.events.bulkAdd(fresh);
    await db.meta.bulkPut([
      { key: 'deviceId', value: deviceId },
      { key: 'seq', value: seq },
    ]);
    return signals.map((signal) => signal.key);
  });
}

/** Every event, oldest first, as JSON Lines (the export an offline office hands over). */
export async function exportJsonLines(db: CaptureDatabase): Promise<string> {
  const events = await db.events.orderBy('at').toArray();
  return events.map((event) => `${JSON.stringify(toRecord(event))}\n`).join('');
}

/**
 * The oldest events waiting for the server, at most `limit`. Ids are UUIDv7s made from the
 * capture time, so the `synced` index (ordered by id within a value) gives them oldest first.
 */
export async function unsyncedBatch(db: CaptureDatabase, limit: number): Promise<StoredEvent[]> {
  return db.events.where('synced').equals(WAITING).limit(limit).toArray();
}

/** An event the server refused: its id, the server's reason, and the status of that answer. */
export interface Refusal {
  id: string;
  error: string;
  status: number;
}

/**
 * Records the server's answer to a push, in one transaction: `synced` ids are marked synced,
 * `rejected` ones set aside with their reason, status and `now`. An id no longer stored (a
 * heartbeat superseded while its push was in flight) is skipped.
 */
export async function recordPushResult(
  db: CaptureDatabase,
  result: { synced: string[]; rejected: Refusal[] },
  now: number = Date.now(),
): Promise<void> {
  const refusals = new Map(result.rejected.map((entry) => [entry.id, entry]));
  await db.transaction('rw', db.events, async () => {
    if (result.synced.length > 0) await db.events.where('id').anyOf(result.synced).modify({ synced: SYNCED });
    if (refusals.size > 0) {
      await db.events
        .where('id')
        .anyOf([...refusals.keys()])
        .modify((event) => {
          const refusal = refusals.get(event.id)!;
          event.synced = REJECTED;
          event.syncError = refusal.error;
          event.syncStatus = refusal.status;
          event.setAsideAt = now;
        });
    }
  });
}

/** The events set aside (the server refused them), oldest first. */
export async function setAsideEvents(db: CaptureDatabase): Promise<StoredEvent[]> {
  return db.events.where('synced').equals(REJECTED).toArray();
}

/**
 * The events set aside as JSON Lines, for support: one object a line with why the server
 * refused it (`reason`, `status`, `setAsideAt` as an ISO instant) and the event as it was sent.
 */
export function setAsideJsonLines(events: StoredEvent[]): string {
  return events
    .map((stored) => {
      const line = {
        reason: stored.syncError ?? '',
        ...(stored.syncStatus === undefined ? {} : { status: stored.syncStatus }),
        ...(stored.setAsideAt === undefined ? {} : { setAsideAt: new Date(stored.setAsideAt).toISOString() }),
        event: toRecord(stored),
      };
      return `${JSON.stringify(line)}\n`;
    })
    .join('');
}

/**
 * Puts every event set aside back in the queue (after a server upgrade, or once a supervisor
 * enrolled the agent on this device), forgetting the reasons. Returns how many went back.
 */
export async function retrySetAside(db: CaptureDatabase): Promise<number> {
  return db.events
    .where('synced')
    .equals(REJECTED)
    .modify((event) => {
      event.synced = WAITING;
      delete event.syncError;
      delete event.syncStatus;
      delete event.setAsideAt;
    });
}

/** Reads values of the meta table (absent keys are left out). */
export async function getMeta(db: CaptureDatabase, keys: string[]): Promise<Map<string, MetaValue>> {
  const rows = await db.meta.bulkGet(keys);
  return new Map(rows.flatMap((row) => (row ? [[row.key, row.value] as const] : [])));
}

/** Writes values of the meta table in one transaction; `undefined` deletes the key. */
export async function setMeta(
  db: CaptureDatabase,
  values: Record<string, MetaValue | undefined>,
): Promise<void> {
  const entries = Object.entries(values);
  await db.transaction('rw', db.meta, async () => {
    const puts = entries.flatMap(([key, value]) => (value === undefined ? [] : [{ key, value }]));
    const deletes = entries.flatMap(([key, value]) => (value === undefined ? [key] : []));
    if (puts.length > 0) await db.meta.bulkPut(puts);
    if (deletes.length > 0) await db.meta.bulkDelete(deletes);
  });
}

/** Activity events at or after an instant, for the popup's day. */
export async function eventsSince(db: CaptureDatabase, since: number): Promise<ActivityEvent[]> {
  const events = await db.events.where('at').aboveOrEqual(new Date(since).toISOString()).toArray();
  return events.map(toRecord).filter(isActivity);
}

/**
 * How many distinct tickets each agent took a step of at or after an instant (the popup's day):
 * the agents' ids, each with its count.
 */
export async function ticketsSince(db: CaptureDatabase, since: number): Promise<Map<string, number>> {
  const records = await db.events.where('at').aboveOrEqual(new Date(since).toISOString()).toArray();
  const tickets = new Map<string, Set<string>>();
  for (const record of records) {
    if (record.type !== 'ticket' || record.agentId === undefined) continue;
    const seen = tickets.get(record.agentId) ?? new Set<string>();
    seen.add(record.ticketId);
    tickets.set(record.agentId, seen);
  }
  return new Map([...tickets].map(([agentId, seen]) => [agentId, seen.size]));
}

export interface SyncState {
  /** Events not yet acknowledged by the server. */
  waiting: number;
  /** Events the server refused, kept aside (see `setAsideEvents`). */
  setAside: number;
  /** When the server last acknowledged a push (ms). */
  lastSyncAt: number | undefined;
  /** Why the last sync attempt failed, or what the server refused; cleared by a clean push. */
  lastError: string | undefined;
}

/** How many events wait for the server. */
export function waitingCount(db: CaptureDatabase): Promise<number> {
  return db.events.where('synced').equals(WAITING).count();
}

export async function syncState(db: CaptureDatabase): Promise<SyncState> {
  const [waiting, setAside, lastSyncAt, lastError] = await Promise.all([
    waitingCount(db),
    db.events.where('synced').equals(REJECTED).count(),
    db.meta.get('lastSyncAt'),
    db.meta.get('lastSyncError'),
  ]);
  return {
    waiting,
    setAside,
    lastSyncAt: lastSyncAt === undefined ? undefined : Number(lastSyncAt.value),
    lastError: lastError === undefined || lastError.value === '' ? undefined : String(lastError.value),
  };
}
