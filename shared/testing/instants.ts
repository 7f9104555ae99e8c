import fc from 'fast-check';

const pad = (value: number, width: number) => String(value).padStart(width, '0');
const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysIn = (year: number, month: number) =>
  month === 2 ? (isLeap(year) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/**
 * Instants the shared rule must accept, with the edges drawn often (years 0001 and 9999, offsets
 * of ±14:00, 9 decimals, lower-case `t` and `z`), and their epoch milliseconds worked out here
 * independently of the parser (decimals past the millisecond are cut, as `Date.parse` does).
 */
export const instantText = fc
  .record({
    year: fc.oneof(fc.constantFrom(1, 2, 9998, 9999), fc.integer({ min: 1, max: 9999 })),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.option(fc.integer({ min: 0, max: 59 })),
    decimals: fc.stringMatching(/^[0-9]{0,9}$/),
    separator: fc.constantFrom('T', 't'),
    offset: fc.oneof(
      fc.constantFrom('Z', 'z', 0, 14 * 60, -14 * 60),
      fc.integer({ min: -14 * 60, max: 14 * 60 }),
    ),
  })
  .map(({ year, month, day, hour, minute, second, decimals, separator, offset }) => {
    const realDay = Math.min(day, daysIn(year, month));
    const time =
      `${pad(hour, 2)}:${pad(minute, 2)}` +
      (second === null ? '' : `:${pad(second, 2)}${decimals === '' ? '' : `.${decimals}`}`);
    const minutes = typeof offset === 'number' ? offset : 0;
    const zone =
      typeof offset === 'string'
        ? offset
        : `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60), 2)}:${pad(Math.abs(minutes) % 60, 2)}`;
    const wall = new Date(0);
    wall.setUTCFullYear(year, month - 1, realDay);
    wall.setUTCHours(
      hour,
      minute,
      second ?? 0,
      second === null ? 0 : Number(decimals.slice(0, 3).padEnd(3, '0')),
    );
    return {
      text: `${pad(year, 4)}-${pad(month, 2)}-${pad(realDay, 2)}${separator}${time}${zone}`,
      ms: wall.getTime() - minutes * 60_000,
    };
  });
