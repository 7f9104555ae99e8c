import { proxy } from 'comlink';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { ImportSummary } from '../../../workers/import-file.ts';
import { useApp } from '../app/context.tsx';
import { dataWorkerApi } from '../app/workers.ts';
import ImportCsv from './ImportCsv.tsx';

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

  const importFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      setRunning(file.name);
      setFraction(0);
      const summary = await dataWorkerApi().importFile(session.storeName, file, proxy(setFraction));
      setSummaries((before) => [{ ...summary, key: Date.now() }, ...before]);
    }
    setRunning(undefined);
    syncNow();
  };

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
          onChange={(event) => void importFiles(event.target.files)}
        />
      </label>
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
                <li key={line.line}>{t.importLine(line.line, line.error)}</li>
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
