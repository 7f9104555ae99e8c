/**
 * Time-zone arithmetic for any IANA zone, fast enough for millions of instants: the zone's UTC
 * offset is asked of `Intl` once per hour of time and cached, and the calendar fields are then
 * derived with integer arithmetic.
 */

const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The zone the machine or browser is set to. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export class ZoneClock {
  readonly timeZone: string;
  private readonly dtf: Intl.DateTimeFormat;
  /** Offset (ms) of each hour bucket, or NaN where the offset changes inside the hour. */
  private readonly offsetByHour = new Map<number, number>();

  constructor(timeZone: string) {
    if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone "${timeZone}"`);
    this.timeZone = timeZone;
    this.dtf = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  }

  private exactOffset(ms: number): number {
    const fields: Record<string, string> = {};
    for (const part of this.dtf.formatToParts(ms)) fields[part.type] = part.value;
    let year = Number(fields.year);
    if (fields.era === 'BC' || fields.era === 'B') year = 1 - year;
    const wall = Date.UTC(
      year,
      Number(fields.month) - 1,
      Number(fields.day),
      Number(fields.hour),
      Number(fields.minute),
      Number(fields.second),
    );
    const wholeSecond = ms - (((ms % 1000) + 1000) % 1000);
    return wall - wholeSecond;
  }

  /** The zone's offset from UTC at `ms`, in milliseconds (local = utc + offset). */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / MS_PER_HOUR);
    let offset = this.offsetByHour.get(bucket);
    if (offset === undefined) {
      const first = this.exactOffset(bucket * MS_PER_HOUR);
      const last = this.exactOffset(bucket * MS_PER_HOUR + MS_PER_HOUR - 1);
      offset = first === last ? first : Number.NaN;
      this.offsetByHour.set(bucket, offset);
    }
    return Number.isNaN(offset) ? this.exactOffset(ms) : offset;
  }

  /** Milliseconds since 1970-01-01T00:00 of the local wall clock at `ms`. */
  localMs(ms: number): number {
    return ms + this.offsetAt(ms);
  }

  /** Number of the local calendar day of `ms` (days since 1970-01-01 on the local calendar). */
  localDay(ms: number): number {
    return Math.floor(this.localMs(ms) / MS_PER_DAY);
  }

  parts(ms: number): LocalParts {
    const local = this.localMs(ms);
    const days = Math.floor(local / MS_PER_DAY);
    const secondsOfDay = Math.floor((local - days * MS_PER_DAY) / 1000);
    const { year, month, day } = civilFromDays(days);
    return {
      year,
      month,
      day,
      hour: Math.floor(secondsOfDay / 3600),
      minute: Math.floor((secondsOfDay % 3600) / 60),
      second: secondsOfDay % 60,
    };
  }

  /**
   * The instant of a local wall-clock time. A time skipped by a forward DST change resolves to the
   * instant the clocks jumped to; an ambiguous one to its first occurrence.
   */
  instantOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    const offsetsNear = [this.offsetAt(wall - MS_PER_DAY), this.offsetAt(wall + MS_PER_DAY)];
    const candidates = offsetsNear
      .map((offset) => wall - offset)
      .filter((ms) => this.localMs(ms) === wall)
      .sort((a, b) => a - b);
    if (candidates.length > 0) return candidates[0]!;
    // In a gap: the first instant whose wall clock is at or after the asked time.
    return this.firstInstantAtOrAfterWall(wall);
  }

  /** The first instant of the local calendar day of `ms`. */
  startOfDay(ms: number): number {
    return this.firstInstantAtOrAfterWall(this.localDay(ms) * MS_PER_DAY);
  }

  /** The first instant after `ms` that lies on the next local calendar day. */
  startOfNextDay(ms: number): number {
    const nextDay = this.localDay(ms) + 1;
    return this.firstInstantAtOrAfterWall(nextDay * MS_PER_DAY);
  }

  /** Smallest instant whose local wall clock is >= `wall` (wall clocks only ever jump, so bisect). */
  private firstInstantAtOrAfterWall(wall: number): number {
    let low = wall - 2 * MS_PER_DAY;
    let high = wall + 2 * MS_PER_DAY;
    for (const offset of [this.offsetAt(wall - MS_PER_DAY), this.offsetAt(wall + MS_PER_DAY)]) {
      const guess = wall - offset;
      if (this.localMs(guess) >= wall && this.localMs(guess - 1) < wall) return guess;
    }
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (this.localMs(mid) >= wall) high = mid;
      else low = mid;
    }
    return high;
  }
}
