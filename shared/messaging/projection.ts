import type { MessageRecord } from '../records/message.ts';
import type { MessageStatusRecord } from '../records/message-status.ts';
import { MESSAGE_STATUS_VALUES, type MessageStatus } from '../records/status-catalog.ts';
import { parseInstant } from '../time/iso.ts';

/**
 * The compact projections of message and status records that the message reports read instead
 * of the records themselves (issue 11: parsing two million status objects out of JSON was most of
 * a report's time). Written once, when a chunk of records is stored (workers/local-store.ts), and
 * read by `MessagingData.addStatuses` / `addMessages`.
 *
 * The format is text, one record per line and its fields separated by tabs, behind a header line
 * naming the format: reading it allocates one small object per record and a string per id,
 * where `JSON.parse` allocates a whole object with all its strings. A text field's `\`, tab and
 * newline are escaped (`\\`, `\t`, `\n`), and so is any character beyond Latin-1 (`\u2019`): one
 * such character would make the whole text two bytes a character, twice as much for IndexedDB
 * to read. An optional text field that may be empty (`providerStatus`, `error`) is written
 * `=value` when present and empty when absent.
 */

/** What a message report reads of one status update: every field of the record but `type`. */
export interface StatusFacts {
  messageId: string;
  id: string;
  /** Epoch ms. */
  at: number;
  status: MessageStatus;
  providerStatus: string | undefined;
  error: string | undefined;
  contact: string | undefined;
  business: string | undefined;
}

/**
 * What the counting reports read of one message: who, when, which way, what kind. Not its text
 * nor its other fields — a report needing those reads the records.
 */
export interface MessageFacts {
  messageId: string;
  id: string;
  /** Epoch ms. */
  at: number;
  direction: MessageRecord['direction'];
  contact: string;
  business: string;
  contentType: MessageRecord['contentType'];
}

/** The first line of each projection: a reader meeting another one reads the records instead. */
export const STATUS_PROJECTION_HEADER = 'pontual-status-projection 1';
export const MESSAGE_PROJECTION_HEADER = 'pontual-message-projection 1';

const STATUS_INDEX = new Map<string, number>(MESSAGE_STATUS_VALUES.map((value, index) => [value, index]));

const ESCAPED = /[\\\t\n\u0100-\uffff]/;
const escapeChar = (c: string) =>
  c === '\\'
    ? '\\\\'
    : c === '\t'
      ? '\\t'
      : c === '\n'
        ? '\\n'
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const escapeField = (value: string) =>
  ESCAPED.test(value) ? value.replace(/[\\\t\n\u0100-\uffff]/g, escapeChar) : value;
const optional = (value: string | undefined) => (value === undefined ? '' : `=${escapeField(value)}`);

/** The status records' projection, in their order. */
export function projectStatuses(records: readonly MessageStatusRecord[]): string {
  const lines = [STATUS_PROJECTION_HEADER];
  for (const record of records) {
    lines.push(
      `${escapeField(record.messageId)}\t${escapeField(record.id)}\t${parseInstant(record.at)}\t${STATUS_INDEX.get(record.status)}\t${optional(record.providerStatus)}\t${optional(record.error)}\t${record.contact ?? ''}\t${record.business ?? ''}`,
    );
  }
  return lines.join('\n');
}

/** The message records' projection, in their order. */
export function projectMessages(records: readonly MessageRecord[]): string {
  const lines = [MESSAGE_PROJECTION_HEADER];
  for (const record of records) {
    lines.push(
      `${escapeField(record.messageId)}\t${escapeField(record.id)}\t${parseInstant(record.at)}\t${record.direction}\t${record.contact}\t${record.business}\t${record.contentType}`,
    );
  }
  return lines.join('\n');
}

/** A projection that cannot be read: the caller reads the records instead (or says the store is damaged). */
export class DamagedProjection extends Error {}

/** Reads fields off one projection, left to right. */
class Cursor {
  position: number;
  constructor(
    readonly text: string,
    header: string,
  ) {
    if (!text.startsWith(header) || (text.length > header.length && text[header.length] !== '\n'))
      throw new DamagedProjection(`not a "${header}"`);
    this.position = header.length + 1;
  }
  get done(): boolean {
    return this.position >= this.text.length;
  }
  /** Where the last field read starts and ends (fields, not a tuple: no array per field). */
  private start = 0;
  private end = 0;
  /** Moves over the raw field up to the next tab (or the line's end, with `last`). */
  private raw(last: boolean): void {
    const start = this.position;
    let end = this.text.indexOf(last ? '\n' : '\t', start);
    if (end < 0) {
      if (!last) throw new DamagedProjection(`a line ends early at ${start}`);
      end = this.text.length;
    }
    this.position = end + 1;
    this.start = start;
    this.end = end;
  }
  string(last = false): string {
    this.raw(last);
    const value = this.text.slice(this.start, this.end);
    return value.includes('\\') ? unescapeField(value) : value;
  }
  /** An optional field: `=value` or empty (absent). */
  optional(last = false): string | undefined {
    this.raw(last);
    if (this.start === this.end) return undefined;
    const value = this.text.slice(this.start + 1, this.end);
    return value.includes('\\') ? unescapeField(value) : value;
  }
  /** An integer, read digit by digit (no substring). */
  integer(): number {
    this.raw(false);
    const { text, start, end } = this;
    if (end === start) throw new DamagedProjection(`an empty number at ${start}`);
    const negative = text.charCodeAt(start) === 45; /* - */
    let value = 0;
    for (let i = negative ? start + 1 : start; i < end; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) throw new DamagedProjection(`not a number at ${start}`);
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }
}

const unescapeField = (value: string) =>
  value.replace(/\\(u[0-9a-f]{4}|.)/g, (_, c: string) =>
    c === 't'
      ? '\t'
      : c === 'n'
        ? '\n'
        : c.length === 5
          ? String.fromCharCode(Number.parseInt(c.slice(1), 16))
          : c,
  );

/**
 * Calls `visit` with each status of a projection whose instant is in `[from, to)`, in the order
 * written. Throws `DamagedProjection` on text it did not write.
 */
export function forEachProjectedStatus(
  text: string,
  from: number,
  to: number,
  visit: (status: StatusFacts) => void,
): void {
  const cursor = new Cursor(text, STATUS_PROJECTION_HEADER);
  while (!cursor.done) {
    const messageId = cursor.string();
    const id = cursor.string();
    const at = cursor.integer();
    const status = MESSAGE_STATUS_VALUES[cursor.integer()];
    if (status === undefined) throw new DamagedProjection(`an unknown status in the line of ${id}`);
    const providerStatus = cursor.optional();
    const error = cursor.optional();
    const contact = cursor.string() || undefined;
    const business = cursor.string(true) || undefined;
    if (at >= from && at < to) visit({ messageId, id, at, status, providerStatus, error, contact, business });
  }
}

const DIRECTIONS = new Set<string>(['MT', 'MO']);

/** Calls `visit` with each message of a projection whose instant is in `[from, to)`, in the order written. */
export function forEachProjectedMessage(
  text: string,
  from: number,
  to: number,
  visit: (message: MessageFacts) => void,
): void {
  const cursor = new Cursor(text, MESSAGE_PROJECTION_HEADER);
  while (!cursor.done) {
    const messageId = cursor.string();
    const id = cursor.string();
    const at = cursor.integer();
    const direction = cursor.string();
    if (!DIRECTIONS.has(direction)) throw new DamagedProjection(`an unknown direction in the line of ${id}`);
    const contact = cursor.string();
    const business = cursor.string();
    const contentType = cursor.string(true) as MessageRecord['contentType'];
    if (at >= from && at < to)
      visit({
        messageId,
        id,
        at,
        direction: direction as MessageRecord['direction'],
        contact,
        business,
        contentType,
      });
  }
}

/** The facts of one status record, as its projection gives them. */
export function statusFacts(record: MessageStatusRecord): StatusFacts {
  return {
    messageId: record.messageId,
    id: record.id,
    at: parseInstant(record.at),
    status: record.status,
    providerStatus: record.providerStatus,
    error: record.error,
    contact: record.contact,
    business: record.business,
  };
}

/** The facts of one message record, as its projection gives them. */
export function messageFacts(record: MessageRecord): MessageFacts {
  return {
    messageId: record.messageId,
    id: record.id,
    at: parseInstant(record.at),
    direction: record.direction,
    contact: record.contact,
    business: record.business,
    contentType: record.contentType,
  };
}
