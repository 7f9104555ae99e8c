import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CONTENT_TYPES, type CONVERSATION_TYPES } from '../../shared/records/message.ts';
import { type AnyRecord, validateRecord } from '../../shared/records/registry.ts';
import type { MessageStatus } from '../../shared/records/status-catalog.ts';

// The WhatsApp Business Cloud API's inbound webhooks (DESIGN §9, §12), as pure functions the
// webhook route calls: check the signature on the raw bytes, answer Meta's verification GET, and
// turn one posted payload into records. Nothing here touches the database or the network.

/** The `object` of every WhatsApp Business Account webhook payload. */
export const WEBHOOK_OBJECT = 'whatsapp_business_account';
/** The header Meta signs every POST with. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Whether `header` (`X-Hub-Signature-256: sha256=<hex>`) is the HMAC-SHA256 of the exact bytes
 * received, keyed with the app secret. The compare takes the same time wherever the digests
 * differ, so a forger learns nothing from timing. A missing, malformed or wrong-length header is
 * `false`, as is an empty secret: an integration without one must not accept every body.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (appSecret === '' || header === undefined) return false;
  const match = SIGNATURE.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(match[1]!, 'hex'));
}

/** The header value Meta would send for `rawBody`; for tests, fixtures and the bench. */
export function signatureFor(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export type VerificationAnswer = { ok: true; challenge: string } | { ok: false; reason: string };

/**
 * Meta's challenge is a number; anything else echoed back verbatim would let whoever knows the
 * URL make the server answer text of their choosing, so only a plain token is echoed.
 */
const CHALLENGE = /^[A-Za-z0-9_.-]{1,256}$/;

/**
 * Answers Meta's verification GET (`hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`):
 * the challenge to echo as the body of a 200, or the reason to refuse (the route answers 403).
 * `query` is the parsed query string as Fastify gives it (keys with dots are kept flat; a
 * repeated key is an array and refused). The token is compared in constant time.
 */
export function answerVerification(query: unknown, verifyToken: string): VerificationAnswer {
  const params = isObject(query) ? query : {};
  const mode = params['hub.mode'];
  const token = params['hub.verify_token'];
  const challenge = params['hub.challenge'];
  if (mode !== 'subscribe') return { ok: false, reason: 'hub.mode: must be "subscribe"' };
  if (typeof token !== 'string' || token === '')
    return { ok: false, reason: 'hub.verify_token: is required' };
  if (verifyToken === '' || !sameSecret(token, verifyToken))
    return { ok: false, reason: "hub.verify_token: does not match this integration's verify token" };
  if (typeof challenge !== 'string' || !CHALLENGE.test(challenge))
    return {
      ok: false,
      reason: 'hub.challenge: must be 1 to 256 letters, digits, ".", "_" or "-" (Meta sends a number)',
    };
  return { ok: true, challenge };
}

/** Equal-time comparison of two secrets of any length (their digests have the same length). */
function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * How Meta's error codes on a `failed` status map to the status catalog (DESIGN §9). One table:
 * docs/integrations.md lists it and a test keeps the two equal. A code not here maps to
 * `failed`, keeping its code and title in `providerStatus` and `error`. Meanings are Meta's
 * titles (Cloud API error codes reference).
 */
export const ERROR_CODE_STATUS: ReadonlyMap<number, { status: MessageStatus; meaning: string }> = new Map([
  // The contact's side.
  [131026, { status: 'undelivered', meaning: 'Message undeliverable (not on WhatsApp, old app, terms)' }],
  [
    131047,
    { status: 'invalid_session', meaning: 'Re-engagement message: over 24 h since the contact wrote' },
  ],
  [131050, { status: 'opt_out', meaning: 'The contact stopped marketing messages from the business' }],
  [131021, { status: 'invalid_parameter', meaning: 'Recipient cannot be sender' }],
  // WhatsApp withholding it: limits and Meta's own choices.
  [131049, { status: 'tier_limit', meaning: 'Not delivered to maintain healthy ecosystem engagement' }],
  [130472, { status: 'tier_limit', meaning: "The contact's number is part of an experiment" }],
  [131056, { status: 'tier_limit', meaning: '(Business, consumer) pair rate limit hit' }],
  [130429, { status: 'tier_limit', meaning: 'Rate limit hit (Cloud API throughput)' }],
  [131048, { status: 'tier_limit', meaning: 'Spam rate limit hit' }],
  // The request.
  [131008, { status: 'invalid_parameter', meaning: 'Required parameter is missing' }],
  [131009, { status: 'invalid_parameter', meaning: 'Parameter value is not valid' }],
  [132000, { status: 'invalid_parameter', meaning: "Template parameters' count does not match" }],
  [132012, { status: 'invalid_parameter', meaning: "Template parameters' format does not match" }],
  // The content.
  [131051, { status: 'invalid_content', meaning: 'Unsupported message type' }],
  [131052, { status: 'invalid_content', meaning: 'Media download error' }],
  [131053, { status: 'invalid_content', meaning: 'Media upload error' }],
  [132001, { status: 'invalid_content', meaning: 'Template does not exist (name or language)' }],
  [132005, { status: 'invalid_content', meaning: 'Template text too long once filled in' }],
  [132007, { status: 'invalid_content', meaning: 'Template format character policy violated' }],
  [132015, { status: 'invalid_content', meaning: 'Template is paused (low quality)' }],
  [132016, { status: 'invalid_content', meaning: 'Template is disabled' }],
  // The business account: WhatsApp refuses to carry the message.
  [368, { status: 'rejected', meaning: 'Temporarily blocked for policy violations' }],
  [130497, { status: 'rejected', meaning: 'Business account restricted from messaging this country' }],
  [131031, { status: 'rejected', meaning: 'Business account has been locked' }],
  [131042, { status: 'rejected', meaning: 'Business eligibility payment issue' }],
  // Meta's side.
  [131000, { status: 'internal_error', meaning: 'Something went wrong' }],
  [131016, { status: 'internal_error', meaning: 'Service unavailable' }],
  [1, { status: 'internal_error', meaning: 'API unknown error' }],
  [2, { status: 'internal_error', meaning: 'API service temporarily unavailable' }],
]);

/** The catalog status of a failure with Meta error `code`: the table's, else `failed`. */
export function statusForErrorCode(code: number | undefined): MessageStatus {
  return (code === undefined ? undefined : ERROR_CODE_STATUS.get(code)?.status) ?? 'failed';
}

/** A business number a payload came through, for the Numbers report and the integration's page. */
export interface BusinessNumber {
  /** Meta's id of the phone number (`metadata.phone_number_id`). */
  phoneNumberId: string;
  /** The number itself, digits only (`metadata.display_phone_number`). */
  displayPhoneNumber: string;
  /** The WhatsApp Business Account's id (`entry[].id`). */
  wabaId: string;
}

export interface WebhookRecords {
  /** Every record the payload holds, each valid (`validateRecord`), one per id. */
  records: AnyRecord[];
  /** `entry[0].changes[1].value.statuses[3].timestamp: what is wrong`, one per item or field refused. */
  problems: string[];
  /** The business numbers the payload names, once each. */
  numbers: BusinessNumber[];
}

const STATUS_VALUES = ['sent', 'delivered', 'read', 'failed'] as const;
type ProviderStatus = (typeof STATUS_VALUES)[number];

/** Record ids are at most this long; longer derived ids are hashed. */
const MAX_ID = 128;
/** The schema's limits, so a long title is shortened rather than the record refused. */
const MAX_PROVIDER_STATUS = 256;
const MAX_ERROR = 1024;
const MAX_TEXT = 65_536;
const MAX_SHORT = 256;
/** The last second of year 9999: an instant beyond it cannot be stored (shared/time/parse.ts). */
const MAX_UNIX_SECONDS = 253_402_300_799;

/**
 * Turns one webhook payload (already parsed from JSON, signature already checked) into records:
 * each `statuses[]` item a `message_status`, each `messages[]` item an MO `message`. A malformed
 * item is reported in `problems` with where it was and skipped; a malformed optional part
 * (conversation, pricing, a contact's name) is reported and left out while the rest of its item
 * is kept. Changes of other fields (template updates, account alerts) hold no records and are
 * skipped silently. Record ids derive from the payload alone, so Meta's retries give the same ids.
 */
export function recordsFromWebhook(payload: unknown): WebhookRecords {
  const out = new Output();
  if (!isObject(payload) || payload.object !== WEBHOOK_OBJECT) {
    out.problem(
      'object',
      `must be "${WEBHOOK_OBJECT}": this is not a WhatsApp Business Account webhook payload`,
    );
    return out.result();
  }
  const entries = payload.entry;
  if (!Array.isArray(entries)) {
    out.problem('entry', 'must be an array');
    return out.result();
  }
  entries.forEach((entry, e) => {
    const entryPath = `entry[${e}]`;
    if (!isObject(entry)) {
      out.problem(entryPath, 'must be an object');
      return;
    }
    const wabaId = idText(entry.id);
    if (wabaId === undefined) {
      out.problem(`${entryPath}.id`, 'must be the WhatsApp Business Account id');
      return;
    }
    if (!Array.isArray(entry.changes)) {
      out.problem(`${entryPath}.changes`, 'must be an array');
      return;
    }
    entry.changes.forEach((change, c) => {
      const changePath = `${entryPath}.changes[${c}]`;
      if (!isObject(change)) {
        out.problem(changePath, 'must be an object');
        return;
      }
      if (change.field !== 'messages') return;
      mapChange(change.value, `${changePath}.value`, wabaId, out);
    });
  });
  return out.result();
}

/** Collects records (once per id), problems and business numbers. */
class Output {
  private readonly records = new Map<string, AnyRecord>();
  private readonly problems: string[] = [];
  private readonly numbers = new Map<string, BusinessNumber>();

  problem(path: string, what: string): void {
    this.problems.push(`${path}: ${what}`);
  }

  /** Adds `record` if it is valid; a retry inside one payload (same id) is kept once. */
  record(path: string, record: Record<string, unknown>): void {
    const checked = validateRecord(record);
    if (!checked.ok) {
      this.problem(path, checked.error);
      return;
    }
    if (!this.records.has(checked.record.id)) this.records.set(checked.record.id, checked.record);
  }

  number(number: BusinessNumber): void {
    const key = `${number.wabaId}\n${number.phoneNumberId}\n${number.displayPhoneNumber}`;
    if (!this.numbers.has(key)) this.numbers.set(key, number);
  }

  result(): WebhookRecords {
    return {
      records: [...this.records.values()],
      problems: this.problems,
      numbers: [...this.numbers.values()],
    };
  }
}

/** What every record from one change carries: the business number it came through. */
interface Business {
  business: string;
  phoneNumberId: string;
  wabaId: string;
}

function mapChange(value: unknown, path: string, wabaId: string, out: Output): void {
  if (!isObject(value)) {
    out.problem(path, 'must be an object');
    return;
  }
  if (value.messaging_product !== undefined && value.messaging_product !== 'whatsapp') {
    out.problem(`${path}.messaging_product`, 'must be "whatsapp"');
    return;
  }
  const metadata = value.metadata;
  if (!isObject(metadata)) {
    out.problem(`${path}.metadata`, 'is required (the business number)');
    return;
  }
  const business = phoneDigits(metadata.display_phone_number);
  if (business === undefined) {
    out.problem(
      `${path}.metadata.display_phone_number`,
      'must be a phone number (the business number every record of this change names)',
    );
    return;
  }
  const phoneNumberId = idText(metadata.phone_number_id);
  if (phoneNumberId === undefined) {
    out.problem(`${path}.metadata.phone_number_id`, "must be the business number's id");
    return;
  }
  const from: Business = { business, phoneNumberId, wabaId };
  out.number({ phoneNumberId, displayPhoneNumber: business, wabaId });

  if (value.statuses !== undefined) {
    if (!Array.isArray(value.statuses)) out.problem(`${path}.statuses`, 'must be an array');
    else
      value.statuses.forEach((item, i) => {
        mapStatus(item, `${path}.statuses[${i}]`, from, out);
      });
  }
  if (value.messages !== undefined) {
    if (!Array.isArray(value.messages)) out.problem(`${path}.messages`, 'must be an array');
    else {
      const names = contactNames(value.contacts, `${path}.contacts`, out);
      value.messages.forEach((item, i) => {
        mapMessage(item, `${path}.messages[${i}]`, from, names, out);
      });
    }
  }
}

/** A required field's value as `read` makes it, or a problem naming the field and `undefined`. */
function required<T>(
  out: Output,
  path: string,
  raw: unknown,
  read: (raw: unknown) => T | undefined,
  what: string,
): T | undefined {
  if (raw === undefined || raw === null) {
    out.problem(path, 'is required');
    return undefined;
  }
  const value = read(raw);
  if (value === undefined) out.problem(path, what);
  return value;
}

const TIMESTAMP_PROBLEM = 'must be Unix seconds (digits, as Meta sends them)';
const PHONE_PROBLEM = 'must be a phone number (digits, optionally with + and separators)';

function mapStatus(item: unknown, path: string, from: Business, out: Output): void {
  if (!isObject(item)) {
    out.problem(path, 'must be an object');
    return;
  }
  const messageId = required(out, `${path}.id`, item.id, idText, 'must be the message id (wamid)');
  const status = required(
    out,
    `${path}.status`,
    item.status,
    (raw) => ((STATUS_VALUES as readonly unknown[]).includes(raw) ? (raw as ProviderStatus) : undefined),
    `must be one of ${STATUS_VALUES.join(', ')}`,
  );
  const seconds = required(out, `${path}.timestamp`, item.timestamp, unixSeconds, TIMESTAMP_PROBLEM);
  const contact = required(out, `${path}.recipient_id`, item.recipient_id, phoneDigits, PHONE_PROBLEM);
  if (messageId === undefined || status === undefined || seconds === undefined || contact === undefined)
    return;

  const failure = status === 'failed' ? failureOf(item.errors, `${path}.errors`, out) : undefined;
  const record: Record<string, unknown> = {
    id: derivedId(`wa:${messageId}:${status}:${seconds}`),
    type: 'message_status',
    at: isoFromUnix(seconds),
    messageId,
    status: status === 'failed' ? statusForErrorCode(failure?.code) : status,
    providerStatus: clip(failure ? `${status}: ${failure.text}` : status, MAX_PROVIDER_STATUS),
    contact,
    business: from.business,
    phoneNumberId: from.phoneNumberId,
    wabaId: from.wabaId,
  };
  if (failure) {
    record.error = clip(failure.text, MAX_ERROR);
    if (failure.details !== undefined) record.errorDetails = clip(failure.details, MAX_ERROR);
  }
  Object.assign(record, conversationFields(item.conversation, `${path}.conversation`, out));
  Object.assign(record, pricingFields(item.pricing, `${path}.pricing`, out));
  out.record(path, record);
}

/** The first error decides the status; every error's code and title are kept in `error`. */
function failureOf(
  errors: unknown,
  path: string,
  out: Output,
): { code: number | undefined; text: string; details?: string } | undefined {
  if (errors === undefined) return undefined;
  if (!Array.isArray(errors) || errors.length === 0) {
    out.problem(path, 'must be a list of errors (kept as failed without them)');
    return undefined;
  }
  let code: number | undefined;
  let details: string | undefined;
  const texts: string[] = [];
  errors.forEach((error, i) => {
    if (!isObject(error)) {
      out.problem(`${path}[${i}]`, 'must be an object');
      return;
    }
    const errorCode = errorCodeOf(error.code);
    if (error.code !== undefined && errorCode === undefined)
      out.problem(`${path}[${i}].code`, 'must be a whole number (kept as failed without it)');
    const title = shortText(error.title, MAX_ERROR) ?? shortText(error.message, MAX_ERROR);
    const text = [errorCode, title].filter((part) => part !== undefined).join(' ');
    if (text === '') return;
    if (texts.length === 0) {
      code = errorCode;
      const errorData = error.error_data;
      details = isObject(errorData) ? shortText(errorData.details, MAX_ERROR) : undefined;
    }
    texts.push(text);
  });
  return texts.length === 0 ? undefined : { code, text: texts.join('; '), details };
}

/** Meta's conversation origin types, and the category-era ones, as the message schema names them. */
const CONVERSATION_TYPE_OF: Record<string, (typeof CONVERSATION_TYPES)[number]> = {
  business_initiated: 'business_initiated',
  marketing: 'business_initiated',
  utility: 'business_initiated',
  authentication: 'business_initiated',
  authentication_international: 'business_initiated',
  user_initiated: 'user_initiated',
  service: 'user_initiated',
  referral_conversion: 'free_entry_point',
  free_entry_point: 'free_entry_point',
};

/**
 * The conversation a status was billed in, under the message record's names (`conversationId`,
 * `conversationType`, `conversationExpiresAt`), plus Meta's own `conversationCategory`. Stored as
 * extra fields of the status: the message may never be seen, and these are known only here.
 */
function conversationFields(raw: unknown, path: string, out: Output): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    out.problem(path, 'must be an object (the status is kept without it)');
    return {};
  }
  const fields: Record<string, unknown> = {};
  const id = idText(raw.id);
  if (id !== undefined) fields.conversationId = id;
  else if (raw.id !== undefined)
    out.problem(`${path}.id`, 'must be a text id (the status is kept without it)');
  if (raw.expiration_timestamp !== undefined) {
    const seconds = unixSeconds(raw.expiration_timestamp);
    if (seconds === undefined)
      out.problem(`${path}.expiration_timestamp`, `${TIMESTAMP_PROBLEM} (the status is kept without it)`);
    else fields.conversationExpiresAt = isoFromUnix(seconds);
  }
  const origin = isObject(raw.origin) ? shortText(raw.origin.type) : undefined;
  if (origin !== undefined) {
    fields.conversationCategory = origin;
    const type = CONVERSATION_TYPE_OF[origin];
    if (type !== undefined) fields.conversationType = type;
  }
  return fields;
}

/** Whether and how Meta bills the message: `billable`, `pricingModel`, `pricingCategory`, `pricingType`. */
function pricingFields(raw: unknown, path: string, out: Output): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    out.problem(path, 'must be an object (the status is kept without it)');
    return {};
  }
  const fields: Record<string, unknown> = {};
  if (typeof raw.billable === 'boolean') fields.billable = raw.billable;
  else if (raw.billable !== undefined)
    out.problem(`${path}.billable`, 'must be true or false (the status is kept without it)');
  const model = shortText(raw.pricing_model);
  if (model !== undefined) fields.pricingModel = model;
  const category = shortText(raw.category);
  if (category !== undefined) fields.pricingCategory = category;
  const type = shortText(raw.type);
  if (type !== undefined) fields.pricingType = type;
  return fields;
}

/** `contacts[]` of a change: each sender's WhatsApp id to their profile name. */
function contactNames(raw: unknown, path: string, out: Output): Map<string, string> {
  const names = new Map<string, string>();
  if (raw === undefined) return names;
  if (!Array.isArray(raw)) {
    out.problem(path, "must be an array (the messages are kept without the contacts' names)");
    return names;
  }
  raw.forEach((contact, i) => {
    if (!isObject(contact)) {
      out.problem(`${path}[${i}]`, 'must be an object');
      return;
    }
    const waId = phoneDigits(contact.wa_id);
    const name = isObject(contact.profile) ? shortText(contact.profile.name) : undefined;
    if (waId !== undefined && name !== undefined) names.set(waId, name);
  });
  return names;
}

const CONTENT_TYPE_SET: ReadonlySet<string> = new Set(CONTENT_TYPES);

function mapMessage(
  item: unknown,
  path: string,
  from: Business,
  names: Map<string, string>,
  out: Output,
): void {
  if (!isObject(item)) {
    out.problem(path, 'must be an object');
    return;
  }
  const messageId = required(out, `${path}.id`, item.id, idText, 'must be the message id (wamid)');
  const contact = required(out, `${path}.from`, item.from, phoneDigits, PHONE_PROBLEM);
  const seconds = required(out, `${path}.timestamp`, item.timestamp, unixSeconds, TIMESTAMP_PROBLEM);
  const type = required(out, `${path}.type`, item.type, shortText, 'must be the message type');
  if (messageId === undefined || contact === undefined || seconds === undefined || type === undefined) return;

  // Incoming messages are never templates; a type the catalog lacks (reaction, contacts, order,
  // system, unsupported…) is `other` and keeps Meta's word for it.
  const contentType = type !== 'template' && CONTENT_TYPE_SET.has(type) ? type : 'other';
  const record: Record<string, unknown> = {
    id: derivedId(`wa:${messageId}`),
    type: 'message',
    at: isoFromUnix(seconds),
    messageId,
    channel: 'whatsapp',
    direction: 'MO',
    contact,
    business: from.business,
    contentType,
    phoneNumberId: from.phoneNumberId,
    wabaId: from.wabaId,
  };
  if (contentType === 'other') record.providerType = type;
  const text = textOf(item, type);
  if (text !== undefined) record.text = clip(text, MAX_TEXT);
  const context = item.context;
  if (context !== undefined) {
    const replyTo = isObject(context) ? idText(context.id) : undefined;
    if (replyTo !== undefined) record.replyTo = replyTo;
    else if (!isObject(context) || context.id !== undefined)
      out.problem(
        `${path}.context.id`,
        'must be the id of the message answered (the message is kept without it)',
      );
  }
  const name = names.get(contact);
  if (name !== undefined) record.contactName = name;
  const failure = failureOf(item.errors, `${path}.errors`, out);
  if (failure) record.error = clip(failure.text, MAX_ERROR);
  out.record(path, record);
}

/** What the contact wrote, chose or captioned, by the message's type. */
function textOf(item: Record<string, unknown>, type: string): string | undefined {
  const body = item[type];
  if (!isObject(body)) return undefined;
  switch (type) {
    case 'text':
      return longText(body.body);
    case 'button':
      return longText(body.text);
    case 'interactive': {
      const reply = isObject(body.button_reply)
        ? body.button_reply
        : isObject(body.list_reply)
          ? body.list_reply
          : undefined;
      if (reply) return longText(reply.title);
      return isObject(body.nfm_reply) ? longText(body.nfm_reply.body) : undefined;
    }
    case 'image':
    case 'video':
    case 'document':
      return longText(body.caption);
    case 'location':
      return longText(body.name) ?? longText(body.address);
    case 'reaction':
      return longText(body.emoji);
    default:
      return undefined;
  }
}

/**
 * A record id from the parts that make an update unique: plain while it fits the 128 characters
 * an id may have (readable when support looks at a row), else `wa:` and its SHA-256.
 */
function derivedId(plain: string): string {
  return plain.length <= MAX_ID ? plain : `wa:${createHash('sha256').update(plain).digest('hex')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An id as Meta sends it: a non-empty string, or a number for ids some senders send unquoted. */
function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > MAX_SHORT ? undefined : trimmed;
}

/** A non-blank text, trimmed and shortened to `max` characters. */
function shortText(value: unknown, max = MAX_SHORT): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? clip(value.trim(), max) : undefined;
}

function longText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A phone number as digits only: Meta sends digits, a display number may have + and separators. */
function phoneDigits(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\+?[0-9][0-9 ().-]*$/.test(value.trim())) return undefined;
  const digits = value.replace(/[^0-9]/g, '');
  return digits.length >= 1 && digits.length <= 20 ? digits : undefined;
}

/** Unix seconds as Meta sends them (a string of digits; a number is accepted too). */
function unixSeconds(value: unknown): number | undefined {
  const seconds =
    typeof value === 'string' && /^[0-9]{1,12}$/.test(value)
      ? Number(value)
      : typeof value === 'number' && Number.isSafeInteger(value)
        ? value
        : undefined;
  return seconds !== undefined && seconds >= 0 && seconds <= MAX_UNIX_SECONDS ? seconds : undefined;
}

function isoFromUnix(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function errorCodeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^[0-9]{1,12}$/.test(value)) return Number(value);
  return undefined;
}

/** Shortens `text` to `max` characters without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}
