import { CellFormatter, formatDateParts } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import { choiceLabel, type FilterField } from './filter-schema.ts';
import type { ReportFilters } from './filters.ts';
import type { ReportDefinition, ReportParams } from './types.ts';

const TEXT = {
  en: {
    period: 'Period',
    allData: 'all data',
    timeZone: 'Time zone',
    generated: 'Generated',
    agentsAll: 'All agents',
    agentsSelected: (count: number) => `${count} selected`,
    fileIn: (language: string) => `File in ${language}`,
  },
  'pt-BR': {
    period: 'Período',
    allData: 'todos os dados',
    timeZone: 'Fuso horário',
    generated: 'Gerado em',
    agentsAll: 'Todos os agentes',
    agentsSelected: (count: number) => `${count} selecionados`,
    fileIn: (language: string) => `Arquivo em ${language}`,
  },
} satisfies Record<Locale, Record<string, unknown>>;

/** Each language by its own name, as a language picker shows it to anyone. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'pt-BR': 'Português' };

/** At most this many agents are named; more are counted. */
const AGENTS_NAMED = 3;

/** A declared filter's value in a run's parameters or in saved filters, `undefined` when unset. */
type FilterValues = {
  splitDays?: boolean;
  deviceTime?: boolean;
  agentIds?: readonly string[];
  options?: Readonly<Record<string, string>>;
};

function toggleOn(values: FilterValues, key: string): boolean {
  if (key === 'splitDays') return values.splitDays === true;
  if (key === 'deviceTime') return values.deviceTime === true;
  return values.options?.[key] === 'true';
}

/**
 * The declared filters other than the period, as short phrases in `locale`: the agents, the
 * switches that are on (their `subtitle`, or their `label` when `short`), the select and text values.
 */
function filterPhrases(
  fields: readonly FilterField[],
  values: FilterValues,
  locale: Locale,
  style: 'subtitle' | 'short',
  agentName: (id: string) => string = (id) => id,
): string[] {
  const text = TEXT[locale];
  const phrases: string[] = [];
  for (const field of fields) {
    if (field.widget === 'agents') {
      const agents = values.agentIds ?? [];
      const shown =
        agents.length === 0
          ? text.agentsAll
          : agents.length <= AGENTS_NAMED
            ? agents.map(agentName).join(', ')
            : text.agentsSelected(agents.length);
      phrases.push(style === 'subtitle' ? `${field.label[locale]}: ${shown}` : shown);
    } else if (field.widget === 'toggle') {
      if (toggleOn(values, field.key))
        phrases.push(style === 'subtitle' ? field.subtitle[locale] : field.label[locale]);
    } else if (field.widget === 'select' || field.widget === 'text') {
      const value = values.options?.[field.key];
      if (value === undefined || value === '') continue;
      const shown = field.widget === 'select' ? choiceLabel(field, value, locale) : value;
      phrases.push(`${field.label[locale]}: ${shown}`);
    }
  }
  return phrases;
}

/**
 * A period as the form shows it: whole local days as their first and last date, both included
 * ("02/12/2026 – 02/12/2026"); bounds inside a day (typed on the command line) with their time.
 */
function periodText(
  from: number | undefined,
  to: number | undefined,
  fmt: CellFormatter,
  text: (typeof TEXT)[Locale],
): string {
  if (from === undefined && to === undefined) return text.allData;
  const midnight = (ms: number) => {
    const parts = fmt.clock.parts(ms);
    return parts.hour === 0 && parts.minute === 0 && parts.second === 0 && ms % 1000 === 0;
  };
  const wholeDays = (from === undefined || midnight(from)) && (to === undefined || midnight(to));
  if (wholeDays) {
    // `to` is the instant after the period: its last day is the one before that instant.
    const first = from === undefined ? '…' : fmt.format('date', from);
    const last = to === undefined ? '…' : fmt.format('date', to - 1);
    return `${first} – ${last}`;
  }
  const bound = (ms: number | undefined) => (ms === undefined ? '…' : fmt.format('datetime', ms));
  return `${bound(from)} – ${bound(to)}`;
}

/**
 * The lines printed under a report's title (PDF, XLSX): the period as the form showed it, the
 * zone, every declared filter (the agents by name when `agentName` knows them) and when it was
 * generated.
 */
export function describeRun(
  report: ReportDefinition,
  params: ReportParams,
  generatedAt: number,
  agentName?: (id: string) => string,
): string[] {
  const text = TEXT[params.locale];
  const fmt = new CellFormatter(params.locale, params.timeZone);
  return [
    `${text.period}: ${periodText(params.from, params.to, fmt, text)}`,
    `${text.timeZone}: ${params.timeZone}`,
    ...filterPhrases(report.filters, params, params.locale, 'subtitle', agentName),
    `${text.generated}: ${fmt.format('datetime', generatedAt)}`,
  ];
}

/** A local date `YYYY-MM-DD` as the locale writes dates (`02/12/2026` in pt-BR); other text as it is. */
export function localDateText(date: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return formatDateParts({ year, month, day, hour: 0, minute: 0, second: 0 }, locale);
}

/**
 * Saved filters in one line, for the history: period, zone, then the report's declared filters,
 * then the file's language ("File in Português") when it is not the reader's. A report this version does not know
 * (a newer app's job in the shared history) shows what every report has.
 */
export function describeFilters(
  report: ReportDefinition | undefined,
  filters: Partial<ReportFilters>,
  locale: Locale,
): string {
  const parts: string[] = [];
  if (filters.fromDate && filters.toDate)
    parts.push(`${localDateText(filters.fromDate, locale)} – ${localDateText(filters.toDate, locale)}`);
  if (filters.timeZone) parts.push(filters.timeZone);
  parts.push(...filterPhrases(report?.filters ?? [], filters, locale, 'short'));
  if (filters.locale && filters.locale !== locale)
    parts.push(TEXT[locale].fileIn(LANGUAGE_NAMES[filters.locale]));
  return parts.join(' · ');
}
