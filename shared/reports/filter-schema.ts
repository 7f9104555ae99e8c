import type { Locale, Localized } from '../i18n.ts';

/**
 * A report's filters, declared once: the app's form, the history line, the PDF subtitle, the CLI's
 * options and the validator are all drawn from these declarations, so no screen or file writer
 * knows which report has which filter.
 */
export type FilterField = PeriodFilter | AgentsFilter | ToggleFilter | SelectFilter | TextFilter;
export type FilterWidget = FilterField['widget'];

interface FieldBase {
  /** Where the value lives in the saved filters (`ReportFilters`) and in the run's parameters. */
  key: string;
  label: Localized;
  /** A sentence under the field in the form. */
  hint?: Localized;
}

/** Whole local days `fromDate`..`toDate` in the form; `--from`/`--to` on the CLI. */
export interface PeriodFilter extends FieldBase {
  widget: 'period';
  key: 'period';
  fromLabel: Localized;
  toLabel: Localized;
  /** Longest period a run may ask for, in days. */
  maxDays: number;
  /**
   * The period a run starts with when none is given: the last `defaultDays` days up to today,
   * today included (the form's first value, and the CLI's without `--from`/`--to`; see
   * `defaultPeriod` in filters.ts). Absent: the form's own default, the CLI's all data.
   */
  defaultDays?: number;
  /**
   * The key of a select or text filter that may stand in for the period: a run with it set and no
   * period covers all the data (`official-messages`: one campaign). Without either, the
   * validator asks for one of them.
   */
  orFilter?: string;
  /** Whether a run must name both ends (the CLI may otherwise leave them open). */
  required?: boolean;
}

/** Some of the agents in the local data (empty: every agent); `--agents a,b` on the CLI. */
export interface AgentsFilter extends FieldBase {
  widget: 'agents';
  key: 'agentIds';
}

/** A switch, off by default; `--<key in kebab-case>` on the CLI. */
export interface ToggleFilter extends FieldBase {
  widget: 'toggle';
  /** `splitDays` and `deviceTime` are stored at the top of the filters (saved jobs have them). */
  key: string;
  /** Printed under the report's title when the switch is on (the history line shows `label`). */
  subtitle: Localized;
}

export interface FilterChoice {
  value: string;
  label: Localized;
}

/**
 * One value out of a list: fixed `choices`, or `local` names a list drawn from the data on the
 * supervisor's machine (`agents`, …), which the app looks up and the CLI takes as typed.
 */
export interface SelectFilter extends FieldBase {
  widget: 'select';
  key: string;
  choices: readonly FilterChoice[] | { local: string };
  /** Whether the run needs a value; otherwise empty means "any". */
  required?: boolean;
}

/** Free text (a contact's number, a word to find), at most `maxLength` characters. */
export interface TextFilter extends FieldBase {
  widget: 'text';
  key: string;
  maxLength: number;
  required?: boolean;
  /** Values seen in the local data offered as one types (`shared/reports/local-lists.ts`). */
  suggest?: { local: string };
}

/** Fields every report shares, with their labels; a report lists the ones it takes. */
export function periodFilter(
  maxDays: number,
  options: { required?: boolean; defaultDays?: number; orFilter?: { key: string; label: Localized } } = {},
): PeriodFilter {
  const { defaultDays, orFilter } = options;
  const hint: Localized = {
    en: `At most ${maxDays} days.`,
    'pt-BR': `No máximo ${maxDays} dias.`,
  };
  if (defaultDays !== undefined) {
    hint.en += ` The last ${defaultDays} by default.`;
    hint['pt-BR'] += ` Os últimos ${defaultDays} por padrão.`;
  }
  if (orFilter !== undefined) {
    hint.en += ` Or leave it empty and pick a ${orFilter.label.en.toLowerCase()}.`;
    hint['pt-BR'] += ` Ou deixe-o vazio e escolha uma ${orFilter.label['pt-BR'].toLowerCase()}.`;
  }
  return {
    ...(options.required ? { required: true } : {}),
    ...(defaultDays === undefined ? {} : { defaultDays }),
    ...(orFilter === undefined ? {} : { orFilter: orFilter.key }),
    ...periodFields(maxDays, hint),
  };
}

function periodFields(maxDays: number, hint: Localized): PeriodFilter {
  return {
    widget: 'period',
    key: 'period',
    label: { en: 'Period', 'pt-BR': 'Período' },
    fromLabel: { en: 'From', 'pt-BR': 'De' },
    toLabel: { en: 'To (inclusive)', 'pt-BR': 'Até (inclusive)' },
    hint,
    maxDays,
  };
}

export const AGENTS_FILTER: AgentsFilter = {
  widget: 'agents',
  key: 'agentIds',
  label: { en: 'Agents', 'pt-BR': 'Agentes' },
};

export const SPLIT_DAYS_FILTER: ToggleFilter = {
  widget: 'toggle',
  key: 'splitDays',
  label: { en: 'Split rows at midnight', 'pt-BR': 'Dividir linhas à meia-noite' },
  subtitle: { en: 'Split at midnight', 'pt-BR': 'Dividido à meia-noite' },
};

export const DEVICE_TIME_FILTER: ToggleFilter = {
  widget: 'toggle',
  key: 'deviceTime',
  label: { en: 'Device clocks (no skew correction)', 'pt-BR': 'Relógios dos dispositivos (sem correção)' },
  hint: {
    en: "Times are corrected by each device's clock offset, measured when it syncs; tick to see the devices' own clocks.",
    'pt-BR':
      'Os horários são corrigidos pela diferença do relógio de cada dispositivo, medida na sincronização; marque para ver os relógios dos próprios dispositivos.',
  },
  // Times off by a device's skew must say so on the page, or they pass for corrected ones.
  subtitle: { en: 'Device clocks, not corrected', 'pt-BR': 'Relógios dos dispositivos, sem correção' },
};

/** The period a report declares (every report has one: runs are always over a period). */
export function periodOf(fields: readonly FilterField[]): PeriodFilter {
  const period = fields.find((field): field is PeriodFilter => field.widget === 'period');
  if (!period) throw new Error('a report must declare a period filter (periodFilter(maxDays))');
  return period;
}

export function hasFilter(fields: readonly FilterField[], key: string): boolean {
  return fields.some((field) => field.key === key);
}

/** The CLI option a field is set with: `deviceTime` → `device-time`. */
export function optionName(field: FilterField): string {
  if (field.widget === 'agents') return 'agents';
  return field.key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The choices a select shows, in a locale; `undefined` when they come from local data. */
export function fixedChoices(field: SelectFilter): readonly FilterChoice[] | undefined {
  return Array.isArray(field.choices) ? (field.choices as readonly FilterChoice[]) : undefined;
}

export function choiceLabel(field: SelectFilter, value: string, locale: Locale): string {
  return fixedChoices(field)?.find((choice) => choice.value === value)?.label[locale] ?? value;
}
