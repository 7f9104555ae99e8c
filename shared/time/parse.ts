import type { ZoneClock } from './zone.ts';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

type Fields = [year: number, month: number, day: number, hour: number, minute: number, second: number];

function fieldsOf(match: RegExpExecArray): Fields | undefined {
  const fields = match.slice(1, 7).map((part) => (part ? Number(part) : 0)) as Fields;
  const [year, month, day, hour, minute, second] = fields;
  const check = new Date(Date.UTC(year, month - 1, day));
  const validDate =
    check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
  return validDate && hour < 24 && minute < 60 && second < 60 ? fields : undefined;
}

/**
 * An instant typed by a person: a full ISO-8601 instant (`2026-03-10T18:41:00Z`, or with an
 * offset), or a local date or date-time (`2026-03-10`, `2026-03-10T08:00`) read in `clock`'s zone.
 * Returns `undefined` when the text is neither, or names a day that does not exist.
 */
export function parseInstantInZone(text: string, clock: ZoneClock): number | undefined {
  const value = text.trim();
  const instant = INSTANT.exec(value);
  if (instant) return fieldsOf(instant) ? Date.parse(value) : undefined;
  const local = LOCAL.exec(value);
  const fields = local ? fieldsOf(local) : undefined;
  return fields ? clock.instantOf(...fields) : undefined;
}
