import { proxy } from 'comlink';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import {
  CSV_KINDS,
  type CsvKind,
  type CsvMapping,
  compileMapping,
  DATE_FORMATS,
  type DateFormat,
  type FieldRule,
  fieldsOf,
  KIND_LABELS,
  mappingProblems,
  suggestMapping,
} from '../../../shared/import/csv-mapping.ts';
import { systemTimeZone } from '../../../shared/time/zone.ts';
import type { CsvImportSummary, CsvPreview } from '../../../workers/import-csv.ts';
import { useApp } from '../app/context.tsx';
import { dataWorkerApi } from '../app/workers.ts';
import { CSV_MESSAGES } from './import-csv-i18n.ts';
import { IMPORT_MESSAGES } from './import-i18n.ts';

/** Saved mappings live in the local store's key–value table, one entry per name. */
const SAVED_PREFIX = 'csv-mapping:';
/** Rows of the file and records shown in the mapping step: enough to judge, cheap to map here. */
const SHOWN_ROWS = 5;

/** A field's choice in the select: not imported, a column, or a constant. */
const CONSTANT = '\u0000constant';

/**
 * The CSV import (issue 10 §5): pick a file; the worker reads its head (delimiter, encoding, first
 * rows); the supervisor checks the suggested mapping against the records it would make, saves it
 * by name if useful, and imports, the worker streaming the whole file.
 */
export default function ImportCsv() {
  const { locale, session, store, syncNow } = useApp();
  const m = CSV_MESSAGES[locale];
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<CsvPreview>();
  const [mapping, setMapping] = useState<CsvMapping>();
  const [error, setError] = useState<string>();
  const [fraction, setFraction] = useState<number>();
  const [summary, setSummary] = useState<CsvImportSummary>();
  const [saveName, setSaveName] = useState('');
  const [savedNote, setSavedNote] = useState<string>();
  const [chosenSaved, setChosenSaved] = useState('');
  const saved = useLiveQuery(() => store.meta.where('key').startsWith(SAVED_PREFIX).toArray(), [store], []);
  const n = (value: number) => value.toLocaleString(locale);

  const pick = async (picked: File | undefined) => {
    setError(undefined);
    setSummary(undefined);
    setPreview(undefined);
    setMapping(undefined);
    setFile(picked);
    if (!picked) return;
    try {
      const head = await dataWorkerApi().previewCsv(picked);
      setPreview(head);
      setMapping(suggestMapping(head.headers, { timeZone: systemTimeZone() }));
    } catch (caught) {
      setError(m.failed(caught instanceof Error ? caught.message : String(caught)));
    }
  };

  const problems = useMemo(
    () => (mapping && preview ? mappingProblems(mapping, preview.headers) : []),
    [mapping, preview],
  );
  const recordsPreview = useMemo(() => {
    if (!mapping || !preview || problems.length > 0) return [];
    const mapper = compileMapping(mapping, preview.headers);
    return preview.rows
      .slice(0, SHOWN_ROWS)
      .map((row) => ({ line: row.line, result: mapper.map(row.cells) }));
  }, [mapping, preview, problems]);

  const setRule = (field: string, rule: FieldRule | undefined) =>
    setMapping((before) => before && { ...before, fields: { ...before.fields, [field]: rule } });

  const runImport = async () => {
    if (!file || !mapping) return;
    setError(undefined);
    setFraction(0);
    try {
      setSummary(await dataWorkerApi().importCsv(session.storeName, file, mapping, proxy(setFraction)));
      syncNow();
    } catch (caught) {
      setError(m.failed(caught instanceof Error ? caught.message : String(caught)));
    } finally {
      setFraction(undefined);
    }
  };

  const saveMapping = async () => {
    const name = saveName.trim();
    if (!mapping || name === '') return;
    await store.meta.put({ key: SAVED_PREFIX + name, value: JSON.stringify(mapping) });
    setSavedNote(m.saved(name));
  };
  const applySaved = () => {
    const entry = saved.find((candidate) => candidate.key === chosenSaved);
    if (entry) setMapping(JSON.parse(String(entry.value)) as CsvMapping);
  };

  return (
    <section aria-labelledby="csv-title" className="csv-import">
      <h2 id="csv-title">{m.title}</h2>
      <p>{m.intro}</p>
      <label className="file-pick">
        {m.choose}
        <input
          type="file"
          accept=".csv,text/csv"
          disabled={fraction !== undefined}
          onChange={(event) => void pick(event.target.files?.[0])}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {preview && mapping && (
        <div className="csv-mapping">
          {file && (
            <p data-testid="csv-file">
              <strong>{file.name}</strong> · {IMPORT_MESSAGES[locale].size(file.size)}
            </p>
          )}
          <p data-testid="csv-detected">
            {m.detected(preview.delimiter, preview.encoding, preview.headers.length)}
          </p>
          <div className="preview-scroll">
            <table aria-label={m.firstRows}>
              <thead>
                <tr>
                  {preview.headers.map((header) => (
                    <th key={header}>{header}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.slice(0, SHOWN_ROWS).map((row) => (
                  <tr key={row.line}>
                    {preview.headers.map((header, index) => (
                      <td key={header}>{row.cells[index]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="row">
            <label>
              {m.savedMapping}
              <select value={chosenSaved} onChange={(event) => setChosenSaved(event.target.value)}>
                <option value="">{m.savedNone}</option>
                {saved.map((entry) => (
                  <option key={entry.key} value={entry.key}>
                    {entry.key.slice(SAVED_PREFIX.length)}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={applySaved} disabled={chosenSaved === ''}>
              {m.apply}
            </button>
          </div>
          <div className="row">
            <label>
              {m.kind}
              <select
                value={mapping.kind}
                onChange={(event) =>
                  setMapping(
                    suggestMapping(preview.headers, {
                      kind: event.target.value as CsvKind,
                      timeZone: mapping.timeZone,
                      dateFormat: mapping.dateFormat,
                    }),
                  )
                }
              >
                {CSV_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {KIND_LABELS[kind][locale]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {m.dateFormat}
              <select
                value={mapping.dateFormat}
                onChange={(event) => setMapping({ ...mapping, dateFormat: event.target.value as DateFormat })}
              >
                {DATE_FORMATS.map((format) => (
                  <option key={format} value={format}>
                    {format === 'iso' ? 'ISO 8601' : `${format} HH:mm`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {m.timeZone}
              <input
                value={mapping.timeZone}
                onChange={(event) => setMapping({ ...mapping, timeZone: event.target.value })}
              />
            </label>
          </div>
          <table className="csv-fields">
            <thead>
              <tr>
                <th>{m.field}</th>
                <th>{m.source}</th>
              </tr>
            </thead>
            <tbody>
              {fieldsOf(mapping.kind).map((field) => {
                const rule = mapping.fields[field.name];
                const value = !rule ? '' : rule.source === 'constant' ? CONSTANT : rule.column;
                return (
                  <tr key={field.name}>
                    <td>
                      <code>{field.name}</code>
                      {field.required && <span className="hint"> ({m.required})</span>}
                      {field.status && <span className="hint"> ({m.forStatus})</span>}
                    </td>
                    <td>
                      <select
                        aria-label={field.name}
                        value={value}
                        onChange={(event) => {
                          const chosen = event.target.value;
                          setRule(
                            field.name,
                            chosen === ''
                              ? undefined
                              : chosen === CONSTANT
                                ? { source: 'constant', value: '', transform: field.transform }
                                : { source: 'column', column: chosen, transform: field.transform },
                          );
                        }}
                      >
                        <option value="">{m.notImported}</option>
                        {preview.headers.map((header) => (
                          <option key={header} value={header}>
                            {header}
                          </option>
                        ))}
                        <option value={CONSTANT}>{m.constant}</option>
                      </select>
                      {rule?.source === 'constant' && (
                        <input
                          aria-label={m.constantValue(field.name)}
                          value={rule.value}
                          onChange={(event) => setRule(field.name, { ...rule, value: event.target.value })}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {problems.length > 0 ? (
            <div className="error" role="alert" data-testid="csv-problems">
              <strong>{m.problems}</strong>
              <ul>
                {problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            </div>
          ) : (
            <div data-testid="csv-records-preview">
              <h3>{m.recordsPreview}</h3>
              <ul className="invalid-lines">
                {recordsPreview.map(({ line, result }) => (
                  <li key={line} className={result.ok ? undefined : 'error'}>
                    {result.ok
                      ? m.previewOk(
                          line,
                          result.records.map(({ id: _, ...record }) => JSON.stringify(record)).join(' + '),
                        )
                      : m.line(line, result.error)}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="row">
            <label>
              {m.saveAs}
              <input value={saveName} onChange={(event) => setSaveName(event.target.value)} />
            </label>
            <button type="button" onClick={() => void saveMapping()} disabled={saveName.trim() === ''}>
              {m.save}
            </button>
            {savedNote && <span role="status">{savedNote}</span>}
          </div>
          <button
            type="button"
            className="primary"
            onClick={() => void runImport()}
            disabled={problems.length > 0 || fraction !== undefined}
          >
            {m.importButton}
          </button>
        </div>
      )}
      {fraction !== undefined && file && (
        <div className="progress-line">
          <progress max={1} value={fraction} aria-label={m.running(file.name)} />
          <span>{m.running(file.name)}</span>
        </div>
      )}
      {summary && (
        <article className="import-result" data-testid="csv-import-result">
          <h3>{summary.fileName}</h3>
          <p role="status">{m.done(n(summary.kept), n(summary.rows), n(summary.invalidCount))}</p>
          {summary.invalid.length > 0 && (
            <ul className="invalid-lines">
              {summary.invalid.map((line) => (
                <li key={line.line}>{m.line(line.line, line.error)}</li>
              ))}
            </ul>
          )}
          {summary.invalidCount > summary.invalid.length && (
            <p className="hint">{m.more(n(summary.invalidCount - summary.invalid.length))}</p>
          )}
        </article>
      )}
    </section>
  );
}
