import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import {
  type TicketAction,
  type TicketRecord,
  type TicketStatus,
  ticketStatusAfter,
} from '../records/ticket.ts';
import { parseInstant } from '../time/iso.ts';

/**
 * The tickets of the human attendance, assembled from their `ticket` steps and the `message`
 * records that name them (`ticketId`), for the attendance reports (docs/reports.md). Records may
 * come in any order and with duplicates; steps after "now" are not known yet.
 */

export interface Agent {
  id: string;
  name: string;
}

export interface TicketStep {
  at: number;
  id: string;
  action: TicketAction;
  queue?: string;
  agent?: Agent;
}

/** Where a ticket stands after a step: its status, queue, and the agent holding it. */
export interface TicketState {
  status: TicketStatus;
  queue?: string;
  holder?: Agent;
}

export interface TimedMessage {
  at: number;
  record: MessageRecord;
}

export interface Ticket {
  ticketId: string;
  /** Its steps by instant, then id; empty when only its messages were seen. */
  steps: TicketStep[];
  /** `states[i]` is the ticket after `steps[i]`. */
  states: TicketState[];
  /** Its messages by instant, then provider id. */
  messages: TimedMessage[];
  /** The latest value each step carried (a contact's name, a tag set on close…). */
  contact?: string;
  business?: string;
  contactName?: string;
  kind?: 'receptive' | 'active';
  trackingId?: string;
  tag?: string;
  contract?: string;
}

/** The agent a record names, by id (its name, else its id). */
export const agentOf = (record: { agentId?: string; agentName?: string }): Agent | undefined =>
  record.agentId === undefined ? undefined : { id: record.agentId, name: record.agentName ?? record.agentId };

/**
 * The holder after a step: whoever opened (an active conversation) or took (`assigned`) the
 * ticket; a transfer sends it back to a queue, unassigned; pending, paused, closed and reopened
 * keep it with its agent, who takes it back (the reference screen's contract, docs/capture.md).
 */
function nextState(before: TicketState | undefined, step: TicketStep): TicketState {
  const status = ticketStatusAfter(step.action, before?.status) ?? 'open';
  const queue = step.queue ?? before?.queue;
  let holder = before?.holder;
  if (step.action === 'opened' || step.action === 'assigned') holder = step.agent ?? holder;
  if (step.action === 'transferred') holder = undefined;
  return { status, queue, holder };
}

/** Every ticket the records name, by ticket id. Messages without a ticket are not attendance. */
export function gatherTickets(records: Iterable<AnyRecord>, now: number): Map<string, Ticket> {
  // Plain arrays per ticket, sorted and deduplicated once at the end: a map per ticket costs
  // more than the sorting on hundreds of thousands of tickets.
  const gathered = new Map<string, { steps: TimedStep[]; messages: TimedMessage[] }>();
  const of = (ticketId: string) => {
    let entry = gathered.get(ticketId);
    if (!entry) {
      entry = { steps: [], messages: [] };
      gathered.set(ticketId, entry);
    }
    return entry;
  };
  for (const record of records) {
    if (record.type === 'ticket') {
      const at = parseInstant(record.at);
      if (at <= now) of(record.ticketId).steps.push({ at, record });
    } else if (record.type === 'message' && record.ticketId !== undefined) {
      const at = parseInstant(record.at);
      if (at <= now) of(record.ticketId).messages.push({ at, record });
    }
  }
  const tickets = new Map<string, Ticket>();
  for (const [ticketId, entry] of gathered) {
    const ticket = assembleTicket(ticketId, entry.steps, uniqueMessages(entry.messages));
    // A ticket known only by its messages still has its numbers.
    const first = ticket.messages[0]?.record;
    ticket.contact ??= first?.contact;
    ticket.business ??= first?.business;
    tickets.set(ticketId, ticket);
  }
  return tickets;
}

/**
 * A ticket from its steps (any order, duplicates allowed; sorted here) and its messages (already
 * unique and in order): the steps by instant then id, each id once, the state after each, and the
 * latest value each step carried.
 */
export function assembleTicket(ticketId: string, steps: TimedStep[], messages: TimedMessage[]): Ticket {
  const ticket: Ticket = { ticketId, steps: [], states: [], messages };
  steps.sort((a, b) => a.at - b.at || compareText(a.record.id, b.record.id));
  let state: TicketState | undefined;
  for (let index = 0; index < steps.length; index++) {
    const { at, record } = steps[index]!;
    // A step sent twice (the same id) is one step.
    if (index > 0 && steps[index - 1]!.record.id === record.id) continue;
    const step: TicketStep = {
      at,
      id: record.id,
      action: record.action as TicketAction, // the schema allows TICKET_ACTIONS only
      queue: record.queue,
      agent: agentOf(record),
    };
    state = nextState(state, step);
    ticket.steps.push(step);
    ticket.states.push(state);
    if (record.contact !== undefined) ticket.contact = record.contact;
    if (record.business !== undefined) ticket.business = record.business;
    if (record.contactName !== undefined) ticket.contactName = record.contactName;
    if (record.kind !== undefined) ticket.kind = record.kind as Ticket['kind']; // the schema allows TICKET_KINDS only
    if (record.trackingId !== undefined) ticket.trackingId = record.trackingId;
    if (record.tag !== undefined) ticket.tag = record.tag;
    if (record.contract !== undefined) ticket.contract = record.contract;
  }
  return ticket;
}

/** A ticket step as read: its instant parsed once. */
export interface TimedStep {
  at: number;
  record: TicketRecord;
}

export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A ticket's messages by instant, then provider id, each provider id once: as the message
 * reports do (shared/messaging/dispatches.ts), the earliest record (then lowest id) stands,
 * whatever the arrival order.
 */
export function uniqueMessages(messages: TimedMessage[]): TimedMessage[] {
  messages.sort(
    (a, b) =>
      compareText(a.record.messageId, b.record.messageId) ||
      a.at - b.at ||
      compareText(a.record.id, b.record.id),
  );
  const unique = messages.filter(
    (message, index) => index === 0 || messages[index - 1]!.record.messageId !== message.record.messageId,
  );
  return unique.sort((a, b) => a.at - b.at || compareText(a.record.messageId, b.record.messageId));
}

/** When the ticket reached human attendance: its first `opened` (else its first step). */
export function openedAt(ticket: Ticket): number | undefined {
  return (ticket.steps.find((step) => step.action === 'opened') ?? ticket.steps[0])?.at;
}

/** The ticket's state at an instant: after its last step at or before it. */
export function stateAt(ticket: Ticket, at: number): TicketState | undefined {
  let low = 0;
  let high = ticket.steps.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ticket.steps[middle]!.at <= at) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : ticket.states[low - 1];
}

/** Its state now: after its last step. */
export function currentState(ticket: Ticket): TicketState | undefined {
  return ticket.states[ticket.states.length - 1];
}

/**
 * Who a message is of, and where: an agent's message (MT) names its agent, else the agent
 * holding the ticket then; a contact's message (MO) is shown with the agent holding the ticket
 * when it arrived. The queue is the message's own, else the ticket's at that instant.
 */
export function messagePlace(ticket: Ticket, message: TimedMessage): { agent?: Agent; queue?: string } {
  const own = message.record.direction === 'MT' ? agentOf(message.record) : undefined;
  return placeAt(ticket, message.at, own, message.record.queue);
}

/** `messagePlace` from a message's parts: its instant, its own agent (an MT's) and its own queue. */
export function placeAt(
  ticket: Ticket,
  at: number,
  own: Agent | undefined,
  queue: string | undefined,
): { agent?: Agent; queue?: string } {
  const state = stateAt(ticket, at);
  return { agent: own ?? state?.holder, queue: queue ?? state?.queue };
}

/**
 * The time the ticket was open, from opened to closed: the sum of its open spans, so that a
 * reopened ticket does not count the time it sat closed. `undefined` unless it is closed now.
 */
export function handlingTime(ticket: Ticket): number | undefined {
  if (currentState(ticket)?.status !== 'closed') return undefined;
  let total = 0;
  let openSince: number | undefined;
  ticket.steps.forEach((step, index) => {
    const status = ticket.states[index]!.status;
    if (status === 'closed') {
      if (openSince !== undefined) total += step.at - openSince;
      openSince = undefined;
    } else {
      openSince ??= step.at;
    }
  });
  return total;
}

/** The step that closed it last, when it is closed now. */
export function closingStep(ticket: Ticket): TicketStep | undefined {
  if (currentState(ticket)?.status !== 'closed') return undefined;
  return ticket.steps.findLast((step) => step.action === 'closed');
}

/** The agent who closed it: the closing step's, else the agent holding it then. */
export function closedBy(ticket: Ticket): Agent | undefined {
  const step = closingStep(ticket);
  if (!step) return undefined;
  return step.agent ?? stateAt(ticket, step.at)?.holder;
}

/** An agent's or a queue's part in one ticket (docs/reports.md, `attendance-statistics`). */
export interface TicketPart {
  /** When the agent first took the ticket, or the ticket first entered the queue. */
  since: number;
  /** From then to the first agent message in this agent's hands or this queue; `undefined` if none or not asked. */
  firstResponse?: number;
  /** Whether this agent closed it, or it was closed in this queue (closed now). */
  resolved: boolean;
  /** The agent's name as the ticket's steps gave it. */
  name: string;
}

/**
 * Who handled a ticket and where: every agent who took it (opened it for an active conversation,
 * or `assigned`) or closed it, and every queue it was in, each with its own first response.
 * A transferred ticket is a part of each agent and each queue it passed through; a reopened one
 * stays one ticket.
 */
export function ticketParts(ticket: Ticket): {
  agents: Map<string, TicketPart>;
  queues: Map<string, TicketPart>;
} {
  const agents = new Map<string, TicketPart>();
  const queues = new Map<string, TicketPart>();
  // An agent who opened the ticket (an active conversation) or a queue it was opened in by an
  // agent has no first response: there was nothing from the contact to answer yet.
  const unasked = new Set<TicketPart>();
  let queueBefore: string | undefined;
  ticket.steps.forEach((step, index) => {
    const state = ticket.states[index]!;
    const openedByAgent = step.action === 'opened' && (step.agent !== undefined || ticket.kind === 'active');
    if (
      (step.action === 'opened' || step.action === 'assigned') &&
      step.agent &&
      !agents.has(step.agent.id)
    ) {
      const part: TicketPart = { since: step.at, resolved: false, name: step.agent.name };
      agents.set(step.agent.id, part);
      if (step.action === 'opened') unasked.add(part);
    }
    if (state.queue !== undefined && state.queue !== queueBefore && !queues.has(state.queue)) {
      const part: TicketPart = { since: step.at, resolved: false, name: state.queue };
      queues.set(state.queue, part);
      if (openedByAgent) unasked.add(part);
    }
    queueBefore = state.queue;
  });
  const closing = closingStep(ticket);
  if (closing) {
    const closer = closedBy(ticket);
    if (closer) {
      let part = agents.get(closer.id);
      if (!part) {
        // Closed by someone who never took it (a supervisor): nothing of theirs to answer.
        part = { since: closing.at, resolved: false, name: closer.name };
        agents.set(closer.id, part);
        unasked.add(part);
      }
      part.resolved = true;
    }
    const queue = stateAt(ticket, closing.at)?.queue;
    if (queue !== undefined) queues.get(queue)!.resolved = true;
  }
  for (const message of ticket.messages) {
    if (message.record.direction !== 'MT') continue;
    const place = messagePlace(ticket, message);
    const parts = [
      place.agent && agents.get(place.agent.id),
      place.queue === undefined ? undefined : queues.get(place.queue),
    ];
    for (const part of parts) {
      if (!part || unasked.has(part) || part.firstResponse !== undefined || message.at < part.since) continue;
      part.firstResponse = message.at - part.since;
    }
  }
  return { agents, queues };
}
