import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { LOCALES } from '../../../shared/i18n.ts';
import { findKind } from '../../../shared/records/registry.ts';
import { isValidTimeZone, systemTimeZone } from '../../../shared/time/zone.ts';
import { kindCounts } from '../../../workers/local-store.ts';
import { useApp } from '../app/context.tsx';
import {
  REPORT_FORMATS,
  type SavedReportDefaults,
  savedReportDefaults,
  saveReportDefaults,
} from '../app/report-defaults.ts';
import { dataWorkerApi } from '../app/workers.ts';
import { SETTINGS_MESSAGES } from './settings-i18n.ts';

/** Settings → "Report defaults": what the Reports form starts with (`reportDefaults`). */
function ReportDefaults() {
  const { locale } = useApp();
  const m = SETTINGS_MESSAGES[locale];
  const [defaults, setDefaults] = useState<SavedReportDefaults>(savedReportDefaults);
  const [zone, setZone] = useState(defaults.timeZone ?? '');
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const save = (next: SavedReportDefaults) => {
    setDefaults(next);
    saveReportDefaults(next);
    setNote({ ok: true, text: m.saved });
  };
  const saveZone = () => {
    const chosen = zone.trim();
    if (chosen !== '' && !isValidTimeZone(chosen)) return setNote({ ok: false, text: m.badZone(chosen) });
    const { timeZone: _old, ...rest } = defaults;
    save(chosen === '' ? rest : { ...rest, timeZone: chosen });
  };
  const formats = defaults.formats ?? [...REPORT_FORMATS];
  return (
    <section className="panel" aria-labelledby="defaults-title">
      <h2 id="defaults-title">{m.defaultsTitle}</h2>
      <p className="hint">{m.defaultsIntro}</p>
      <div className="row">
        <label>
          {m.timeZone}
          <input
            list="settings-zones"
            value={zone}
            placeholder={systemTimeZone()}
            aria-describedby="zone-hint"
            onChange={(event) => setZone(event.target.value)}
            onBlur={saveZone}
          />
          <datalist id="settings-zones">
            {zones.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </label>
        <label>
          {m.reportLocale}
          <select
            value={defaults.locale ?? ''}
            onChange={(event) => {
              const { locale: _old, ...rest } = defaults;
              const chosen = LOCALES.find((candidate) => candidate === event.target.value);
              save(chosen ? { ...rest, locale: chosen } : rest);
            }}
          >
            <option value="">{m.sameAsApp}</option>
            <option value="en">English</option>
            <option value="pt-BR">Português (Brasil)</option>
          </select>
        </label>
        <fieldset className="formats">
          <legend>{m.formats}</legend>
          {REPORT_FORMATS.map((format) => (
            <label key={format} className="inline">
              <input
                type="checkbox"
                checked={formats.includes(format)}
                // At least one format: the last one cannot be unticked.
                disabled={formats.length === 1 && formats.includes(format)}
                onChange={(event) =>
                  save({
                    ...defaults,
                    formats: event.target.checked
                      ? REPORT_FORMATS.filter((one) => one === format || formats.includes(one))
                      : formats.filter((one) => one !== format),
                  })
                }
              />
              {format.toUpperCase()}
            </label>
          ))}
        </fieldset>
      </div>
      <p className="hint" id="zone-hint">
        {m.timeZoneHint(systemTimeZone())}
      </p>
      {note && (
        <p
          className={note.ok ? 'success' : 'error'}
          role={note.ok ? 'status' : 'alert'}
          data-testid="defaults-note"
        >
          {note.text}
        </p>
      )}
    </section>
  );
}

export default function Settings() {
  const { t, locale, session, store, syncNow, sync } = useApp();
  const m = SETTINGS_MESSAGES[locale];
  // Counted at sync: reading the chunks here would bring every record to the page.
  const kinds = useLiveQuery(() => kindCounts(store), [store], []);
  const agents = useLiveQuery(() => store.agents.count(), [store], 0);
  const events = kinds.find((kind) => kind.kind === 'activity')?.count ?? 0;
  /** Shown once this screen asked for a sync: what that sync came to. */
  const [asked, setAsked] = useState(false);
  const clear = async () => {
    if (!confirm(t.clearLocalConfirm)) return;
    store.close();
    await dataWorkerApi().clear(session.storeName);
    location.reload();
  };
  const time = (at: number) =>
    new Date(at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const syncNote = !asked ? undefined : sync.running ? (
    <p role="status" data-testid="sync-note">
      {m.syncing}
    </p>
  ) : sync.error ? (
    <p className="error" role="alert" data-testid="sync-note">
      {m.syncFailed(sync.error)}
    </p>
  ) : sync.last ? (
    <p className="success" role="status" data-testid="sync-note">
      {m.synced(sync.last.records.toLocaleString(locale), sync.last.records, time(sync.last.at))}
    </p>
  ) : undefined;
  return (
    <>
      <section className="panel" aria-labelledby="settings-title">
        <h1 id="settings-title">{t.settingsTitle}</h1>
        <p>{t.localData(events.toLocaleString(locale), agents.toLocaleString(locale))}</p>
        <p id="kept-title">{t.localKinds}</p>
        <ul aria-labelledby="kept-title" data-testid="kept-locally">
          {kinds.map((kind) => (
            <li key={kind.kind}>
              {t.localKind(
                findKind(kind.kind).label[locale],
                kind.count.toLocaleString(locale),
                kind.keepLocallyDays.toLocaleString(locale),
              )}
            </li>
          ))}
        </ul>
        <div className="row">
          <button
            type="button"
            onClick={() => {
              setAsked(true);
              syncNow();
            }}
            disabled={sync.running}
            aria-busy={sync.running}
          >
            {sync.running && asked ? m.syncing : t.syncNow}
          </button>
          <button type="button" className="danger" onClick={() => void clear()}>
            {t.clearLocal}
          </button>
        </div>
        {syncNote}
      </section>
      <ReportDefaults />
    </>
  );
}
