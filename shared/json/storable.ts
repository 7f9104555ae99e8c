/**
 * How deep a JSON value may nest, counting its objects and arrays, the value itself the first
 * level. Far beyond any record's needs; without a limit, a value nested thousands deep exhausts
 * PostgreSQL's stack (and the server's) when it is stored or read back.
 */
export const MAX_JSON_DEPTH = 32;

/** Keys that change an object's prototype when a value is merged into another (prototype pollution). */
const PROTOTYPE_KEY = "is not allowed as a key: it would change objects' prototypes";

/** Either character PostgreSQL refuses in text: NUL, or half of a surrogate pair. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is what it is for.
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** What PostgreSQL would refuse in `text`, or `undefined`. */
function textProblem(text: string): string | undefined {
  if (!SUSPECT.test(text)) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return 'contains a NUL character (U+0000)';
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return `contains an unpaired surrogate (\\u${code.toString(16)})`;
  }
  return undefined;
}

/** A NUL, or a surrogate not paired with its other half. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing NUL is what it is for.
const UNSTORABLE_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` as PostgreSQL can store it, at most `maxLength` UTF-16 units: a NUL or an unpaired
 * surrogate becomes U+FFFD (the replacement character), and a cut never splits a surrogate pair.
 * For text nobody can correct at its source (what a platform's page says), where losing the
 * record would be worse than a visible replacement character.
 */
export function storableText(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  let end = Math.min(text.length, maxLength);
  const last = text.charCodeAt(end - 1);
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end).replace(UNSTORABLE_CHARACTER, '\ufffd');
}

/** A `\u` escape (how JSON writes a NUL), or a surrogate written as it is. */
const SUSPECT_JSON = /\\u|[\ud800-\udfff]/;

/**
 * Whether a JSON text may hold a string or key PostgreSQL refuses: a NUL can only be written
 * escaped (`\u0000`; JSON forbids it raw) and a surrogate escaped or as it is, so text with
 * neither holds no such string, and a reader that parsed it can skip the per-string look
 * (`unstorableProblem(value, path, { textsChecked: true })`): one scan of the line instead of a
 * test per string.
 */
export function jsonMayHoldUnstorableText(json: string): boolean {
  return SUSPECT_JSON.test(json);
}

export interface StorableOptions {
  /** The value's strings are known to be free of NUL and surrogates (`jsonMayHoldUnstorableText`). */
  textsChecked?: boolean;
}

const field = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
const problemAt = (path: string, problem: string) => (path === '' ? problem : `${path}: ${problem}`);

/**
 * Why `value` (as parsed from JSON) cannot be stored as it was sent, as `path: what is wrong`, or
 * `undefined` when it can. PostgreSQL refuses a NUL (U+0000) and unpaired surrogates in text
 * (or silently stores them as U+FFFD), and nesting beyond its stack; a number JSON cannot carry
 * (`1e400` parses as Infinity) would come back as `null`; and a `__proto__` key (or `prototype`
 * under `constructor`) pollutes prototypes where a reader merges the value. Keys are checked as
 * well as values. `path` names the value itself in messages (`extra.note: …` under `extra`).
 */
export function unstorableProblem(
  value: unknown,
  path = '',
  options: StorableOptions = {},
): string | undefined {
  const found = walk(value, 1, options.textsChecked !== true);
  if (found === undefined) return undefined;
  // Paths are built only for a problem found: the walk over a valid record allocates nothing.
  const [keys, problem, topOnly] = found;
  const full = keys.reduce<string>((at, key) => field(at, key), path);
  const at = topOnly ? (keys.length > 0 ? field(path, keys[0]!) : path) : full;
  return problemAt(at, problem);
}

/**
 * The first problem below `value`: the keys from `value` down to it (outermost first, filled in
 * on the way back up), what is wrong, and whether it is reported at the outermost field (a
 * nesting problem) rather than at the full path.
 */
type Found = [keys: (string | number)[], problem: string, topOnly: boolean];

function walk(value: unknown, depth: number, texts: boolean): Found | undefined {
  if (typeof value === 'string') {
    if (!texts) return undefined;
    const problem = textProblem(value);
    return problem === undefined ? undefined : [[], problem, false];
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : [[], 'is a number too large to store', false];
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_JSON_DEPTH) return [[], `nested deeper than ${MAX_JSON_DEPTH} levels`, true];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], depth + 1, texts);
      if (found) {
        found[0].unshift(i);
        return found;
      }
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key === '__proto__') return [[key], PROTOTYPE_KEY, false];
    const keyProblem = texts ? textProblem(key) : undefined;
    if (keyProblem) return [[], `has a key that ${keyProblem}`, false];
    const child = (value as Record<string, unknown>)[key];
    if (
      key === 'constructor' &&
      typeof child === 'object' &&
      child !== null &&
      Object.hasOwn(child, 'prototype')
    ) {
      return [[key, 'prototype'], PROTOTYPE_KEY, false];
    }
    const found = walk(child, depth + 1, texts);
    if (found) {
      found[0].unshift(key);
      return found;
    }
  }
  return undefined;
}
