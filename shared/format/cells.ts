import type { Locale } from '../i18n.ts';
import { type CellValue, type Column, type ColumnType, DEFAULT_DECIMALS } from '../reports/types.ts';
import { type LocalParts, ZoneClock } from '../time/zone.ts';

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function pad4(n: number): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(4, '0');
}

/** `2026-03-10` for `en`, `10/03/2026` for `pt-BR` (DESIGN §6). */
export function formatDateParts(p: LocalParts, locale: Locale): string {
  return locale === 'pt-BR'
    ? `${pad2(p.day)}/${pad2(p.month)}/${pad4(p.year)}`
    : `${pad4(p.year)}-${pad2(p.month)}-${pad2(p.day)}`;
}

export function formatTimeParts(p: LocalParts): string {
  return `${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
}

/** `HH:MM:SS` of a span; hours go past 24. Sub-second remainders are dropped. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  return `${hours < 10 ? `0${hours}` : hours}:${pad2(Math.floor((total % 3600) / 60))}:${pad2(total % 60)}`;
}

/**
 * A decimal number with `decimals` digits after the mark: `0.0625` / `95.2` in `en`, `0,0625` /
 * `95,2` in `pt-BR` (DESIGN §6). No thousands separator, so a spreadsheet reads the CSV's text back
 * as a number in the file's locale.
 */
export function formatDecimal(value: number, locale: Locale, decimals = DEFAULT_DECIMALS): string {
  if (!Number.isFinite(value)) return '';
  const text = value.toFixed(decimals);
  return locale === 'pt-BR' ? text.replace('.', ',') : text;
}

/** Turns typed cell values into the text a person reads, in one locale and time zone. */
export class CellFormatter {
  readonly clock: ZoneClock;
  readonly locale: Locale;

  constructor(locale: Locale, timeZone: string | ZoneClock) {
    this.locale = locale;
    this.clock = typeof timeZone === 'string' ? new ZoneClock(timeZone) : timeZone;
  }

  /** A cell of this column as text (a `decimal` column's digits come from the column). */
  cell(column: Column, value: CellValue): string {
    return this.format(column.type, value, column.decimals);
  }

  format(type: ColumnType, value: CellValue, decimals?: number): string {
    if (value === null) return '';
    if (typeof value === 'string') return value;
    switch (type) {
      case 'decimal':
        return formatDecimal(value, this.locale, decimals);
      case 'date':
        return formatDateParts(this.clock.parts(value), this.locale);
      case 'time':
        return formatTimeParts(this.clock.parts(value));
      case 'datetime': {
        const parts = this.clock.parts(value);
        return `${formatDateParts(parts, this.locale)} ${formatTimeParts(parts)}`;
      }
      case 'duration':
        return formatDuration(value);
      default:
        return String(value);
    }
  }
}
