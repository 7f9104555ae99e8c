import { formatDateParts } from '../format/cells.ts';
import { ZoneClock } from '../time/zone.ts';

/** Anything but these is replaced: the result is a valid name on Windows, macOS and Linux. */
const UNSAFE = /[^A-Za-z0-9._-]/g;

function safePart(text: string, maxLength: number): string {
  // A leading dot would hide the file on Unix; `..` alone would be a path.
  return text
    .replace(UNSAFE, '-')
    .replace(/^\.+/, (dots) => '-'.repeat(dots.length))
    .slice(0, maxLength);
}

/**
 * `<report-id>_<from>_<to>.<ext>` (DESIGN §5): the period as local dates `YYYY-MM-DD` in `timeZone`,
 * `all` for an open end. `to` is exclusive, so the name shows the last day included (the day of
 * `to - 1 ms`): March as `2026-03-01_2026-03-31`.
 */
export function reportFileName(
  reportId: string,
  from: number | undefined,
  to: number | undefined,
  ext: string,
  timeZone: string,
): string {
  const clock = new ZoneClock(timeZone);
  const day = (ms: number) => formatDateParts(clock.parts(ms), 'en');
  const first = from === undefined ? 'all' : day(from);
  // An empty period (to <= from) is named after its start rather than the day before it.
  const last = to === undefined ? 'all' : day(from === undefined ? to - 1 : Math.max(from, to - 1));
  const extension = safePart(ext.replace(/^\.+/, ''), 16) || 'dat';
  return `${safePart(reportId, 100) || 'report'}_${first}_${last}.${extension}`;
}
