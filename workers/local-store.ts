import Dexie, { type Table } from 'dexie';
import type { ActivityEvent } from '../shared/events/schema.ts';
import type { ReportFilters } from '../shared/reports/filters.ts';

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
  }
}

/** One database per server and tenant, so two accounts never mix their data. */
export function localStoreName(serverOrigin: string, tenantId: string): string {
  return `pontual-supervisor:${serverOrigin}:${tenantId}`;
}

/** A chunk for these events (in the order given). */
export function toChunk(events: readonly ActivityEvent[]): EventChunk {
  let minAt = Number.POSITIVE_INFINITY;
  let maxAt = Number.NEGATIVE_INFINITY;
  for (const event of events) {
    const at = Date.parse(event.at);
    if (at < minAt) minAt = at;
    if (at > maxAt) maxAt = at;
  }
  return { minAt, maxAt, count: events.length, text: JSON.stringify(events) };
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
