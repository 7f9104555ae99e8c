import type { Localized } from '../i18n.ts';
import { ZoneClock } from '../time/zone.ts';
import { type PeriodFilter, periodFilter, type SelectFilter } from './filter-schema.ts';
import type { ReportParams } from './types.ts';

// What the account reports (`licenses`, `numbers`) share: the month they are about.

export const MONTH_CHOICES = ['current', 'previous', 'two-months-ago'] as const;
export type MonthChoice = (typeof MONTH_CHOICES)[number];

const MONTH_LABEL: Localized = { en: 'Month', 'pt-BR': 'Competência (mês)' };

/** The month a licence or a number is counted in: this one, the one before, or two before. */
export const MONTH_FILTER: SelectFilter = {
  widget: 'select',
  key: 'month',
  label: MONTH_LABEL,
  hint: {
    en: 'Months are calendar months in the report’s time zone; the current one runs to now.',
    'pt-BR': 'Meses de calendário no fuso horário do relatório; o atual vai até agora.',
  },
  choices: [
    { value: 'current', label: { en: 'This month', 'pt-BR': 'Este mês' } },
    { value: 'previous', label: { en: 'Last month', 'pt-BR': 'Mês passado' } },
    { value: 'two-months-ago', label: { en: 'Two months ago', 'pt-BR': 'Dois meses atrás' } },
  ],
};

/** A month picked stands in for the period: the run then reads and counts that month. */
export const MONTH_OR_PERIOD: PeriodFilter = periodFilter(31, {
  orFilter: { key: MONTH_FILTER.key, label: MONTH_LABEL },
});

/**
 * The instants `[from, to)` a run counts: the calendar month picked (in `params.timeZone`,
 * counted back from the month of `params.now`), which wins over a period also given; without a
 * month, the period.
 */
export function monthWindow(params: ReportParams): { from?: number; to?: number } {
  const choice = params.options?.month as MonthChoice | undefined;
  const back = choice === undefined ? -1 : MONTH_CHOICES.indexOf(choice);
  if (back < 0) return { from: params.from, to: params.to };
  const clock = new ZoneClock(params.timeZone);
  const { year, month } = clock.parts(params.now);
  const first = (index: number) =>
    clock.instantOf(year + Math.floor(index / 12), (((index % 12) + 12) % 12) + 1, 1);
  const index = month - 1 - back;
  return { from: first(index), to: first(index + 1) };
}

/** Whether an instant is in the run's month (or period). */
export function inWindow(window: { from?: number; to?: number }, at: number): boolean {
  return (window.from === undefined || at >= window.from) && (window.to === undefined || at < window.to);
}
