import type { GroupOptions } from '../activity/timeline.ts';
import { isLocale, type Locale } from '../i18n.ts';
import { parseInstantInZone } from '../time/parse.ts';
import { isValidTimeZone, MS_PER_DAY, ZoneClock } from '../time/zone.ts';
import { fixedChoices, hasFilter, periodOf } from './filter-schema.ts';
import type { ReportDefinition, ReportParams } from './types.ts';

/** What a person or a program asks a report run for, before validation. */
export interface ReportRequest {
  timeZone: string;
  locale: string;
  /** ISO instant, or a local date / date-time in `timeZone`. */
  from?: string;
  to?: string;
  /** "Now" for the run, same forms as `from`; default the clock. */
  asOf?: string;
  splitDays?: boolean;
  agentIds?: readonly string[];
  /** Each device's own clock, uncorrected (see `ReportParams.deviceTime`). */
  deviceTime?: boolean;
  /** Values of the report's own select and text filters, by key. */
  options?: Readonly<Record<string, string>>;
}

export type ParamsResult = { ok: true; params: ReportParams } | { ok: false; error: string };

/** Every message of the filters' validator, in each locale; each says what to change. */
export const FILTER_MESSAGES: Record<
  Locale,
  {
    firstDay: string;
    lastDay: string;
    reversed: string;
    endsBeforeStart: string;
    notADate: (field: string, text: string) => string;
    tooLong: (report: string, maxDays: number, days: number) => string;
    periodRequired: (report: string) => string;
    zone: (zone: string) => string;
    locale: (locale: string) => string;
    notDeclared: (report: string, filter: string) => string;
    agents: string;
    choice: (label: string, value: string, choices: string) => string;
    required: (label: string) => string;
    tooLongText: (label: string, max: number) => string;
    periodOr: (label: string) => string;
    unknownValue: (label: string, value: string) => string;
  }
> = {
  en: {
    firstDay: 'pick the first day of the period',
    lastDay: 'pick the last day of the period',
    reversed: 'the last day of the period comes before its first day',
    endsBeforeStart: 'the period must end after it starts',
    notADate: (field, text) =>
      `${field} "${text}" is not a date (use 2026-03-10, 2026-03-10T08:00 or an ISO instant)`,
    tooLong: (report, maxDays, days) =>
      `the ${report} report covers at most ${maxDays} days; this period has ${days}: shorten it`,
    periodRequired: (report) => `the ${report} report needs a period: give both --from and --to`,
    zone: (zone) => `unknown time zone "${zone}" (use an IANA name such as America/Sao_Paulo)`,
    locale: (locale) => `unknown locale "${locale}" (use en or pt-BR)`,
    notDeclared: (report, filter) => `the ${report} report has no "${filter}" filter`,
    agents: 'agents: give agent ids, not empty names',
    choice: (label, value, choices) => `${label}: "${value}" is not one of ${choices}`,
    required: (label) => `${label}: fill this in`,
    tooLongText: (label, max) => `${label}: at most ${max} characters`,
    periodOr: (label) => `pick a period, or a ${label.toLowerCase()} instead of one`,
    unknownValue: (label, value) => `${label}: there is no "${value}" in the data; check the spelling`,
  },
  'pt-BR': {
    firstDay: 'escolha o primeiro dia do período',
    lastDay: 'escolha o último dia do período',
    reversed: 'o último dia do período vem antes do primeiro',
    endsBeforeStart: 'o período deve terminar depois de começar',
    notADate: (field, text) =>
      `${field} "${text}" não é uma data (use 2026-03-10, 2026-03-10T08:00 ou um instante ISO)`,
    tooLong: (report, maxDays, days) =>
      `o relatório ${report} cobre no máximo ${maxDays} dias; este período tem ${days}: encurte-o`,
    periodRequired: (report) => `o relatório ${report} precisa de um período: informe --from e --to`,
    zone: (zone) => `fuso horário desconhecido "${zone}" (use um nome IANA como America/Sao_Paulo)`,
    locale: (locale) => `idioma desconhecido "${locale}" (use en ou pt-BR)`,
    notDeclared: (report, filter) => `o relatório ${report} não tem o filtro "${filter}"`,
    agents: 'agentes: informe ids de agentes, não nomes vazios',
    choice: (label, value, choices) => `${label}: "${value}" não é um de ${choices}`,
    required: (label) => `${label}: preencha este campo`,
    tooLongText: (label, max) => `${label}: no máximo ${max} caracteres`,
    periodOr: (label) => `escolha um período, ou uma ${label.toLowerCase()} no lugar dele`,
    unknownValue: (label, value) => `${label}: não há "${value}" nos dados; confira a grafia`,
  },
};

/** The longest period a report accepts, in days (its declared period filter). */
export function maxPeriodDays(report: ReportDefinition): number {
  return periodOf(report.filters).maxDays;
}

/**
 * The one validator of a run's filters, for the CLI, the workers and the app's form: checks a
 * request against the report's declared filters and limits. Messages are in `messageLocale` and
 * say what to change. A value for a list or text filter the report does not declare is refused;
 * a switch it does not declare is off (one command line can serve several reports).
 */
export function validateRequest(
  report: ReportDefinition,
  request: ReportRequest,
  clockNow = Date.now(),
  messageLocale: Locale = 'en',
): ParamsResult {
  const text = FILTER_MESSAGES[messageLocale];
  const fail = (error: string): ParamsResult => ({ ok: false, error });
  if (!isValidTimeZone(request.timeZone)) return fail(text.zone(request.timeZone));
  if (!isLocale(request.locale)) return fail(text.locale(request.locale));
  const clock = new ZoneClock(request.timeZone);
  const instants: Partial<Record<'from' | 'to' | 'asOf', number>> = {};
  for (const field of ['from', 'to', 'asOf'] as const) {
    const value = request[field];
    if (value === undefined) continue;
    const ms = parseInstantInZone(value, clock);
    if (ms === undefined) return fail(text.notADate(field, value));
    instants[field] = ms;
  }
  const { from, to, asOf } = instants;
  const maxDays = maxPeriodDays(report);
  if (periodOf(report.filters).required && (from === undefined || to === undefined))
    return fail(text.periodRequired(report.id));
  if (from !== undefined && to !== undefined) {
    if (to <= from) return fail(text.endsBeforeStart);
    const days = (to - from) / MS_PER_DAY;
    // An hour of slack: a period of whole local days that crosses a DST change is an hour longer.
    // Named by id: the CLI, which types ids, is who asks for instants (the form checks whole days first).
    if (days > maxDays + 1 / 24) return fail(text.tooLong(report.id, maxDays, Math.ceil(days)));
  }
  const title = report.title[messageLocale];
  const declared = (key: string) => hasFilter(report.filters, key);
  if (request.agentIds && request.agentIds.length > 0) {
    if (!declared('agentIds')) return fail(text.notDeclared(title, 'agentIds'));
    if (request.agentIds.some((id) => id.trim() === '')) return fail(text.agents);
  }
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.options ?? {})) {
    if (value === '') continue;
    const field = report.filters.find((candidate) => candidate.key === key);
    if (!field || field.widget === 'period' || field.widget === 'agents') {
      // A switch of another report is off here, as `splitDays` is.
      if (value === 'true' && !field) continue;
      return fail(text.notDeclared(title, key));
    }
    if (field.widget === 'toggle' && value !== 'true')
      return fail(text.choice(field.label[messageLocale], value, 'true'));
    options[key] = value;
  }
  for (const field of report.filters) {
    if (field.widget !== 'select' && field.widget !== 'text') continue;
    const label = field.label[messageLocale];
    const value = options[field.key];
    if (value === undefined) {
      if (field.required) return fail(text.required(label));
      continue;
    }
    if (field.widget === 'text' && value.length > field.maxLength)
      return fail(text.tooLongText(label, field.maxLength));
    const choices = field.widget === 'select' ? fixedChoices(field) : undefined;
    if (choices && !choices.some((choice) => choice.value === value))
      return fail(text.choice(label, value, choices.map((choice) => choice.value).join(', ')));
  }
  const period = periodOf(report.filters);
  if (period.orFilter !== undefined && from === undefined && to === undefined && !options[period.orFilter]) {
    const standIn = report.filters.find((field) => field.key === period.orFilter);
    return fail(text.periodOr(standIn?.label[messageLocale] ?? period.orFilter));
  }
  return {
    ok: true,
    params: {
      timeZone: request.timeZone,
      locale: request.locale as Locale,
      from,
      to,
      now: asOf ?? clockNow,
      // A switch the report does not declare changes nothing in it: off, as the form leaves it.
      splitDays: declared('splitDays') && (request.splitDays ?? false),
      agentIds: request.agentIds && request.agentIds.length > 0 ? request.agentIds : undefined,
      deviceTime: declared('deviceTime') && (request.deviceTime ?? false),
      ...(Object.keys(options).length > 0 ? { options } : {}),
    },
  };
}

/**
 * A select over a list drawn from the data (`{ local: 'campaigns' }`) names a value that must be
 * in it: checked once the data is known and before the report is computed (the CLI after reading
 * its input, the app against its local lists). `known(list)` gives the values of a list, or
 * `undefined` when the caller cannot tell. Returns the message in `messageLocale`, or `undefined`.
 */
export function unknownLocalValue(
  report: ReportDefinition,
  params: ReportParams,
  known: (list: string) => ReadonlySet<string> | undefined,
  messageLocale: Locale = 'en',
): string | undefined {
  for (const field of report.filters) {
    if (field.widget !== 'select' || Array.isArray(field.choices)) continue;
    const value = params.options?.[field.key];
    if (value === undefined) continue;
    const values = known((field.choices as { local: string }).local);
    if (values && !values.has(value))
      return FILTER_MESSAGES[messageLocale].unknownValue(field.label[messageLocale], value);
  }
  return undefined;
}

/** The instant open rows run to: the earlier of now and the period's end (DESIGN §4 rule 5). */
export function asOfInstant(params: ReportParams): number {
  return params.to === undefined ? params.now : Math.min(params.now, params.to);
}

/** What every report passes to the Activity engine's grouping: `now`, the agents, the clock. */
export function timelineOptions(params: ReportParams): GroupOptions {
  return { now: params.now, agentIds: params.agentIds, deviceTime: params.deviceTime ?? false };
}

/** Rule 8: the period keeps what starts in [from, to). */
export function inPeriod(params: ReportParams, start: number): boolean {
  return (
    (params.from === undefined || start >= params.from) && (params.to === undefined || start < params.to)
  );
}
