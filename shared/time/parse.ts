import { digits, parseInstant } from './iso.ts';
import type { ZoneClock } from './zone.ts';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

type Fields = [year: number, month: number, day: number, hour: number, minute: number, second: number];

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** PostgreSQL refuses a timestamp field longer than this (it reads 128 characters at most). */
const MAX_DECIMALS = 9;
/** The widest offset in use (Kiribati); PostgreSQL refuses offsets from ±16:00. */
const MAX_OFFSET_MINUTES = 14 * 60;

function isRealDateTime(...[year, month, day, hour, minute, second]: Fields): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  return day <= days && hour < 24 && minute < 60 && second < 60;
}

/**
 * What is wrong with `text` as an instant, or `undefined` when it is one: ISO-8601 with `Z` or an
 * explicit offset, naming a day and time that exist, in the years 0001–9999 (PostgreSQL has no
 * year 0000), with an offset within ±14:00 and at most 9 decimals of a second. The one rule for
 * every instant read — events, `sentAt`, pull periods, report filters — so the CLI, the app, the
 * extension and the server accept the same instants, and PostgreSQL stores every one of them.
 * Checked for every event read, so it reads fixed positions instead of allocating capture groups.
 */
export function instantProblem(text: string): string | undefined {
  if (!INSTANT.test(text)) return 'must be an ISO-8601 instant with Z or an offset';
  const year = digits(text, 0, 4);
  if (year === 0) return 'the year must be between 0001 and 9999';
  const hasSeconds = text.charCodeAt(16) === 58; /* : */
  const second = hasSeconds ? digits(text, 17, 2) : 0;
  if (
    !isRealDateTime(
      year,
      digits(text, 5, 2),
      digits(text, 8, 2),
      digits(text, 11, 2),
      digits(text, 14, 2),
      second,
    )
  ) {
    return 'names a day or time that does not exist';
  }
  const last = text.charCodeAt(text.length - 1);
  const utc = last === 90 || last === 122; /* Z z */
  const zone = utc ? text.length - 1 : text.length - 6;
  if (!utc) {
    const minutes = digits(text, zone + 4, 2);
    if (minutes >= 60 || digits(text, zone + 1, 2) * 60 + minutes > MAX_OFFSET_MINUTES) {
      return 'the offset must be within ±14:00';
    }
  }
  if (hasSeconds && zone - 20 > MAX_DECIMALS) return `may have at most ${MAX_DECIMALS} decimals of a second`;
  return undefined;
}

/** Whether `text` is an instant by {@link instantProblem}'s rule: the schemas' `instant` format. */
export function isIsoInstant(text: string): boolean {
  return instantProblem(text) === undefined;
}

/**
 * An instant typed by a person: a full ISO-8601 instant (`2026-03-10T18:41:00Z`, or with an
 * offset), or a local date or date-time (`2026-03-10`, `2026-03-10T08:00`) read in `clock`'s zone.
 * Returns `undefined` when the text is neither, or names a day that does not exist.
 */
export function parseInstantInZone(text: string, clock: ZoneClock): number | undefined {
  const value = text.trim();
  if (INSTANT.test(value)) return isIsoInstant(value) ? parseInstant(value) : undefined;
  const local = LOCAL.exec(value);
  const fields = local?.slice(1, 7).map((part) => (part ? Number(part) : 0)) as Fields | undefined;
  return fields && isRealDateTime(...fields) ? clock.instantOf(...fields) : undefined;
}
