import type { CampaignRecord } from '../records/campaign.ts';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import {
  decidingUpdate,
  type MessageStatus,
  type StatusGroup,
  statusInGroup,
} from '../records/status-catalog.ts';
import { parseInstant } from '../time/iso.ts';
import { type MessageFacts, type StatusFacts, statusFacts } from './projection.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One MT as the message reports show it: the message joined with the update that decided its status. */
export interface Dispatch {
  messageId: string;
  /** The message itself, or `undefined` when only its statuses were seen (DESIGN §9). */
  message?: MessageRecord;
  contact: string;
  business: string;
  /** When it was sent, epoch ms; `undefined` for a message known only by its statuses. */
  at?: number;
  /**
   * When it became known: its send time, or for a message known only by its statuses the
   * earliest of them (where the reports that show such messages place it in a period or a day).
   */
  seenAt?: number;
  status: MessageStatus;
  /** The instant of the deciding update (the Status Date); `undefined` while `accepted`. */
  statusAt?: number;
  /** The deciding update's `providerStatus` (External Status) and `error`. */
  providerStatus?: string;
  error?: string;
}

/** Whose reply counts (DESIGN §10): any MO for an HSM; an MO that reached a ticket for a broadcast. */
export type ReplyRule = 'message' | 'message-and-ticket';

/**
 * Everything known of one provider message id, in one object: the message when it was seen (the
 * fields the reports join and count on, and the record itself when it was read whole — a report
 * reading projections has only `MessageFacts`), and its statuses folded as they arrive: the
 * update deciding its status so far (the rule picks one update by an order over all of them, so
 * the decision over what came so far and the next one is the decision over all), the earliest
 * instant, and the first update naming its numbers. One object per message, not one per update.
 */
class Held {
  /** The message's record id; `undefined` while only its statuses were seen. */
  id: string | undefined = undefined;
  atMs = 0;
  direction: MessageRecord['direction'] = 'MT';
  contact = '';
  business = '';
  contentType: MessageRecord['contentType'] = 'other';
  record: MessageRecord | undefined = undefined;
  deciding: StatusFacts | undefined = undefined;
  /** The earliest status's instant; `undefined` while none was seen. */
  statusSeenAt: number | undefined = undefined;
  named: StatusFacts | undefined = undefined;
  constructor(readonly messageId: string) {}
}

/** Sorted instants with "first after" and "last" lookups. */
class Instants {
  private readonly values: number[] = [];
  private sorted = true;
  add(at: number): void {
    if (this.values.length > 0 && at < this.values[this.values.length - 1]!) this.sorted = false;
    this.values.push(at);
  }
  private list(): number[] {
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    return this.values;
  }
  /** The first instant strictly after `at`, or `undefined`. */
  firstAfter(at: number): number | undefined {
    const list = this.list();
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle]! <= at) low = middle + 1;
      else high = middle;
    }
    return list[low];
  }
  last(): number | undefined {
    const list = this.list();
    return list[list.length - 1];
  }
}

/**
 * Instants per contact and business number, looked up without a key string built per lookup (a
 * `contact business` string made and hashed for each of a million lookups was most of the reply
 * rule's time): a map by contact, then that contact's few business numbers in a chain.
 */
class InstantsByPair {
  private readonly byContact = new Map<string, PairInstants>();
  get(contact: string, business: string): Instants | undefined {
    for (let pair = this.byContact.get(contact); pair !== undefined; pair = pair.next)
      if (pair.business === business) return pair.instants;
    return undefined;
  }
  /** The pair's instants, made on first use. */
  of(contact: string, business: string): Instants {
    const first = this.byContact.get(contact);
    for (let pair = first; pair !== undefined; pair = pair.next)
      if (pair.business === business) return pair.instants;
    const instants = new Instants();
    this.byContact.set(contact, { business, instants, next: first });
    return instants;
  }
  clear(): void {
    this.byContact.clear();
  }
}

interface PairInstants {
  readonly business: string;
  readonly instants: Instants;
  readonly next: PairInstants | undefined;
}

/**
 * The messaging records a message report reads, gathered once: messages by their provider id,
 * their status updates, the latest state of each campaign, and per contact and business number
 * the instants the reply rule needs. Records may come in any order, with duplicates.
 */
export class MessagingData {
  // The record as read, beside the fields joined on: no copy of each message is held.
  private readonly messages = new Map<string, Held>();
  private readonly campaigns = new Map<string, CampaignRecord & { atMs: number }>();
  private readonly templatesSent = new InstantsByPair();
  private readonly repliesReceived = new InstantsByPair();
  private readonly ticketsOpened = new InstantsByPair();
  private indexed = false;

  /**
   * @param keepRecord Which message records to hold whole (`Dispatch.message`, `message()`,
   *   `received()` see only those): a report that reads the fields of some messages only (a
   *   broadcast report, the broadcasts') keeps the others' few joined fields, and their records die
   *   young instead of filling the heap. Every record when not given.
   */
  constructor(private readonly keepRecord: (record: MessageRecord) => boolean = () => true) {}

  add(record: AnyRecord): void {
    switch (record.type) {
      case 'message':
        this.addMessage(record);
        return;
      case 'message_status':
        this.addStatus(statusFacts(record));
        return;
      case 'campaign': {
        const atMs = parseInstant(record.at);
        const known = this.campaigns.get(record.campaignId);
        if (!known || atMs > known.atMs || (atMs === known.atMs && record.id > known.id))
          this.campaigns.set(record.campaignId, { ...record, atMs });
        return;
      }
      case 'ticket':
        if (record.action === 'opened' && record.contact && record.business)
          this.ticketsOpened.of(record.contact, record.business).add(parseInstant(record.at));
        return;
      default:
        return;
    }
  }

  private addMessage(record: MessageRecord): void {
    const held = this.heldFor(record.messageId, record.id, parseInstant(record.at));
    if (!held) return;
    held.direction = record.direction;
    held.contact = record.contact;
    held.business = record.business;
    held.contentType = record.contentType;
    held.record = this.keepRecord(record) ? record : undefined;
  }

  /**
   * Messages known by their projection (`MessageFacts`) rather than their records: what the
   * counting reports need. Such a message has no `Dispatch.message`, and `received()` and
   * `message()` do not see it: only a report that reads none of a message's other fields may
   * gather its messages this way.
   */
  addMessageFacts(facts: MessageFacts): void {
    const held = this.heldFor(facts.messageId, facts.id, facts.at);
    if (!held) return;
    held.direction = facts.direction;
    held.contact = facts.contact;
    held.business = facts.business;
    held.contentType = facts.contentType;
    held.record = undefined;
  }

  /** Where a message record goes, its id and instant set; `undefined` when an earlier one of it stands. */
  private heldFor(messageId: string, id: string, atMs: number): Held | undefined {
    let held = this.messages.get(messageId);
    if (!held) {
      held = new Held(messageId);
      this.messages.set(messageId, held);
    } else if (held.id !== undefined && (held.atMs < atMs || (held.atMs === atMs && held.id <= id))) {
      // The provider's id is unique per tenant: a second record of it is the same message, sent
      // again by another source; the earliest (then lowest id) stands, whatever the order.
      return undefined;
    }
    held.id = id;
    held.atMs = atMs;
    this.indexed = false;
    return held;
  }

  // Reused by `addStatus`: the rule reads an iterable, and an array per status would be garbage.
  private readonly one: [StatusFacts] = [undefined as unknown as StatusFacts];
  private readonly two: [StatusFacts, StatusFacts] = [
    undefined as unknown as StatusFacts,
    undefined as unknown as StatusFacts,
  ];

  /** One status update, as a record's facts or a projection's (`forEachProjectedStatus`). */
  addStatus(update: StatusFacts): void {
    let held = this.messages.get(update.messageId);
    if (!held) {
      held = new Held(update.messageId);
      this.messages.set(update.messageId, held);
    }
    // The one rule (DESIGN §9), over the deciding update so far and this one.
    if (held.deciding) {
      this.two[0] = held.deciding;
      this.two[1] = update;
      held.deciding = decidingUpdate(this.two);
    } else {
      this.one[0] = update;
      held.deciding = decidingUpdate(this.one);
    }
    if (held.statusSeenAt === undefined || update.at < held.statusSeenAt) held.statusSeenAt = update.at;
    if (!held.named && update.contact) held.named = update;
  }

  /** The instants the reply rule looks up, per contact and business number, built on first use. */
  private index(): void {
    if (this.indexed) return;
    this.templatesSent.clear();
    this.repliesReceived.clear();
    for (const message of this.messages.values()) {
      if (message.id === undefined) continue;
      if (message.direction === 'MO')
        this.repliesReceived.of(message.contact, message.business).add(message.atMs);
      else if (message.contentType === 'template')
        this.templatesSent.of(message.contact, message.business).add(message.atMs);
    }
    this.indexed = true;
  }

  /** The latest state of a campaign. */
  campaign(campaignId: string | undefined): CampaignRecord | undefined {
    return campaignId === undefined ? undefined : this.campaigns.get(campaignId);
  }

  /** A message by its provider id (the MT an MO's `replyTo` names, say). */
  message(messageId: string): MessageRecord | undefined {
    return this.messages.get(messageId)?.record;
  }

  /** Every MO: each message the contacts sent, with its instant in ms. Unordered. */
  *received(): Generator<{ message: MessageRecord; at: number }> {
    for (const { record, atMs } of this.messages.values())
      if (record?.direction === 'MO') yield { message: record, at: atMs };
  }

  /**
   * Every MT: each message sent by the business with its decided status, and each message known
   * only by its statuses (no send time, no text). Unordered.
   */
  *dispatches(): Generator<Dispatch> {
    for (const held of this.messages.values()) {
      if (held.id === undefined || held.direction === 'MT') yield this.dispatchOf(held);
    }
  }

  private dispatchOf(held: Held): Dispatch {
    const deciding = held.deciding;
    const seen = held.id !== undefined;
    // A status names its message's numbers when the provider says; the message's own win.
    const named = seen ? undefined : held.named;
    const seenAt = seen ? held.atMs : held.statusSeenAt;
    // Built field by field rather than by spreads: one object per dispatch, no temporary ones.
    const dispatch: Dispatch = {
      messageId: held.messageId,
      contact: seen ? held.contact : (named?.contact ?? ''),
      business: seen ? held.business : (named?.business ?? ''),
      status: deciding?.status ?? 'accepted',
    };
    if (seen) {
      if (held.record) dispatch.message = held.record;
      dispatch.at = held.atMs;
    }
    if (seenAt !== undefined) dispatch.seenAt = seenAt;
    if (deciding) {
      dispatch.statusAt = deciding.at;
      if (deciding.providerStatus !== undefined) dispatch.providerStatus = deciding.providerStatus;
      if (deciding.error !== undefined) dispatch.error = deciding.error;
    }
    return dispatch;
  }

  /**
   * Whether an MT was replied (DESIGN §10): its window runs from its send time (exclusive) to the
   * earlier of 24 h later (inclusive) and the next template sent to the same contact from the same
   * business number (inclusive). With `message`, an MO from the contact to that number inside the
   * window answers; with `message-and-ticket` (broadcasts), a ticket for the contact on that
   * number must also have been opened at or after that MO — the overflow to human attendance.
   */
  replied(dispatch: Dispatch, rule: ReplyRule): boolean {
    if (dispatch.at === undefined) return false;
    this.index();
    const { contact, business } = dispatch;
    // No reply at all is the common case: looked up first, the next template only when one came.
    const reply = this.repliesReceived.get(contact, business)?.firstAfter(dispatch.at);
    if (reply === undefined || reply > dispatch.at + DAY_MS) return false;
    const nextTemplate = this.templatesSent.get(contact, business)?.firstAfter(dispatch.at);
    if (nextTemplate !== undefined && reply > nextTemplate) return false;
    if (rule === 'message') return true;
    // The earliest reply in the window is enough: a ticket at or after any later reply is after it too.
    const lastTicket = this.ticketsOpened.get(contact, business)?.last();
    return lastTicket !== undefined && lastTicket >= reply;
  }
}

/** The consolidated reports' counts (DESIGN §10). */
export interface DispatchCounts {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  blocked: number;
  failed: number;
  pending: number;
  replied: number;
}

export function emptyCounts(): DispatchCounts {
  return { total: 0, sent: 0, delivered: 0, read: 0, blocked: 0, failed: 0, pending: 0, replied: 0 };
}

const COUNTED_GROUPS: readonly (StatusGroup & keyof DispatchCounts)[] = [
  'sent',
  'delivered',
  'read',
  'blocked',
  'failed',
  'pending',
];

/** Adds one dispatch to counts: Total = Sent + Blocked + Failures + pending; Sent ⊇ Delivered ⊇ Read. */
export function countDispatch(counts: DispatchCounts, status: MessageStatus, replied: boolean): void {
  counts.total++;
  for (const group of COUNTED_GROUPS) if (statusInGroup(status, group)) counts[group]++;
  if (replied) counts.replied++;
}
