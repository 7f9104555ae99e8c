import { CellFormatter } from '../format/cells.ts';
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
  },
  'pt-BR': {
    period: 'Período',
    allData: 'todos os dados',
    timeZone: 'Fuso horário',
    generated: 'Gerado em',
    agentsAll: 'Todos os agentes',
    agentsSelected: (count: number) => `${count} selecionados`,
  },
} satisfies Record<Locale, Record<string, unknown>>;

/** At most this many agent ids are named; more are counted. */
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
): string[] {
  const text = TEXT[locale];
  const phrases: string[] = [];
  for (const field of fields) {
    if (field.widget === 'agents') {
      const agents = values.agentIds ?? [];
      if (style === 'subtitle' && agents.length === 0) continue;
      const shown =
        agents.length === 0
          ? text.agentsAll
          : agents.length <= AGENTS_NAMED
            ? agents.join(', ')
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

/** The lines printed under a report's title (PDF, XLSX): its filters and when it was generated. */
export function describeRun(report: ReportDefinition, params: ReportParams, generatedAt: number): string[] {
  const text = TEXT[params.locale];
  const fmt = new CellFormatter(params.locale, params.timeZone);
  const bound = (ms: number | undefined, fallback: string) =>
    ms === undefined ? fallback : fmt.format('datetime', ms);
  const period =
    params.from === undefined && params.to === undefined
      ? text.allData
      : `${bound(params.from, '…')} – ${bound(params.to, '…')}`;
  return [
    `${text.period}: ${period}`,
    `${text.timeZone}: ${params.timeZone}`,
    ...filterPhrases(report.filters, params, params.locale, 'subtitle'),
    `${text.generated}: ${fmt.format('datetime', generatedAt)}`,
  ];
}

/**
 * Saved filters in one line, for the history: period, zone, then the report's declared filters,
 * then the file's language when it is not the reader's. A report this version does not know
 * (a newer app's job in the shared history) shows what every report has.
 */
export function describeFilters(
  report: ReportDefinition | undefined,
  filters: Partial<ReportFilters>,
  locale: Locale,
): string {
  const parts: string[] = [];
  if (filters.fromDate && filters.toDate) parts.push(`${filters.fromDate} → ${filters.toDate}`);
  if (filters.timeZone) parts.push(filters.timeZone);
  parts.push(...filterPhrases(report?.filters ?? [], filters, locale, 'short'));
  if (filters.locale && filters.locale !== locale) parts.push(filters.locale);
  return parts.join(' · ');
}
