import { useLiveQuery } from 'dexie-react-hooks';
import { type FormEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { PDF_MAX_ROWS } from '../../../shared/files/pdf-limit.ts';
import type { Locale } from '../../../shared/i18n.ts';
import { type ChartData, formatCount, type HeadlineData } from '../../../shared/reports/chart.ts';
import { localDateText } from '../../../shared/reports/describe.ts';
import {
  type FilterChoice,
  type FilterField,
  fixedChoices,
  periodOf,
  type SelectFilter,
  type TextFilter,
} from '../../../shared/reports/filter-schema.ts';
import {
  currentFilters,
  daysIncluded,
  defaultHiddenColumns,
  defaultPeriod,
  isRelativePeriod,
  paramsFromFilters,
  RELATIVE_PERIODS,
  type RelativePeriod,
  type ReportFilters,
  resolvePeriod,
  shiftDate,
  todayIn as todayInZone,
} from '../../../shared/reports/filters.ts';
import { REPORTS } from '../../../shared/reports/registry.ts';
import type { ReportDefinition } from '../../../shared/reports/types.ts';
import { isValidTimeZone, systemTimeZone } from '../../../shared/time/zone.ts';
import type { SavedTemplate } from '../../../workers/local-store.ts';
import type { PreviewColumn } from '../../../workers/report-job.ts';
import { isOffline } from '../app/api.ts';
import { useApp } from '../app/context.tsx';
import { localJobView } from '../app/history.ts';
import { sentence } from '../app/i18n.ts';
import { useJobProgress } from '../app/jobs.ts';
import { shareModel, useSavedSearches } from '../app/models.ts';
import { reportDefaults, savedReportDefaults } from '../app/report-defaults.ts';
import { type ResultCount, useDataVersion, useResultCount } from '../app/result-count.ts';
import { dataWorkerApi } from '../app/workers.ts';
import { BarChart } from '../components/BarChart.tsx';
import { DaysChart } from '../components/DaysChart.tsx';
import { Headline } from '../components/Headline.tsx';
import { JobCard } from '../components/JobCard.tsx';
import { LocaleSelect } from '../components/LocaleSelect.tsx';
import { PreviewTable } from '../components/PreviewTable.tsx';

const DEFAULT_PERIOD_DAYS = 7;
const FORMATS = ['csv', 'xlsx', 'pdf'] as const;

/** Today's local date `YYYY-MM-DD` in a zone (the system's when the zone is not one). */
function todayIn(timeZone: string): string {
  return todayInZone(isValidTimeZone(timeZone) ? timeZone : systemTimeZone(), Date.now());
}

/** The period last chosen for a report on this machine: named (it moves with the calendar) or fixed. */
type RememberedPeriod = { period: RelativePeriod } | { fromDate: string; toDate: string };
const periodKey = (reportId: string) => `pontual.period.${reportId}`;

function rememberedPeriod(reportId: string): RememberedPeriod | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(periodKey(reportId)) ?? 'null') as Record<
      string,
      unknown
    > | null;
    if (isRelativePeriod(saved?.period)) return { period: saved.period };
    if (typeof saved?.fromDate === 'string' && typeof saved.toDate === 'string')
      return { fromDate: saved.fromDate, toDate: saved.toDate };
  } catch {
    // Unreadable: the report's default period.
  }
  return undefined;
}

function rememberPeriod(reportId: string, filters: ReportFilters): void {
  const value: RememberedPeriod = filters.period
    ? { period: filters.period }
    : { fromDate: filters.fromDate, toDate: filters.toDate };
  localStorage.setItem(periodKey(reportId), JSON.stringify(value));
}

/** A default period of this many days is the named period of that length: it moves with the calendar. */
const NAMED_DEFAULTS: Record<number, RelativePeriod> = { 1: 'today', 7: 'last-7-days', 30: 'last-30-days' };

/** The report's default period (the last 7 days unless it declares its own), today included. */
function defaultFilters(report: ReportDefinition, appLocale: Locale): ReportFilters {
  // Settings → "Report defaults": the zone, language and formats the form starts from.
  const { timeZone, locale, formats } = reportDefaults(appLocale);
  const today = todayIn(timeZone);
  // A period that a required filter stands in for (ticket-detail's ticket) starts empty: all the data.
  const declared = periodOf(report.filters);
  const standIn = report.filters.find((field) => field.key === declared.orFilter);
  const required = standIn !== undefined && 'required' in standIn && standIn.required === true;
  const named = NAMED_DEFAULTS[declared.defaultDays ?? DEFAULT_PERIOD_DAYS];
  const period = required
    ? { fromDate: '', toDate: '' }
    : named
      ? { period: named, ...resolvePeriod(named, Date.now(), timeZone) }
      : (defaultPeriod(report, Date.now(), timeZone) ?? {
          fromDate: shiftDate(today, DEFAULT_PERIOD_DAYS - 1),
          toDate: today,
        });
  const base: ReportFilters = {
    ...period,
    timeZone,
    locale,
    splitDays: false,
    deviceTime: false,
    agentIds: [],
    hiddenColumns: defaultHiddenColumns(report),
    formats,
  };
  // The period chosen last time survives a reload: a named one resolved for today.
  const remembered = rememberedPeriod(report.id);
  return remembered ? currentFilters({ ...base, ...remembered }, Date.now()) : base;
}

function Catalog(props: { selected: string; onSelect(id: string): void }) {
  const { t, locale } = useApp();
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const matches = REPORTS.filter(
    (report) =>
      needle === '' ||
      report.title[locale].toLowerCase().includes(needle) ||
      report.description[locale].toLowerCase().includes(needle) ||
      report.id.includes(needle),
  );
  const categories = [...new Set(matches.map((report) => report.category))];
  return (
    <section className="panel catalog" aria-labelledby="catalog-title">
      <h2 id="catalog-title">{t.catalogTitle}</h2>
      <label>
        <span className="visually-hidden">{t.catalogSearch}</span>
        <input
          type="search"
          placeholder={t.catalogSearch}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </label>
      {matches.length === 0 && <p className="hint">{t.catalogEmpty}</p>}
      {categories.map((category) => (
        <div key={category} className="category">
          <h3>{t.category[category] ?? category}</h3>
          <ul>
            {matches
              .filter((report) => report.category === category)
              .map((report) => (
                <li key={report.id}>
                  <button
                    type="button"
                    className="report-choice"
                    aria-pressed={props.selected === report.id}
                    onClick={() => props.onSelect(report.id)}
                  >
                    <strong>{report.title[locale]}</strong>
                    <span>{report.description[locale]}</span>
                  </button>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** Memoised: a tenant may have hundreds of agents, and the form re-renders on every keystroke. */
const AgentPicker = memo(function AgentPicker(props: {
  label: string;
  selected: string[];
  onChange(ids: string[]): void;
}) {
  const { t, store } = useApp();
  const agents = useLiveQuery(() => store.agents.toArray(), [store], []);
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const shown = agents
    .filter((agent) => needle === '' || `${agent.name} ${agent.agentId}`.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name));
  const selected = new Set(props.selected);
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    props.onChange([...next]);
  };
  const teams = useLiveQuery(() => store.teams.toArray(), [store], []);
  const [teamName, setTeamName] = useState('');
  const saveTeam = async () => {
    const name = teamName.trim();
    if (name === '' || props.selected.length === 0) return;
    await store.teams.put({ name, agentIds: props.selected });
    setTeamName('');
  };
  return (
    <fieldset className="agents">
      <legend>
        {props.label}: {props.selected.length === 0 ? t.agentsAll : t.agentsSelected(props.selected.length)}
      </legend>
      {agents.length === 0 ? (
        <p className="hint">{t.agentsNone}</p>
      ) : (
        <>
          {teams.length > 0 && (
            <div className="row teams">
              <span>{t.teams}:</span>
              {teams.map((team) => (
                <span key={team.name}>
                  <button type="button" onClick={() => props.onChange(team.agentIds)}>
                    {t.teamPick(team.name, team.agentIds.length)}
                  </button>
                  <button
                    type="button"
                    className="link danger"
                    aria-label={t.teamDelete(team.name)}
                    onClick={() => void store.teams.delete(team.name)}
                  >
                    ×
                  </button>
                </span>
              ))}
            </div>
          )}
          <div className="row">
            <input
              type="search"
              aria-label={t.agentsSearch}
              placeholder={t.agentsSearch}
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
            <button type="button" onClick={() => props.onChange([])} disabled={props.selected.length === 0}>
              {t.agentsAll}
            </button>
          </div>
          <ul
            className="agent-list"
            style={{ height: `${Math.min(12, Math.max(2, shown.length) * 1.7)}rem` }}
          >
            {shown.map((agent) => (
              <li key={agent.agentId}>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={selected.has(agent.agentId)}
                    onChange={() => toggle(agent.agentId)}
                  />
                  {agent.name} <span className="hint">({agent.agentId})</span>
                </label>
              </li>
            ))}
          </ul>
          {props.selected.length > 0 && (
            <div className="row">
              <input
                aria-label={t.teamName}
                placeholder={t.teamName}
                value={teamName}
                onChange={(event) => setTeamName(event.target.value)}
              />
              <button type="button" onClick={() => void saveTeam()} disabled={teamName.trim() === ''}>
                {t.teamSave}
              </button>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
});

/**
 * A saved search, as the form applies it: every filter as saved, a named period ("Today")
 * resolved for today in the saved zone, and the older "last N days" moved to end today.
 */
function appliedFilters(template: SavedTemplate): ReportFilters {
  if (template.filters.period) return currentFilters(template.filters, Date.now());
  if (template.relativeDays === undefined) return template.filters;
  const toDate = todayIn(template.filters.timeZone);
  return { ...template.filters, fromDate: shiftDate(toDate, template.relativeDays - 1), toDate };
}

/**
 * Saved searches of a report, kept on this machine: "saved filters", or "models" for the
 * messaging reports (what their supervisors call them). Every filter is saved, the report's own
 * select and text filters included; a period ending today may be kept as "the last N days".
 */
function SavedSearches(props: {
  report: ReportDefinition;
  filters: ReportFilters;
  onApply(f: ReportFilters): void;
}) {
  const { t, store, session, locale } = useApp();
  const saved = useSavedSearches(store, session, props.report.id);
  const [name, setName] = useState('');
  const [relative, setRelative] = useState(true);
  const [share, setShare] = useState(false);
  const [shareError, setShareError] = useState<string>();
  const models = props.report.category === 'messaging';
  const words = models
    ? {
        legend: t.models,
        none: t.modelsNone,
        name: t.modelName,
        save: t.modelSave,
        apply: t.modelApply,
        remove: t.modelDelete,
      }
    : {
        legend: t.templates,
        none: t.templatesNone,
        name: t.templateName,
        save: t.templateSave,
        apply: t.templateApply,
        remove: t.templateDelete,
      };
  const named = props.filters.period;
  // Typed dates ending today may be kept as "the last N days" instead (as before named periods).
  const { fromDate, toDate, timeZone } = props.filters;
  const endsToday = !named && toDate === todayIn(timeZone) && fromDate !== '' && fromDate <= toDate;
  const days = endsToday ? daysIncluded(fromDate, toDate) : 0;
  const save = async () => {
    const trimmed = name.trim();
    if (trimmed === '') return;
    setShareError(undefined);
    const { period: _period, ...fixed } = props.filters;
    // A named period stays named unless the user asks for today's dates.
    const filters = named && relative ? props.filters : fixed;
    const lastDays = endsToday && relative ? { relativeDays: days } : {};
    if (share) {
      const body = { reportId: props.report.id, name: trimmed, filters, ...lastDays };
      try {
        await shareModel(store, session, body);
      } catch (error) {
        setShareError(isOffline(error) ? t.modelShareOffline : sentence((error as Error).message));
        return;
      }
      setName('');
      return;
    }
    const same = saved.find((template) => !template.shared && template.name === trimmed);
    await store.templates.put({
      ...(same ? { id: same.id } : {}),
      name: trimmed,
      reportId: props.report.id,
      filters,
      ...lastDays,
    });
    setName('');
  };
  return (
    <fieldset className="templates">
      <legend>{words.legend}</legend>
      {saved.length === 0 ? (
        <p className="hint">{words.none}</p>
      ) : (
        <ul>
          {saved.map((template) => (
            <li key={template.key}>
              <button type="button" className="link" onClick={() => props.onApply(appliedFilters(template))}>
                {words.apply(template.name)}
              </button>{' '}
              {template.filters.period ? (
                <span className="hint">({t.periodPreset[template.filters.period]})</span>
              ) : template.relativeDays !== undefined ? (
                <span className="hint">({t.periodLastDays(template.relativeDays)})</span>
              ) : (
                template.filters.fromDate !== '' && (
                  <span className="hint">
                    (
                    {t.periodDates(
                      localDateText(template.filters.fromDate, locale),
                      localDateText(template.filters.toDate, locale),
                    )}
                    )
                  </span>
                )
              )}{' '}
              {template.shared && (
                <span className="badge shared" title={t.modelSharedBy(template.shared.by)}>
                  {t.modelShared}
                </span>
              )}{' '}
              {(!template.shared || template.shared.mayDelete) && (
                <button
                  type="button"
                  className="link danger"
                  aria-label={words.remove(template.name)}
                  onClick={() => void template.remove().catch((error: Error) => setShareError(error.message))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <input
          aria-label={words.name}
          placeholder={words.name}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="button" onClick={() => void save()} disabled={name.trim() === ''}>
          {words.save}
        </button>
      </div>
      {(named || endsToday) && (
        <label className="inline">
          <input type="checkbox" checked={relative} onChange={(event) => setRelative(event.target.checked)} />
          {named ? t.periodKeepRelative(t.periodPreset[named]) : t.periodRelative(days)}
        </label>
      )}
      <label className="inline">
        <input type="checkbox" checked={share} onChange={(event) => setShare(event.target.checked)} />
        {t.modelShareWithTeam}
      </label>
      {shareError && (
        <p className="error" role="alert">
          {shareError}
        </p>
      )}
    </fieldset>
  );
}

const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

/**
 * A filter's choices drawn from the data on this machine (the agents, the campaigns, the queues…:
 * `shared/reports/local-lists.ts`), gathered by the data worker, never on the page's thread, and
 * gathered again when the local data changed.
 */
function useLocalChoices(source: string | undefined): FilterChoice[] | undefined {
  const { session } = useApp();
  const version = useDataVersion();
  const [choices, setChoices] = useState<FilterChoice[] | undefined>(undefined);
  useEffect(() => {
    if (source === undefined) return;
    let current = true;
    dataWorkerApi()
      .localChoices(session.storeName, source, version)
      .then((found) => {
        if (current) setChoices(found);
      })
      .catch(() => undefined); // no choices: the field stays as it was
    return () => {
      current = false;
    };
  }, [source, version, session.storeName]);
  return source === undefined ? undefined : choices;
}

/** One select or text filter, as its declaration says. */
function OptionField(props: {
  field: SelectFilter | TextFilter;
  value: string;
  onChange(value: string): void;
}) {
  const { locale } = useApp();
  const { field } = props;
  const local =
    field.widget === 'select' && !Array.isArray(field.choices)
      ? (field.choices as { local: string }).local
      : field.widget === 'text'
        ? field.suggest?.local
        : undefined;
  const fromData = useLocalChoices(local);
  const choices = field.widget === 'select' ? (fixedChoices(field) ?? fromData) : undefined;
  const hintId = field.hint ? `filter-hint-${field.key}` : undefined;
  const controlId = `filter-${field.key}`;
  return (
    <div className="field">
      <label htmlFor={controlId}>{field.label[locale]}</label>
      {choices ? (
        <select
          id={controlId}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          aria-describedby={hintId}
          required={field.required}
        >
          {/* Optional: empty means any. Required: an empty value shows as a prompt, not as the first choice it is not. */}
          <option value="" disabled={field.required}>
            —
          </option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label[locale]}
            </option>
          ))}
        </select>
      ) : (
        <>
          <input
            id={controlId}
            value={props.value}
            maxLength={field.widget === 'text' ? field.maxLength : undefined}
            required={field.required}
            onChange={(e) => props.onChange(e.target.value)}
            aria-describedby={hintId}
            list={fromData ? `${controlId}-seen` : undefined}
          />
          {/* Free text, with the values seen in the local data offered as one types. */}
          {fromData && (
            <datalist id={`${controlId}-seen`}>
              {fromData.map((choice) => (
                <option key={choice.value} value={choice.value} />
              ))}
            </datalist>
          )}
        </>
      )}
      {field.hint && (
        <span className="hint" id={hintId}>
          {field.hint[locale]}
        </span>
      )}
    </div>
  );
}

/** The longest each named period can be, in days: offered only where the report accepts it. */
const PRESET_DAYS: Record<RelativePeriod, number> = {
  today: 1,
  yesterday: 1,
  'this-week': 7,
  'last-week': 7,
  'last-7-days': 7,
  'last-30-days': 30,
  'this-month': 31,
  'last-month': 31,
};
const presetFits = (period: RelativePeriod, maxDays: number) => PRESET_DAYS[period] <= maxDays;

/** Whether a switch is on in the filters: `splitDays` and `deviceTime` live at the top. */
function toggleValue(filters: ReportFilters, key: string): boolean {
  if (key === 'splitDays') return filters.splitDays;
  if (key === 'deviceTime') return filters.deviceTime ?? false;
  return filters.options?.[key] === 'true';
}

function toggleChange(filters: ReportFilters, key: string, on: boolean): Partial<ReportFilters> {
  if (key === 'splitDays') return { splitDays: on };
  if (key === 'deviceTime') return { deviceTime: on };
  return { options: { ...filters.options, [key]: on ? 'true' : '' } };
}

/** The report's declared filters, each with the widget its declaration names. */
function DeclaredField(props: {
  field: FilterField;
  filters: ReportFilters;
  set(change: Partial<ReportFilters>): void;
  setAgents(ids: string[]): void;
}) {
  const { t, locale } = useApp();
  const { field, filters, set } = props;
  const hintId = field.hint ? `filter-hint-${field.key}` : undefined;
  switch (field.widget) {
    case 'period':
      return (
        <fieldset className="period">
          <legend>
            {field.fromLabel[locale]} / {field.toLabel[locale]} — {field.hint?.[locale]}
          </legend>
          {/* One click: the period is stored by name and moves with the calendar. */}
          <fieldset className="presets">
            <legend className="visually-hidden">{t.periodPresets}</legend>
            {RELATIVE_PERIODS.filter((period) => presetFits(period, field.maxDays)).map((period) => (
              <button
                key={period}
                type="button"
                className="chip"
                aria-pressed={filters.period === period}
                onClick={() => set(currentFilters({ ...filters, period }, Date.now()))}
              >
                {t.periodPreset[period]}
              </button>
            ))}
          </fieldset>
          <label>
            {field.fromLabel[locale]}
            <input
              type="date"
              required={field.orFilter === undefined}
              value={filters.fromDate}
              onChange={(e) => set({ fromDate: e.target.value, period: undefined })}
            />
          </label>
          <label>
            {field.toLabel[locale]}
            <input
              type="date"
              required={field.orFilter === undefined}
              value={filters.toDate}
              onChange={(e) => set({ toDate: e.target.value, period: undefined })}
            />
          </label>
        </fieldset>
      );
    case 'agents':
      return (
        <AgentPicker label={field.label[locale]} selected={filters.agentIds} onChange={props.setAgents} />
      );
    case 'toggle':
      return (
        <div>
          <label className="inline" title={field.hint?.[locale]}>
            <input
              type="checkbox"
              checked={toggleValue(filters, field.key)}
              onChange={(e) => set(toggleChange(filters, field.key, e.target.checked))}
              aria-describedby={hintId}
            />
            {field.label[locale]}
          </label>
          {field.hint && (
            <p className="hint" id={hintId}>
              {field.hint[locale]}
            </p>
          )}
        </div>
      );
    case 'select':
    case 'text':
      return (
        <OptionField
          field={field}
          value={filters.options?.[field.key] ?? ''}
          onChange={(value) => set({ options: { ...filters.options, [field.key]: value } })}
        />
      );
  }
}

/** "1,234 results" for the filters as they are, before Generate (counted in a worker). */
function ResultCountLine(props: { count: ResultCount }) {
  const { t, locale } = useApp();
  const { count } = props;
  const text =
    count.state === 'counting'
      ? t.resultCounting
      : count.state === 'done'
        ? t.resultCount(formatCount(count.count, locale), count.count)
        : count.state === 'failed'
          ? t.resultCountFailed
          : '';
  return (
    <p
      className="result-count"
      role="status"
      data-testid="result-count"
      data-state={count.state}
      title={count.state === 'failed' ? sentence(count.error) : undefined}
    >
      {text}
    </p>
  );
}

/**
 * The columns to choose from: the file's own, those the data decides (a column per break reason)
 * included once the count has seen the data, in the file's order, labelled in the report's language.
 */
function columnChoices(
  report: ReportDefinition,
  reportLocale: ReportFilters['locale'],
  counted: PreviewColumn[] | undefined,
): { key: string; label: string }[] {
  const declared = report.columns.map((column) => ({ key: column.key, label: column.label[reportLocale] }));
  if (!counted) return declared;
  const known = new Set(counted.map((column) => column.key));
  // Declared columns the run left out (none today) stay choosable, after the run's own.
  return [...counted, ...declared.filter((column) => !known.has(column.key))];
}

function FilterForm(props: { report: ReportDefinition; onStarted(id: string): void }) {
  const { t, locale, jobs } = useApp();
  const { report } = props;
  const [filters, setFilters] = useState<ReportFilters>(() => defaultFilters(report, locale));
  // The report's language follows the app's until it is changed for this run (or in Settings).
  const [ownLocale, setOwnLocale] = useState(() => savedReportDefaults().locale !== undefined);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = useCallback(
    (change: Partial<ReportFilters>) => {
      setFilters((before) => {
        const next = { ...before, ...change };
        if ('fromDate' in change || 'toDate' in change || 'period' in change) rememberPeriod(report.id, next);
        return next;
      });
      setError(undefined);
    },
    [report.id],
  );
  useEffect(() => {
    if (!ownLocale) setFilters((before) => (before.locale === locale ? before : { ...before, locale }));
  }, [locale, ownLocale]);
  const setAgents = useCallback((agentIds: string[]) => set({ agentIds }), [set]);
  const toggleIn = <T,>(list: T[], value: T) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  const { count, stop: stopCount } = useResultCount(report, filters);
  const [counted, setCounted] = useState<PreviewColumn[]>();
  useEffect(() => {
    if (count.state === 'done') setCounted(count.columns);
  }, [count]);
  const columns = columnChoices(report, filters.locale, counted?.length ? counted : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    // A named period means its dates as of now: a form left open overnight runs today's "Today".
    const run = currentFilters(filters, Date.now());
    const checked = paramsFromFilters(report, run, undefined, locale);
    if (!checked.ok) {
      setError(sentence(checked.error));
      return;
    }
    if (run.formats.length === 0) {
      setError(t.noFormat);
      return;
    }
    setBusy(true);
    stopCount();
    try {
      props.onStarted(await jobs.start(report.id, report.title[run.locale], run));
    } catch (problem) {
      setError(sentence(problem instanceof Error ? problem.message : String(problem)));
    } finally {
      setBusy(false);
    }
  };

  // The period first, the switches next to the run's zone and language, the lists after them.
  const period = report.filters.filter((field) => field.widget === 'period');
  const toggles = report.filters.filter((field) => field.widget === 'toggle');
  const others = report.filters.filter((field) => field.widget !== 'period' && field.widget !== 'toggle');
  const field = (declared: FilterField) => (
    <DeclaredField key={declared.key} field={declared} filters={filters} set={set} setAgents={setAgents} />
  );

  return (
    <form className="panel filters" onSubmit={submit} aria-labelledby="filters-title" noValidate>
      <h2 id="filters-title">{t.filtersTitle(report.title[locale])}</h2>
      <p className="hint">{report.description[locale]}</p>
      {period.map(field)}
      <div className="row">
        <label>
          {t.timeZone}
          <input
            list="time-zones"
            value={filters.timeZone}
            onChange={(e) => set(currentFilters({ ...filters, timeZone: e.target.value }, Date.now()))}
            autoComplete="off"
          />
          <datalist id="time-zones">
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </label>
        <LocaleSelect
          label={t.reportLocale}
          value={filters.locale}
          onChange={(reportLocale) => {
            setOwnLocale(reportLocale !== locale);
            set({ locale: reportLocale });
          }}
        />
      </div>
      {toggles.map(field)}
      {others.map(field)}
      <fieldset className="columns">
        <legend>{t.columns}</legend>
        {columns.map((column) => (
          <label key={column.key} className="inline">
            <input
              type="checkbox"
              checked={!filters.hiddenColumns.includes(column.key)}
              onChange={() => set({ hiddenColumns: toggleIn(filters.hiddenColumns, column.key) })}
            />
            {column.label}
          </label>
        ))}
      </fieldset>
      <fieldset className="formats">
        <legend>{t.formats}</legend>
        {FORMATS.map((format) => (
          <label key={format} className="inline">
            <input
              type="checkbox"
              checked={filters.formats.includes(format)}
              onChange={() => set({ formats: toggleIn(filters.formats, format) })}
            />
            {format.toUpperCase()}
          </label>
        ))}
        <p className="hint">{t.pdfNote(PDF_MAX_ROWS.toLocaleString(locale))}</p>
      </fieldset>
      {error && (
        <p className="error" role="alert" data-testid="filter-error">
          {error}
        </p>
      )}
      <ResultCountLine count={count} />
      <button type="submit" className="primary big" disabled={busy} aria-busy={busy}>
        {busy ? t.generating : t.generate}
      </button>
      <SavedSearches
        report={report}
        filters={filters}
        onApply={(saved) =>
          // One language at a time: a saved search brings its filters, not its file's language.
          setFilters({ ...defaultFilters(report, locale), ...saved, locale: filters.locale })
        }
      />
    </form>
  );
}

/**
 * A ticket's conversation as a PDF, from a row that names the ticket (a ticket summary's ⋮
 * menu): `ticket-detail` over all the data, in the run's zone and language, through the job runner.
 */
async function exportConversation(
  jobs: ReturnType<typeof useApp>['jobs'],
  ticketId: string,
  from: ReportFilters,
): Promise<string> {
  const detail = REPORTS.find((report) => report.id === 'ticket-detail')!;
  const filters: ReportFilters = {
    ...defaultFilters(detail, from.locale),
    fromDate: '',
    toDate: '',
    timeZone: from.timeZone,
    options: { ticket: ticketId },
    formats: ['pdf'],
  };
  return jobs.start(detail.id, `${detail.title[from.locale]} ${ticketId}`, filters);
}

function CurrentJob(props: { id: string; started: number; onStarted(id: string): void }) {
  const { store, t, locale, jobs } = useApp();
  const job = useLiveQuery(() => store.jobs.get(props.id), [store, props.id], undefined);
  const card = useRef<HTMLElement>(null);
  const shown = job !== undefined;
  // Each Generate brings the card to where the user looks (below the long form otherwise).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `started` changes on every Generate, the same job reused included.
  useEffect(() => {
    if (!shown) return;
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    card.current?.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'start' });
  }, [props.started, shown]);
  const live = useJobProgress(jobs).get(props.id);
  const api = live?.output ? jobs.previewOf(props.id) : undefined;
  const [chart, setChart] = useState<ChartData>();
  const [headline, setHeadline] = useState<HeadlineData>();
  useEffect(() => {
    setChart(undefined);
    setHeadline(undefined);
    if (api) {
      void api.chart().then(setChart);
      void api.headline().then(setHeadline);
    }
  }, [api]);
  if (!job) return null;
  const view = localJobView(job, undefined, locale);
  const report = REPORTS.find((candidate) => candidate.id === job.reportId);
  const shownKeys = new Set(live?.output?.columns.map((column) => column.key));
  // What the reader must know about a column (ticket-summary's Last Message), under the preview.
  const notes = (report?.columns ?? []).filter((column) => column.note && shownKeys.has(column.key));
  const ticketColumn =
    job.reportId === 'ticket-summary'
      ? live?.output?.columns.findIndex((column) => column.key === 'ticketId')
      : -1;
  const rowActions =
    ticketColumn !== undefined && ticketColumn >= 0
      ? [
          {
            label: t.exportConversation,
            onSelect: (row: string[]) =>
              void exportConversation(jobs, row[ticketColumn]!, job.filters).then(props.onStarted),
          },
        ]
      : undefined;
  return (
    <section ref={card} className="panel current-job" aria-label={t.jobTitle}>
      <JobCard job={view} live={live} />
      {api && live?.output && headline && (
        <Headline headline={headline} title={t.headlineTitle} share={t.headlineShare} />
      )}
      {api && live?.output && chart?.type === 'bars' && chart.bars.length > 0 && <BarChart chart={chart} />}
      {api && live?.output && chart?.type === 'days' && chart.days.length > 0 && (
        <DaysChart chart={chart} locale={job.filters.locale} tableCaption={t.chartTable(chart.title)} />
      )}
      {api && live?.output && (
        <>
          <h3>{t.preview}</h3>
          <PreviewTable
            api={api}
            columns={live.output.columns}
            rowCount={live.output.rowCount}
            caption={`${t.preview}: ${job.title}`}
            hint={t.previewSortHint}
            rowActions={rowActions}
            rowMenuLabel={
              ticketColumn !== undefined && ticketColumn >= 0
                ? (row) => t.rowMenu(row[ticketColumn]!)
                : undefined
            }
          />
          {notes.map((column) => (
            <p key={column.key} className="hint column-note" data-testid="column-note">
              {column.note![job.filters.locale]}
            </p>
          ))}
        </>
      )}
    </section>
  );
}

export default function Reports() {
  const [selected, setSelected] = useState(REPORTS[0]!.id);
  const [current, setCurrent] = useState<{ id: string; started: number }>();
  const start = (id: string) => setCurrent({ id, started: Date.now() });
  const report = useMemo(() => REPORTS.find((candidate) => candidate.id === selected)!, [selected]);
  return (
    <div className="reports">
      <Catalog selected={selected} onSelect={setSelected} />
      <div className="work">
        <FilterForm key={report.id} report={report} onStarted={start} />
        {current && (
          <CurrentJob key={current.id} id={current.id} started={current.started} onStarted={start} />
        )}
      </div>
    </div>
  );
}
