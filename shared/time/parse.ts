import { digits } from './iso.ts';
import type { ZoneClock } from './zone.ts';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

type Fields = [year: number, month: number, day: number, hour: number, minute: number, second: number];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDateTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= days && hour < 24 && minute < 60 && second < 60;
}

function fieldsOf(match: RegExpExecArray): Fields | undefined {
  const fields = match.slice(1, 7).map((part) => (part ? Number(part) : 0)) as Fields;
  return isRealDateTime(...fields) ? fields : undefined;
}

/**
 * An ISO-8601 instant with `Z` or an explicit offset, naming a day and time that exist. Checked
 * for every event read, so it reads the fixed positions instead of allocating capture groups.
 */
export function isIsoInstant(text: string): boolean {
  if (!INSTANT.test(text)) return false;
  const second = text.charCodeAt(16) === 58 /* : */ ? digits(text, 17, 2) : 0;
  return isRealDateTime(
    digits(text, 0, 4),
    digits(text, 5, 2),
    digits(text, 8, 2),
    digits(text, 11, 2),
    digits(text, 14, 2),
    second,
  );
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
