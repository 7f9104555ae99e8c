import type { AnyRecord } from '../records/registry.ts';
import { parseInstant } from '../time/iso.ts';
import { type Agent, agentOf, assembleTicket, compareText, type Ticket, type TimedStep } from './tickets.ts';

/**
 * The tickets' messages held compactly, for a report with a row per message over millions of
 * them (`attendance-history`): the same tickets, messages and order as `gatherTickets`, but no
 * record is kept. A message is a slot in columns (typed arrays for its ticket, instant, agent,
 * queue and numbers; the agents, queues and numbers interned), plus its text. The steps are few
 * (a handful per ticket) and kept as records; each `Ticket` is assembled only while it is visited.
 * Records are added in any order and in batches, so a reader need not hold them all.
 */
export class TicketMessages {
  private readonly ticketIndex = new Map<string, number>();
  private readonly ticketIds: string[] = [];
  private readonly steps: TimedStep[][] = [];

  // One entry per message, by slot.
  private readonly ticketOf = new Growing(Int32Array);
  private readonly atOf = new Growing(Float64Array);
  /** 1 for a contact's message (MO). */
  private readonly fromContact = new Growing(Int32Array);
  /** Its own agent (an MT's), as an index into `agents`; -1 for none. */
  private readonly agentIndexOf = new Growing(Int32Array);
  /** Its own queue, in `strings`; -1 for none. */
  private readonly queueOf = new Growing(Int32Array);
  private readonly contactOf = new Growing(Int32Array);
  private readonly businessOf = new Growing(Int32Array);
  private readonly texts: (string | undefined)[] = [];
  // Only to find each provider id once and order equal instants: dropped once that is done.
  private messageIds: string[] = [];
  private recordIds: string[] = [];

  private readonly strings = new Interner();
  /** Agents by id, each distinct name of an id once (a list: nearly always one). */
  private readonly agentsById = new Map<string, number[]>();
  private readonly agents: Agent[] = [];

  /** `now`: records after it are not known yet. */
  constructor(private readonly now: number) {}

  /** Takes the ticket steps and the messages that name a ticket; other records are not attendance. */
  add(records: Iterable<AnyRecord>): void {
    for (const record of records) {
      if (record.type === 'ticket') {
        const at = parseInstant(record.at);
        if (at <= this.now) this.steps[this.ticket(record.ticketId)]!.push({ at, record });
      } else if (record.type === 'message' && record.ticketId !== undefined) {
        const at = parseInstant(record.at);
        if (at > this.now) continue;
        this.ticketOf.push(this.ticket(record.ticketId));
        this.atOf.push(at);
        const mo = record.direction === 'MO';
        this.fromContact.push(mo ? 1 : 0);
        this.agentIndexOf.push(mo || record.agentId === undefined ? -1 : this.agent(record));
        this.queueOf.push(record.queue === undefined ? -1 : this.strings.of(record.queue));
        this.contactOf.push(this.strings.of(record.contact));
        this.businessOf.push(this.strings.of(record.business));
        this.texts.push(record.text);
        this.messageIds.push(record.messageId);
        this.recordIds.push(record.id);
      }
    }
  }

  /**
   * Visits every ticket by ticket id (code units, as `compareCells`), and each of its messages
   * once per provider id (the earliest record standing, as `uniqueMessages`), by instant then
   * provider id. Call it once: it drops what only the ordering needed.
   */
  visit(onTicket: (ticket: Ticket) => boolean, onMessage: (ticket: Ticket, slot: number) => void): void {
    const order = this.ordered();
    const tickets = this.ticketIds.length;
    const byId = Array.from({ length: tickets }, (_, index) => index).sort((a, b) =>
      compareText(this.ticketIds[a]!, this.ticketIds[b]!),
    );
    for (const index of byId) {
      const ticket = assembleTicket(this.ticketIds[index]!, this.steps[index]!, []);
      if (!onTicket(ticket)) continue;
      for (let position = order.start[index]!; position < order.start[index + 1]!; position++)
        onMessage(ticket, order.slots[position]!);
    }
  }

  /**
   * The slots grouped by ticket (a counting sort on the ticket index: ticket `t`'s are
   * `slots[start[t]]` to `slots[start[t + 1] - 1]`), each ticket's in order, its duplicates left out.
   */
  private ordered(): { slots: Uint32Array; start: Uint32Array } {
    const count = this.atOf.length;
    const tickets = this.ticketIds.length;
    const ticketOf = this.ticketOf.array;
    const at = this.atOf.array;
    const messageIds = this.messageIds;
    const recordIds = this.recordIds;
    const start = new Uint32Array(tickets + 1);
    for (let slot = 0; slot < count; slot++) start[ticketOf[slot]! + 1]!++;
    for (let index = 0; index < tickets; index++) start[index + 1]! += start[index]!;
    const next = start.slice(0, tickets);
    const slots = new Uint32Array(count);
    for (let slot = 0; slot < count; slot++) slots[next[ticketOf[slot]!]!++] = slot;
    // By instant, then provider id, then record id: the first of each provider id is then the
    // earliest record (the lowest id among equals), and those left are by instant, provider id.
    const byTime = (a: number, b: number) =>
      at[a]! - at[b]! ||
      compareText(messageIds[a]!, messageIds[b]!) ||
      compareText(recordIds[a]!, recordIds[b]!);
    const seen = new Set<string>();
    let kept = 0;
    const keptStart = new Uint32Array(tickets + 1);
    for (let index = 0; index < tickets; index++) {
      const from = start[index]!;
      const to = start[index + 1]!;
      keptStart[index] = kept;
      if (to - from > 1) slots.subarray(from, to).sort(byTime);
      seen.clear();
      for (let position = from; position < to; position++) {
        const slot = slots[position]!;
        const messageId = messageIds[slot]!;
        if (seen.has(messageId)) continue;
        seen.add(messageId);
        slots[kept++] = slot;
      }
    }
    keptStart[tickets] = kept;
    this.messageIds = [];
    this.recordIds = [];
    return { slots: slots.subarray(0, kept), start: keptStart };
  }

  at(slot: number): number {
    return this.atOf.array[slot]!;
  }
  isFromContact(slot: number): boolean {
    return this.fromContact.array[slot] === 1;
  }
  /** The agent the message names (an MT's own), if any. */
  ownAgent(slot: number): Agent | undefined {
    const index = this.agentIndexOf.array[slot]!;
    return index < 0 ? undefined : this.agents[index];
  }
  ownQueue(slot: number): string | undefined {
    const index = this.queueOf.array[slot]!;
    return index < 0 ? undefined : this.strings.values[index];
  }
  contact(slot: number): string {
    return this.strings.values[this.contactOf.array[slot]!]!;
  }
  business(slot: number): string {
    return this.strings.values[this.businessOf.array[slot]!]!;
  }
  text(slot: number): string | undefined {
    return this.texts[slot];
  }

  private ticket(ticketId: string): number {
    let index = this.ticketIndex.get(ticketId);
    if (index === undefined) {
      index = this.ticketIds.length;
      this.ticketIndex.set(ticketId, index);
      this.ticketIds.push(ticketId);
      this.steps.push([]);
    }
    return index;
  }

  private agent(record: { agentId?: string; agentName?: string }): number {
    const agent = agentOf(record)!;
    let indices = this.agentsById.get(agent.id);
    if (!indices) {
      indices = [];
      this.agentsById.set(agent.id, indices);
    }
    for (const index of indices) if (this.agents[index]!.name === agent.name) return index;
    indices.push(this.agents.length);
    this.agents.push(agent);
    return this.agents.length - 1;
  }
}

/** Strings seen many times (queues, numbers) stored once, referred to by index. */
export class Interner {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  of(value: string): number {
    let index = this.index.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.values.push(value);
      this.index.set(value, index);
    }
    return index;
  }
}

/** A typed array that grows as values are pushed (doubling), read through `array`. */
export class Growing<A extends Int32Array | Float64Array> {
  array: A;
  length = 0;

  constructor(private readonly make: new (size: number) => A) {
    this.array = new make(1024);
  }

  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = new this.make(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }
}
