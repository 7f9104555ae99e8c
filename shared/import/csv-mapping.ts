import type { TObject, TSchema } from '@sinclair/typebox';
import type { Localized } from '../i18n.ts';
import { unstorableProblem } from '../json/storable.ts';
import { campaignSchema } from '../records/campaign.ts';
import type { InvalidLine } from '../records/jsonl.ts';
import { messageSchema } from '../records/message.ts';
import { messageStatusSchema } from '../records/message-status.ts';
import { type AnyRecord, validateRecord } from '../records/registry.ts';
import { MESSAGE_STATUS_CATALOG } from '../records/status-catalog.ts';
import { ticketSchema } from '../records/ticket.ts';
import { parseInstantInZone } from '../time/parse.ts';
import { isValidTimeZone, ZoneClock } from '../time/zone.ts';

/**
 * How the rows of a CSV (the messaging platform's broadcast and SMS exports) become records
 * (issue 10 §5): a target kind, and for each of its fields a column or a constant, read through a
 * small transform chosen by the field's type. Pure, so the worker, the screen's preview, the tests
 * and the bench all use this one logic.
 */

/** The kinds a CSV can be mapped to (activity comes from the extension, never from a spreadsheet). */
export const CSV_KINDS = ['message', 'message_status', 'campaign', 'ticket'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export const TRANSFORMS = ['text', 'date', 'phone', 'number', 'boolean', 'status'] as const;
export type TransformName = (typeof TRANSFORMS)[number];

/** How the date columns are written; `iso` also takes local `2026-03-10 08:00`, read in the zone. */
export const DATE_FORMATS = ['dd/MM/yyyy', 'MM/dd/yyyy', 'iso'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export type FieldRule =
  | { source: 'column'; column: string; transform: TransformName }
  | { source: 'constant'; value: string; transform: TransformName };

export interface CsvMapping {
  kind: CsvKind;
  /** Applies to every `date` field; the time part (`HH:mm` or `HH:mm:ss`) is optional. */
  dateFormat: DateFormat;
  /** The zone the export's local dates and times are in (the platform writes Brasília time). */
  timeZone: string;
  /** Record field → where its value comes from; fields not named are left out. */
  fields: Partial<Record<string, FieldRule>>;
}

export interface FieldInfo {
  name: string;
  required: boolean;
  transform: TransformName;
  /** The values a field of fixed choices accepts (matched without regard to case). */
  choices?: readonly string[];
  /** For kind `message`: a field of the message_status record the row also makes. */
  status?: boolean;
}

const SCHEMAS: Record<CsvKind, TObject> = {
  message: messageSchema,
  message_status: messageStatusSchema,
  campaign: campaignSchema,
  ticket: ticketSchema,
};

/**
 * A row of a broadcast export is a message together with its current status: mapping these on a
 * `message` makes the row give a `message_status` record too (same messageId), which is what the
 * delivery reports read.
 */
const STATUS_OF_MESSAGE = ['status', 'statusAt', 'providerStatus', 'error'] as const;

function fieldInfo(name: string, schema: TSchema, required: boolean): FieldInfo {
  const choices = (schema.anyOf as { const?: unknown }[] | undefined)?.map((option) => String(option.const));
  const transform: TransformName =
    name === 'status' && choices?.includes('delivered')
      ? 'status'
      : schema.format === 'instant'
        ? 'date'
        : schema.pattern === '^[0-9]{1,20}$'
          ? 'phone'
          : schema.type === 'number' || schema.type === 'integer'
            ? 'number'
            : schema.type === 'boolean'
              ? 'boolean'
              : 'text';
  return { name, required, transform, ...(choices && transform === 'text' ? { choices } : {}) };
}

const FIELDS = new Map<CsvKind, FieldInfo[]>(
  CSV_KINDS.map((kind) => {
    const schema = SCHEMAS[kind];
    const required = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties)
      .filter(([name]) => name !== 'id' && name !== 'type')
      .map(([name, property]) => fieldInfo(name, property, required.has(name)));
    if (kind === 'message') {
      const statusProps = messageStatusSchema.properties as Record<string, TSchema>;
      for (const name of STATUS_OF_MESSAGE) {
        const property = name === 'statusAt' ? statusProps.at! : statusProps[name]!;
        fields.push({ ...fieldInfo(name, property, false), status: true });
      }
    }
    return [kind, fields];
  }),
);

/** The fields a mapping to `kind` may fill, required first in schema order. */
export function fieldsOf(kind: CsvKind): readonly FieldInfo[] {
  return FIELDS.get(kind)!;
}

export const KIND_LABELS: Record<CsvKind, Localized> = {
  message: { en: 'Messages (with their status)', 'pt-BR': 'Mensagens (com seu status)' },
  message_status: { en: 'Delivery statuses', 'pt-BR': 'Status de entrega' },
  campaign: { en: 'Campaigns', 'pt-BR': 'Campanhas' },
  ticket: { en: 'Tickets', 'pt-BR': 'Tickets' },
};

/** Lower case, no accents, no punctuation: "Data de Envio" and "data_de_envio" look alike. */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// The column titles of the platform's exports in both locales (and common variants), per field.
const HEADER_ALIASES: Record<string, readonly string[]> = {
  at: [
    'data de envio',
    'data envio',
    'data do envio',
    'enviado em',
    'data',
    'data hora',
    'sent at',
    'date',
    'send date',
    'date sent',
    'created at',
    'data de criacao',
  ],
  messageId: ['id da mensagem', 'id mensagem', 'message id', 'messageid', 'wamid'],
  contact: [
    'numero',
    'telefone',
    'celular',
    'destino',
    'destinatario',
    'numero do contato',
    'contato',
    'number',
    'phone',
    'phone number',
    'recipient',
    'mobile',
    'to',
    'contact',
  ],
  business: [
    'remetente',
    'numero remetente',
    'numero de origem',
    'integracao',
    'sender',
    'from',
    'business number',
  ],
  channel: ['canal', 'channel'],
  direction: ['direcao', 'sentido', 'direction'],
  contentType: ['tipo de conteudo', 'tipo de mensagem', 'content type', 'message type'],
  text: ['mensagem', 'texto', 'conteudo', 'message', 'text', 'content'],
  templateId: ['id do template', 'template id'],
  templateName: ['template', 'nome do template', 'modelo', 'template name', 'hsm'],
  campaignId: ['campanha', 'id da campanha', 'campaign', 'campaign id'],
  name: ['nome da campanha', 'nome', 'campaign name', 'name'],
  scheduledAt: ['agendado para', 'data de agendamento', 'agendamento', 'scheduled at', 'scheduled'],
  ticketId: ['ticket', 'protocolo', 'id do ticket', 'ticket id'],
  action: ['acao', 'evento', 'action', 'event'],
  queue: ['fila', 'queue'],
  agentId: ['id do agente', 'login do agente', 'agent id'],
  agentName: ['agente', 'atendente', 'agent', 'agent name'],
  contactName: ['nome do contato', 'cliente', 'contact name'],
  tag: ['tag', 'etiqueta', 'tabulacao'],
  subaccount: ['subconta', 'sub conta', 'subaccount'],
  user: ['usuario', 'user'],
  document: ['cpf cnpj', 'cpf', 'cnpj', 'documento', 'document'],
  correlationId: ['id de correlacao', 'correlation id', 'correlationid'],
  costCentre: ['centro de custo', 'cost centre', 'cost center'],
  cost: ['custo', 'valor', 'preco', 'cost', 'price'],
  currency: ['moeda', 'currency'],
  billable: ['tarifado', 'cobrado', 'faturado', 'cobravel', 'billable', 'billed'],
  status: ['status', 'situacao', 'status da mensagem', 'message status'],
  statusAt: ['data do status', 'data de status', 'data da entrega', 'status date', 'status at'],
  providerStatus: ['status externo', 'external status', 'provider status'],
  error: ['erro', 'motivo', 'detalhe do erro', 'error', 'reason'],
};

/**
 * A mapping guessed from the header: each field gets the first column whose title is one of its
 * aliases, the enumerations a broadcast export never states get constants (`MT`, `whatsapp`,
 * `template` when a template column is there). The kind, unless given, is the one whose required
 * fields the header fills best.
 */
export function suggestMapping(
  headers: readonly string[],
  options: { kind?: CsvKind; timeZone: string; dateFormat?: DateFormat },
): CsvMapping {
  const normalized = headers.map(normalizeLabel);
  const columnFor = (field: string): string | undefined => {
    for (const alias of HEADER_ALIASES[field] ?? []) {
      const index = normalized.indexOf(alias);
      if (index >= 0) return headers[index];
    }
    return undefined;
  };
  // Fields the header fills, less required ones it leaves empty (except those a message gets
  // by default): a broadcast export names a number, a date and a status, and is messages.
  const byDefault = new Set(['messageId', 'direction', 'channel', 'contentType', 'business']);
  const score = (kind: CsvKind) =>
    fieldsOf(kind).reduce((sum, field) => {
      if (columnFor(field.name)) return sum + 1;
      return field.required && !(kind === 'message' && byDefault.has(field.name)) ? sum - 1 : sum;
    }, 0);
  const kind =
    options.kind ??
    [...CSV_KINDS].sort((a, b) => score(b) - score(a) || CSV_KINDS.indexOf(a) - CSV_KINDS.indexOf(b))[0]!;
  const fields: CsvMapping['fields'] = {};
  const used = new Set<string>();
  for (const field of fieldsOf(kind)) {
    const column = columnFor(field.name);
    if (column !== undefined && !used.has(column)) {
      used.add(column);
      fields[field.name] = { source: 'column', column, transform: field.transform };
    }
  }
  if (kind === 'message') {
    const constant = (name: string, value: string) => {
      fields[name] ??= { source: 'constant', value, transform: 'text' };
    };
    constant('direction', 'MT');
    constant('channel', 'whatsapp');
    constant('contentType', fields.templateName || fields.templateId ? 'template' : 'text');
    constant('origin', 'broadcast');
  }
  return { kind, dateFormat: options.dateFormat ?? guessDateFormat(), timeZone: options.timeZone, fields };
}

function guessDateFormat(): DateFormat {
  // The platform's exports write Brazilian dates; the preview shows at once when that is wrong.
  return 'dd/MM/yyyy';
}

/**
 * What keeps a mapping from being applied to a file with these columns, each a sentence naming
 * the field or column: a column the file lacks, a required field with no source, an unknown field
 * or transform, a bad time zone. Empty when the mapping is usable.
 */
export function mappingProblems(mapping: CsvMapping, headers: readonly string[]): string[] {
  const problems: string[] = [];
  if (!(CSV_KINDS as readonly string[]).includes(mapping.kind))
    return [`kind: must be one of ${CSV_KINDS.join(', ')}`];
  if (!isValidTimeZone(mapping.timeZone))
    problems.push(`time zone: "${mapping.timeZone}" is not a known zone`);
  if (!(DATE_FORMATS as readonly string[]).includes(mapping.dateFormat))
    problems.push(`date format: must be one of ${DATE_FORMATS.join(', ')}`);
  const known = new Map(fieldsOf(mapping.kind).map((field) => [field.name, field]));
  const available = new Set(headers);
  for (const [name, rule] of Object.entries(mapping.fields)) {
    if (!rule) continue;
    if (!known.has(name)) problems.push(`${name}: is not a field of ${mapping.kind}`);
    else if (!(TRANSFORMS as readonly string[]).includes(rule.transform))
      problems.push(`${name}: transform must be one of ${TRANSFORMS.join(', ')}`);
    else if (rule.source === 'column' && !available.has(rule.column))
      problems.push(
        `${name}: column "${rule.column}" is not in the file (its columns: ${headers.join(', ')})`,
      );
    else if (rule.source === 'constant') {
      // Checked here, once: the rows' records are then checked without looking at every text.
      const problem = unstorableProblem(rule.value);
      if (problem) problems.push(`${name}: the constant ${problem}`);
    }
  }
  for (const field of known.values()) {
    if (!field.required || mapping.fields[field.name]) continue;
    // A broadcast export rarely has the provider's message id: the row's own id stands in for it.
    if (mapping.kind === 'message' && field.name === 'messageId') continue;
    problems.push(`${field.name}: is required; choose a column or a constant`);
  }
  if (mapping.kind === 'message') {
    const statusFields = STATUS_OF_MESSAGE.filter((name) => mapping.fields[name]);
    if (statusFields.length > 0 && !mapping.fields.status)
      problems.push(`status: is required when ${statusFields.join(', ')} is mapped`);
  }
  return problems;
}

type Converted = { value: string | number | boolean | undefined } | { error: string };
type Converter = (text: string) => Converted;

const BOOLEANS = new Map<string, boolean>(
  [
    ...['sim', 's', 'yes', 'y', 'true', 'verdadeiro', '1', 'x'].map((word) => [word, true] as const),
    ...['nao', 'n', 'no', 'false', 'falso', '0'].map((word) => [word, false] as const),
  ].map(([word, value]) => [normalizeLabel(word), value]),
);

// The catalog's values and labels in both locales, and the masculine forms exports also use.
const STATUSES = new Map<string, string>();
for (const entry of MESSAGE_STATUS_CATALOG) {
  for (const text of [entry.value, entry.label.en, entry.label['pt-BR']])
    STATUSES.set(normalizeLabel(text), entry.value);
}
for (const [text, value] of [
  ['enviado', 'sent'],
  ['lido', 'read'],
  ['aceito', 'accepted'],
  ['rejeitado', 'rejected'],
  ['expirado', 'expired'],
  ['falhou', 'failed'],
  ['erro', 'failed'],
  ['nao entregue', 'undelivered'],
] as const)
  STATUSES.set(text, value);

const DATE_PATTERNS: Record<Exclude<DateFormat, 'iso'>, RegExp> = {
  'dd/MM/yyyy':
    /^(?<day>\d{1,2})[/.-](?<month>\d{1,2})[/.-](?<year>\d{4})(?:[ T]+(?<time>\d{1,2}:\d{2}(?::\d{2})?))?$/,
  'MM/dd/yyyy':
    /^(?<month>\d{1,2})[/.-](?<day>\d{1,2})[/.-](?<year>\d{4})(?:[ T]+(?<time>\d{1,2}:\d{2}(?::\d{2})?))?$/,
};

function converter(
  field: FieldInfo,
  transform: TransformName,
  mapping: CsvMapping,
  clock: ZoneClock,
): Converter {
  switch (transform) {
    case 'date': {
      const pattern = mapping.dateFormat === 'iso' ? undefined : DATE_PATTERNS[mapping.dateFormat];
      const expected =
        mapping.dateFormat === 'iso'
          ? 'an ISO date (2026-03-10T18:41:00Z)'
          : `a date ${mapping.dateFormat} HH:mm[:ss]`;
      return (text) => {
        let iso = text;
        if (pattern) {
          const groups = pattern.exec(text)?.groups;
          if (!groups) return { error: `"${text}" is not ${expected}` };
          const [hour = '0', minute = '0', second = '0'] = (groups.time ?? '').split(':').filter(Boolean);
          const two = (part: string) => part.padStart(2, '0');
          iso = `${groups.year}-${two(groups.month!)}-${two(groups.day!)}T${two(hour)}:${two(minute)}:${two(second)}`;
        }
        const ms = parseInstantInZone(iso, clock);
        return ms === undefined
          ? { error: `"${text}" is not ${expected} that exists` }
          : { value: new Date(ms).toISOString() };
      };
    }
    case 'phone':
      return (text) => {
        const digits = text.replace(/\D+/g, '');
        return digits === '' ? { error: `"${text}" has no digits` } : { value: digits };
      };
    case 'number':
      return (text) => {
        // "1.234,56" and "R$ 0,0625" (decimal comma) as well as "0.0625" (decimal point).
        let plain = text.replace(/[^\d,.-]/g, '');
        if (plain.includes(',')) plain = plain.replaceAll('.', '').replace(',', '.');
        const value = plain === '' ? Number.NaN : Number(plain);
        return Number.isFinite(value) ? { value } : { error: `"${text}" is not a number` };
      };
    case 'boolean':
      return (text) => {
        const value = BOOLEANS.get(normalizeLabel(text));
        return value === undefined ? { error: `"${text}" is not yes/no (sim/não)` } : { value };
      };
    case 'status':
      return (text) => {
        const value = STATUSES.get(normalizeLabel(text));
        return value === undefined
          ? { error: `"${text}" is not a status of the catalog (e.g. Entregue, Lida, Delivered, read)` }
          : { value };
      };
    default: {
      const choices = field.choices && new Map(field.choices.map((choice) => [choice.toLowerCase(), choice]));
      return choices
        ? (text) => {
            const value = choices.get(text.toLowerCase());
            return value === undefined
              ? { error: `"${text}" must be one of ${field.choices!.join(', ')}` }
              : { value };
          }
        : (text) => ({ value: text });
    }
  }
}

/**
 * A 64-bit hash as `csv-` and 16 hex digits: FNV-1a (as `hashString` in shared/ids) run from two
 * starting states in one pass, so a million rows make no collisions (32 bits alone would make
 * about a hundred). Fed text by text, so no row is turned into one more string just to be hashed.
 */
class ContentHash {
  private a = 0x811c9dc5;
  private b = 0x050c5d1f;

  /** Goes back to where `other` stands (a row's hash starts from its mapping's). */
  restart(other: ContentHash): this {
    this.a = other.a;
    this.b = other.b;
    return this;
  }

  add(text: string): this {
    let { a, b } = this;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x01000193);
    }
    // A separator no text has, so ("ab", "c") and ("a", "bc") differ.
    this.a = Math.imul(a ^ 0xffff, 0x01000193);
    this.b = Math.imul(b ^ 0xffff, 0x01000193);
    return this;
  }

  id(): string {
    return `csv-${hex32(this.a)}${hex32(this.b)}`;
  }
}

// Number#toString(16) of an unsigned 32-bit value takes V8's slow path: a table is ten times faster.
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
function hex32(value: number): string {
  return (
    HEX_BYTES[(value >>> 24) & 0xff]! +
    HEX_BYTES[(value >>> 16) & 0xff]! +
    HEX_BYTES[(value >>> 8) & 0xff]! +
    HEX_BYTES[value & 0xff]!
  );
}

/**
 * The hash every row's starts from: all that decides the records besides the row's cells (kind,
 * date format, zone, and each field's column or constant and transform, in the kind's field
 * order, so two equal mappings built in another order agree).
 */
function mappingHash(mapping: CsvMapping): ContentHash {
  const hash = new ContentHash().add(mapping.kind).add(mapping.dateFormat).add(mapping.timeZone);
  for (const field of fieldsOf(mapping.kind)) {
    const rule = mapping.fields[field.name];
    if (!rule) continue;
    // A constant as the records get it: " MT" and "MT" make the same records.
    const from = rule.source === 'column' ? rule.column : rule.value.trim();
    hash.add(field.name).add(rule.source).add(from).add(rule.transform);
  }
  return hash;
}

/** Distinct texts remembered per field: exports repeat statuses, yes/no, minutes and choices. */
const MEMO_SIZE = 4_096;

/** The converter, remembering recent answers: parsing the same "Entregue" a million times is waste. */
function memoized(convert: Converter): Converter {
  let memo = new Map<string, Converted>();
  return (text) => {
    let result = memo.get(text);
    if (result === undefined) {
      result = convert(text);
      if (memo.size >= MEMO_SIZE) memo = new Map();
      memo.set(text, result);
    }
    return result;
  };
}

export type RowResult = { ok: true; records: AnyRecord[] } | { ok: false; error: string };

/**
 * Applies a mapping to rows of cells; built once per file so each row does no lookups by name.
 * The cells are as `readCsv` gives them: decoded text, which holds no NUL (the decoder refuses
 * it) and no unpaired surrogate (decoding UTF-8 or Windows-1252 makes none), so the records'
 * texts are not looked at again for what PostgreSQL refuses (the constants were, at compile).
 */
export interface RowMapper {
  map(cells: readonly string[]): RowResult;
}

/** A cell left empty: the field is left out. */
const EMPTY: Converted = { value: undefined };
const TEXTS_CHECKED = { textsChecked: true } as const;

/**
 * Compiles `mapping` for a file with these `headers`. Throws an Error listing every problem (see
 * {@link mappingProblems}) when it cannot apply. A row's record ids hash the mapping and the
 * row's mapped cells, so importing the same file twice gives the same ids (the server sees
 * duplicates, not copies) at the cost of hashing the row once, not each record's JSON.
 */
export function compileMapping(mapping: CsvMapping, headers: readonly string[]): RowMapper {
  const problems = mappingProblems(mapping, headers);
  if (problems.length > 0) throw new Error(`the mapping does not fit this file: ${problems.join('; ')}`);
  const clock = new ZoneClock(mapping.timeZone);
  const seed = mappingHash(mapping);
  const hash = new ContentHash();
  const steps = fieldsOf(mapping.kind).flatMap((field) => {
    const rule = mapping.fields[field.name];
    if (!rule) return [];
    const plain = converter(field, rule.transform, mapping, clock);
    // Phones and free texts rarely repeat: remembering them would only cost.
    const convert =
      rule.transform === 'phone' || (rule.transform === 'text' && !field.choices) ? plain : memoized(plain);
    // Where the record's field goes: the status record names its time `at`.
    const target = field.status && field.name === 'statusAt' ? 'at' : field.name;
    if (rule.source === 'constant') {
      const constant = convert(rule.value.trim());
      return [{ field, target, read: () => constant }];
    }
    const index = headers.indexOf(rule.column);
    return [
      {
        field,
        target,
        read: (cells: readonly string[]): Converted => {
          const text = (cells[index] ?? '').trim();
          hash.add(text);
          return text === '' ? EMPTY : convert(text);
        },
      },
    ];
  });
  const kind = mapping.kind;
  const makesStatus = steps.some((step) => step.field.status);
  return {
    map(cells) {
      hash.restart(seed);
      const main: Record<string, unknown> = { id: '', type: kind };
      const status: Record<string, unknown> | undefined = makesStatus
        ? { id: '', type: 'message_status' }
        : undefined;
      let errors: string[] | undefined;
      for (const step of steps) {
        const result = step.read(cells);
        if ('error' in result) {
          errors ??= [];
          errors.push(`${step.field.name}: ${result.error}`);
        } else if (result.value !== undefined) {
          if (step.field.status) status![step.target] = result.value;
          else main[step.target] = result.value;
        }
      }
      if (errors) return { ok: false, error: errors.join('; ') };
      main.id = hash.id();
      if (kind === 'message' && main.messageId === undefined) main.messageId = main.id;
      const checked = validateRecord(main, TEXTS_CHECKED);
      if (!checked.ok) return checked;
      const records = [checked.record];
      if (status?.status !== undefined) {
        status.at ??= main.at;
        status.messageId = main.messageId;
        if (main.contact !== undefined) status.contact = main.contact;
        if (main.business !== undefined) status.business = main.business;
        status.id = hash.add('message_status').id();
        const statusChecked = validateRecord(status, TEXTS_CHECKED);
        if (!statusChecked.ok) return statusChecked;
        records.push(statusChecked.record);
      }
      return { ok: true, records };
    },
  };
}

/** `line N: field: what is wrong`, as every import lists its invalid lines. */
export function describeInvalid(invalid: InvalidLine): string {
  return `line ${invalid.line}: ${invalid.error}`;
}
