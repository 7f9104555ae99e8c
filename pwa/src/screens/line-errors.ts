import type { Locale } from '../../../shared/i18n.ts';

/**
 * The validators' messages (`at: must be an ISO-8601 instant with Z or an offset`) are written for
 * whoever fixes the producer. An import is run by a supervisor: this is the layer that says the
 * same in their words and language, quoting the value when the line was JSON. Unknown messages
 * pass through as they are, so nothing is ever hidden.
 */

const FIELDS: Record<Locale, Record<string, string>> = {
  en: {
    at: 'the time',
    sentAt: 'the time sent',
    agentId: 'the agent id',
    agentName: 'the agent’s name',
    type: 'the record type',
    status: 'the status',
    cause: 'the login cause',
    reason: 'the break reason',
    id: 'the id',
    ip: 'the IP address',
  },
  'pt-BR': {
    at: 'o horário',
    sentAt: 'o horário de envio',
    agentId: 'o id do agente',
    agentName: 'o nome do agente',
    type: 'o tipo de registro',
    status: 'o status',
    cause: 'a causa do login',
    reason: 'o motivo da pausa',
    id: 'o id',
    ip: 'o endereço IP',
  },
};

const EXAMPLE_INSTANT = '2026-12-02T13:00:00-03:00';

interface Words {
  field(name: string): string;
  quoted(label: string, value: unknown): string;
  notInstant(subject: string): string;
  noSuchDay(subject: string): string;
  required(label: string): string;
  empty(label: string): string;
  oneOf(subject: string, allowed: string): string;
  onlyOn(label: string, owner: string): string;
  notJson: string;
  notObject: string;
  digits(label: string): string;
}

const quote = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

const WORDS: Record<Locale, Words> = {
  en: {
    field: (name) => FIELDS.en[name] ?? `the field “${name}”`,
    quoted: (label, value) => (value === undefined ? label : `${label} ${quote(value)}`),
    notInstant: (subject) =>
      `${subject} is not a date and time like ${EXAMPLE_INSTANT} (with its UTC offset, or Z)`,
    noSuchDay: (subject) => `${subject} names a day or time that does not exist`,
    required: (label) => `${label} is missing`,
    empty: (label) => `${label} is empty`,
    oneOf: (subject, allowed) => `${subject} is not one of: ${allowed}`,
    onlyOn: (label, owner) => `${label} belongs only on ${owner} records`,
    notJson: 'this line is not a record in JSON (a quote, comma or brace may be missing)',
    notObject: 'this line is not a record: it should be one {…} object',
    digits: (label) => `${label} must be digits only (country and area code, no + or spaces)`,
  },
  'pt-BR': {
    field: (name) => FIELDS['pt-BR'][name] ?? `o campo “${name}”`,
    quoted: (label, value) => (value === undefined ? label : `${label} ${quote(value)}`),
    notInstant: (subject) =>
      `${subject} não é uma data e hora como ${EXAMPLE_INSTANT} (com o fuso em relação a UTC, ou Z)`,
    noSuchDay: (subject) => `${subject} indica um dia ou hora que não existe`,
    required: (label) => `falta ${label}`,
    empty: (label) => `${label} está vazio`,
    oneOf: (subject, allowed) => `${subject} não é um destes: ${allowed}`,
    onlyOn: (label, owner) => `${label} só vale em registros ${owner}`,
    notJson: 'esta linha não é um registro em JSON (pode faltar uma aspa, vírgula ou chave)',
    notObject: 'esta linha não é um registro: deveria ser um objeto {…}',
    digits: (label) => `${label} deve ter só dígitos (código do país e DDD, sem + nem espaços)`,
  },
};

/** One validator problem (`field: message`) in a supervisor's words. */
function humanProblem(problem: string, record: unknown, words: Words): string {
  if (problem.startsWith('not valid JSON')) return words.notJson;
  if (problem === 'must be a JSON object') return words.notObject;
  const colon = problem.indexOf(': ');
  if (colon < 0) return problem;
  const field = problem.slice(0, colon);
  const message = problem.slice(colon + 2);
  const label = words.field(field);
  const value =
    typeof record === 'object' && record !== null && !field.includes('.')
      ? (record as Record<string, unknown>)[field]
      : undefined;
  const subject = words.quoted(label, value);
  if (message === 'must be an ISO-8601 instant with Z or an offset') return words.notInstant(subject);
  if (message === 'names a day or time that does not exist') return words.noSuchDay(subject);
  if (message === 'is required') return words.required(label);
  if (message === 'must not be empty') return words.empty(label);
  if (message.startsWith('must be digits only')) return words.digits(label);
  if (message.startsWith('must be one of '))
    return words.oneOf(subject, message.slice('must be one of '.length));
  const owner = /^is only allowed on (.+) events$/.exec(message);
  if (owner) return words.onlyOn(label, owner[1]!);
  return problem;
}

/** A line's problems (`a: …; b: …`) as one sentence a supervisor can act on, after "Line 12: ". */
export function humanLineError(error: string, record: unknown, locale: Locale): string {
  const words = WORDS[locale];
  return error
    .split('; ')
    .map((problem) => humanProblem(problem, record, words))
    .join('; ');
}
