import type { AdapterSettings } from '../adapters/types.ts';

/**
 * The site adapter as the options page edits it: three plain fields (URL patterns, socket URL,
 * heartbeat) and the whole object as JSON, kept in step both ways. Pure, so it is tested alone.
 */
export interface AdapterForm {
  /** One match pattern per line. */
  matches: string;
  socketUrl: string;
  heartbeatSeconds: string;
  /** The whole AdapterSettings object, as JSON text. */
  json: string;
}

export type PlainAdapterField = 'matches' | 'socketUrl' | 'heartbeatSeconds';

export function adapterToJson(adapter: unknown): string {
  return JSON.stringify(adapter, null, 2);
}

export function adapterToForm(adapter: AdapterSettings): AdapterForm {
  return {
    matches: adapter.matches.join('\n'),
    socketUrl: adapter.socketUrl,
    heartbeatSeconds: String(adapter.heartbeatSeconds),
    json: adapterToJson(adapter),
  };
}

/** The lines of the patterns field, trimmed, without blank ones. */
export function patternLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The heartbeat as typed: a number when it reads as one, else the text (so saving names it). */
function heartbeatValue(text: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) ? value : trimmed;
}

function plainValue(field: PlainAdapterField, text: string): unknown {
  if (field === 'matches') return patternLines(text);
  if (field === 'heartbeatSeconds') return heartbeatValue(text);
  return text;
}

type JsonRead =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problem: 'syntax'; message: string }
  | {
      ok: false;
      problem: 'not-object';
    };

export function readAdapterJson(json: string): JsonRead {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, problem: 'syntax', message: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, problem: 'not-object' };
  return { ok: true, value: value as Record<string, unknown> };
}

/** A plain field was edited: the JSON follows when it parses (otherwise it is left for the person to fix). */
export function editPlainField(form: AdapterForm, field: PlainAdapterField, text: string): AdapterForm {
  const next = { ...form, [field]: text };
  const read = readAdapterJson(form.json);
  if (read.ok) next.json = adapterToJson({ ...read.value, [field]: plainValue(field, text) });
  return next;
}

/** The JSON was edited: the plain fields follow whatever of it they can show. */
export function editJson(form: AdapterForm, json: string): AdapterForm {
  const next = { ...form, json };
  const read = readAdapterJson(json);
  if (!read.ok) return next;
  const { matches, socketUrl, heartbeatSeconds } = read.value;
  if (Array.isArray(matches) && matches.every((item) => typeof item === 'string'))
    next.matches = matches.join('\n');
  if (typeof socketUrl === 'string') next.socketUrl = socketUrl;
  if (typeof heartbeatSeconds === 'number' || typeof heartbeatSeconds === 'string') {
    next.heartbeatSeconds = String(heartbeatSeconds);
  }
  return next;
}

export type AdapterFormResult =
  | { ok: true; adapter: AdapterSettings }
  | { ok: false; problem: 'syntax'; message: string }
  | { ok: false; problem: 'not-object' };

/**
 * The adapter to save: the JSON object with the plain fields laid over it. Not checked here:
 * `saveSettings` validates it and names the field that is wrong.
 */
export function formToAdapter(form: AdapterForm): AdapterFormResult {
  const read = readAdapterJson(form.json);
  if (!read.ok) return read;
  const adapter = {
    ...read.value,
    matches: plainValue('matches', form.matches),
    socketUrl: plainValue('socketUrl', form.socketUrl),
    heartbeatSeconds: plainValue('heartbeatSeconds', form.heartbeatSeconds),
  };
  return { ok: true, adapter: adapter as AdapterSettings };
}
