import { proxy } from 'comlink';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { findKind } from '../../../shared/records/registry.ts';
import type { FileScan, ImportSummary } from '../../../workers/import-file.ts';
import { useApp } from '../app/context.tsx';
import { dataWorkerApi } from '../app/workers.ts';
import ImportCsv from './ImportCsv.tsx';
import { IMPORT_MESSAGES } from './import-i18n.ts';
import { humanLineError } from './line-errors.ts';

/** A picked file waiting for the person to confirm, with what its start holds once read. */
interface Chosen {
  file: File;
  scan?: FileScan;
}

/** JSON Lines from offline offices: checked in the worker, good events kept and pushed. */
export default function Import() {
  const { t, locale, session, store, syncNow } = useApp();
  const [running, setRunning] = useState<string>();
  const [fraction, setFraction] = useState(0);
  const [summaries, setSummaries] = useState<(ImportSummary & { key: number })[]>([]);
  const pending = useLiveQuery(
    async () => (await store.pending.toArray()).reduce((sum, chunk) => sum + chunk.count, 0),
    [store],
    0,
  );
  const n = (value: number) => value.toLocaleString(locale);

  const m = IMPORT_MESSAGES[locale];
  const [chosen, setChosen] = useState<Chosen[]>([]);

  // Picking only reads the files' start: nothing is imported before the person says Import.
  const pick = (files: FileList | null) => {
    const picked = Array.from(files ?? []).map((file) => ({ file }));
    setChosen(picked);
    for (const entry of picked) {
      void dataWorkerApi()
        .scanFile(entry.file)
        .then((scan) =>
          setChosen((now) => now.map((other) => (other.file === entry.file ? { ...other, scan } : other))),
        );
    }
  };
  const importFiles = async () => {
    const files = chosen.map((entry) => entry.file);
    setChosen([]);
    for (const file of files) {
      setRunning(file.name);
      setFraction(0);
      const summary = await dataWorkerApi().importFile(session.storeName, file, proxy(setFraction));
      setSummaries((before) => [{ ...summary, key: Date.now() }, ...before]);
    }
    setRunning(undefined);
    syncNow();
  };
  const found = (scan: FileScan) =>
    m.found(
      n(scan.lines),
      scan.complete,
      Object.entries(scan.kinds)
        .map(([kind, count]) => `${n(count)} ${findKind(kind as never).label[locale]}`)
        .join(', '),
      n(scan.invalid),
    );

  return (
    <section className="panel" aria-labelledby="import-title">
      <h1 id="import-title">{t.importTitle}</h1>
      <p>{t.importIntro}</p>
      <label className="file-pick">
        {t.importChoose}
        <input
          type="file"
          accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson"
          multiple
          disabled={running !== undefined}
          onChange={(event) => {
            pick(event.target.files);
            // The same file picked again (after Cancel) is a new choice.
            event.target.value = '';
          }}
        />
      </label>
      {chosen.length > 0 && (
        <section className="import-confirm" aria-labelledby="import-confirm-title">
          <h2 id="import-confirm-title">{m.confirmTitle}</h2>
          <ul data-testid="import-chosen">
            {chosen.map(({ file, scan }) => (
              <li key={`${file.name}-${file.size}-${file.lastModified}`}>
                <strong>{file.name}</strong> · {m.size(file.size)} ·{' '}
                <span role="status">{scan ? found(scan) : m.scanning}</span>
              </li>
            ))}
          </ul>
          <div className="row">
            <button type="button" className="primary" onClick={() => void importFiles()}>
              {m.importButton}
            </button>
            <button type="button" onClick={() => setChosen([])}>
              {m.cancel}
            </button>
          </div>
        </section>
      )}
      {running && (
        <div className="progress-line">
          <progress max={1} value={fraction} aria-label={t.importRunning(running)} />
          <span>{t.importRunning(running)}</span>
        </div>
      )}
      {pending > 0 && <p className="note">{t.importPending(n(pending))}</p>}
      {summaries.map((summary) => (
        <article key={summary.key} className="import-result" data-testid="import-result">
          <h2>{summary.fileName}</h2>
          <p role="status">{t.importDone(n(summary.kept), n(summary.invalidCount))}</p>
          {summary.invalid.length > 0 && (
            <ul className="invalid-lines">
              {summary.invalid.map((line) => (
                <li key={line.line}>
                  {t.importLine(line.line, humanLineError(line.error, line.value, locale))}{' '}
                  <span className="hint">
                    ({summary.fileName}:{line.line} · {line.error})
                  </span>
                </li>
              ))}
            </ul>
          )}
          {summary.invalidCount > summary.invalid.length && (
            <p className="hint">{t.importMore(n(summary.invalidCount - summary.invalid.length))}</p>
          )}
        </article>
      ))}
      <ImportCsv />
    </section>
  );
}
