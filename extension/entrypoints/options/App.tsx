import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { patternsToRegister } from '../../capture/registration.ts';
import { SYNC_NOW_MESSAGE } from '../../capture/signals.ts';
import { CaptureDatabase, exportJsonLines } from '../../capture/store.ts';
import { type Enrollment, enrollmentOf, type SyncOutcome } from '../../capture/sync.ts';
import {
  DEFAULT_SETTINGS,
  type ExtensionSettings,
  loadSettings,
  policyFields,
  saveSettings,
} from '../../settings.ts';
import {
  type AdapterForm,
  adapterToForm,
  editJson,
  editPlainField,
  formToAdapter,
  type PlainAdapterField,
} from '../../ui/adapter-form.ts';
import { downloadText, exportFileName } from '../../ui/download.ts';
import { Field, hintId } from '../../ui/Field.tsx';
import { pageText } from '../../ui/locale.ts';
import { SetAsideSection } from '../../ui/SetAside.tsx';

const { t, locale } = pageText();
const db = new CaptureDatabase();
/** How often the stored-event count is reread while the page is open. */
const COUNT_REFRESH_MS = 5000;

type SettingKey = keyof ExtensionSettings;

interface Form {
  serverUrl: string;
  enrollmentCode: string;
  adapter: AdapterForm;
}

type Message = { kind: 'ok' | 'error'; text: string } | undefined;

function formOf(settings: ExtensionSettings): Form {
  return {
    serverUrl: settings.serverUrl,
    enrollmentCode: settings.enrollmentCode,
    adapter: adapterToForm(settings.adapter),
  };
}

function problemText(problem: unknown): string {
  return problem instanceof Error ? problem.message : String(problem);
}

/** "Enrolled as … on … since …", or why not, for the server the form names. */
function enrollmentText(enrollment: Enrollment | undefined, serverUrl: string): string {
  if (!enrollment || enrollment.serverUrl !== serverUrl) return t.notEnrolled;
  const since =
    enrollment.since === undefined
      ? ''
      : new Date(enrollment.since).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return t.enrolledAs(enrollment.deviceName, enrollment.serverUrl, since);
}

function SettingsForm() {
  const [form, setForm] = useState<Form>();
  const [locked, setLocked] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<Message>();
  const [saving, setSaving] = useState(false);
  const [enrollment, setEnrollment] = useState<Enrollment>();

  useEffect(() => {
    let active = true;
    void Promise.all([loadSettings(), policyFields(), enrollmentOf(db)]).then(
      ([settings, fields, enrolled]) => {
        if (!active) return;
        setForm(formOf(settings));
        setLocked(new Set(fields));
        setEnrollment(enrolled);
      },
      (problem: unknown) => {
        if (!active) return;
        setForm(formOf(DEFAULT_SETTINGS));
        setMessage({ kind: 'error', text: problemText(problem) });
      },
    );
    return () => {
      active = false;
    };
  }, []);

  if (!form) return <p className="muted">{t.loading}</p>;

  const isLocked = (key: SettingKey) => locked.has(key);
  const lockedNote = (key: SettingKey) => (isLocked(key) ? t.policyNote : undefined);
  const allLocked = isLocked('serverUrl') && isLocked('enrollmentCode') && isLocked('adapter');

  const edit = (next: Form) => {
    setForm(next);
    setMessage(undefined);
  };
  const editAdapterField = (field: PlainAdapterField, text: string) =>
    edit({ ...form, adapter: editPlainField(form.adapter, field, text) });

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving || allLocked) return;
    const partial: Partial<ExtensionSettings> = {};
    // Policy values are not saved locally: when the policy goes, the admin's own choice returns.
    if (!isLocked('serverUrl')) partial.serverUrl = form.serverUrl.trim();
    if (!isLocked('enrollmentCode')) partial.enrollmentCode = form.enrollmentCode.trim();
    if (!isLocked('adapter')) {
      const adapter = formToAdapter(form.adapter);
      if (!adapter.ok) {
        const problem = adapter.problem === 'syntax' ? t.jsonInvalid(adapter.message) : t.jsonNotObject;
        setMessage({ kind: 'error', text: t.notSaved(problem) });
        return;
      }
      partial.adapter = adapter.adapter;
      // Asked first, while the click still counts as the user's gesture.
      const extra = patternsToRegister(adapter.adapter.matches ?? []);
      if (extra.length > 0 && !(await browser.permissions.request({ origins: extra }))) {
        setMessage({ kind: 'error', text: t.notSaved(t.permissionDenied(extra.join(', '))) });
        return;
      }
    }
    setSaving(true);
    setMessage(undefined);
    try {
      const result = await saveSettings(partial);
      if (!result.ok) {
        setMessage({ kind: 'error', text: t.notSaved(result.error) });
        return;
      }
      const saved = await loadSettings();
      setForm(formOf(saved));
      if (saved.serverUrl === '') {
        setMessage({ kind: 'ok', text: t.saved });
        return;
      }
      // Saved is not enough: the server says whether the code enrolled this browser.
      setMessage({ kind: 'ok', text: t.checkingServer });
      const outcome = (await browser.runtime.sendMessage(SYNC_NOW_MESSAGE)) as SyncOutcome | undefined;
      const enrolled = await enrollmentOf(db);
      setEnrollment(enrolled);
      if (enrolled && enrolled.serverUrl === saved.serverUrl) {
        // The code is spent: keeping it in the field would only suggest it could be used again.
        if (saved.enrollmentCode !== '' && !isLocked('enrollmentCode')) {
          await saveSettings({ ...partial, enrollmentCode: '' });
          setForm(formOf(await loadSettings()));
        }
        setMessage({ kind: 'ok', text: enrollmentText(enrolled, saved.serverUrl) });
      } else {
        const reason = outcome && 'error' in outcome ? outcome.error : t.notEnrolled;
        setMessage({ kind: 'error', text: t.savedNotEnrolled(reason) });
      }
    } catch (problem) {
      setMessage({ kind: 'error', text: t.notSaved(problemText(problem)) });
    } finally {
      setSaving(false);
    }
  };

  const adapterLocked = isLocked('adapter');

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={allLocked ? 'all-locked' : undefined}>
      {allLocked && (
        <p className="callout" id="all-locked">
          {t.policyAllLocked}
        </p>
      )}

      <section className="panel" aria-labelledby="server-heading">
        <h2 id="server-heading">{t.serverSection}</h2>
        <p className="muted">{t.serverNote}</p>
        {form.serverUrl !== '' && (
          <p id="enrollment-status" data-enrolled={enrollment ? 'yes' : 'no'}>
            {enrollmentText(enrollment, form.serverUrl.trim())}
          </p>
        )}
        <Field
          id="server-url"
          label={t.serverUrl}
          hint={t.serverUrlHint}
          lockedNote={lockedNote('serverUrl')}
        >
          <input
            id="server-url"
            name="serverUrl"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder="https://pontual.example.com"
            value={form.serverUrl}
            readOnly={isLocked('serverUrl')}
            aria-describedby={hintId('server-url')}
            onChange={(event) => edit({ ...form, serverUrl: event.target.value })}
          />
        </Field>
        <Field
          id="enrollment-code"
          label={t.enrollmentCode}
          hint={t.enrollmentCodeHint}
          lockedNote={lockedNote('enrollmentCode')}
        >
          <input
            id="enrollment-code"
            name="enrollmentCode"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={form.enrollmentCode}
            readOnly={isLocked('enrollmentCode')}
            aria-describedby={hintId('enrollment-code')}
            onChange={(event) => edit({ ...form, enrollmentCode: event.target.value })}
          />
        </Field>
      </section>

      <section className="panel" aria-labelledby="adapter-heading">
        <h2 id="adapter-heading">
          {t.adapterSection}
          {adapterLocked && <span className="policy-badge">{t.policyNote}</span>}
        </h2>
        <p className="muted">{t.adapterIntro}</p>
        <Field
          id="adapter-matches"
          label={t.adapterMatches}
          hint={t.adapterMatchesHint}
          lockedNote={lockedNote('adapter')}
        >
          <textarea
            id="adapter-matches"
            name="matches"
            className="code"
            rows={3}
            spellCheck={false}
            value={form.adapter.matches}
            readOnly={adapterLocked}
            aria-describedby={hintId('adapter-matches')}
            onChange={(event) => editAdapterField('matches', event.target.value)}
          />
        </Field>
        <Field
          id="adapter-socket-url"
          label={t.adapterSocketUrl}
          hint={t.adapterSocketUrlHint}
          lockedNote={lockedNote('adapter')}
        >
          <input
            id="adapter-socket-url"
            name="socketUrl"
            type="text"
            className="code"
            spellCheck={false}
            autoComplete="off"
            value={form.adapter.socketUrl}
            readOnly={adapterLocked}
            aria-describedby={hintId('adapter-socket-url')}
            onChange={(event) => editAdapterField('socketUrl', event.target.value)}
          />
        </Field>
        <Field
          id="adapter-heartbeat-seconds"
          label={t.adapterHeartbeat}
          hint={t.adapterHeartbeatHint}
          lockedNote={lockedNote('adapter')}
        >
          <input
            id="adapter-heartbeat-seconds"
            name="heartbeatSeconds"
            type="number"
            inputMode="numeric"
            min={1}
            max={3600}
            step={1}
            value={form.adapter.heartbeatSeconds}
            readOnly={adapterLocked}
            aria-describedby={hintId('adapter-heartbeat-seconds')}
            onChange={(event) => editAdapterField('heartbeatSeconds', event.target.value)}
          />
        </Field>
        <Field
          id="adapter-json"
          label={t.adapterJson}
          hint={t.adapterJsonHint}
          lockedNote={lockedNote('adapter')}
        >
          <textarea
            id="adapter-json"
            name="adapterJson"
            className="code"
            rows={16}
            spellCheck={false}
            value={form.adapter.json}
            readOnly={adapterLocked}
            aria-describedby={hintId('adapter-json')}
            onChange={(event) => edit({ ...form, adapter: editJson(form.adapter, event.target.value) })}
          />
        </Field>
        {!adapterLocked && (
          <div className="panel-actions">
            <button
              type="button"
              className="button secondary"
              onClick={() => edit({ ...form, adapter: adapterToForm(DEFAULT_SETTINGS.adapter) })}
            >
              {t.adapterRestoreDefaults}
            </button>
          </div>
        )}
      </section>

      <div className="form-actions">
        <button type="submit" className="button" id="save-settings" disabled={saving || allLocked}>
          {saving ? t.saving : t.save}
        </button>
        <p
          id="settings-message"
          className={`message ${message?.kind ?? ''}`}
          data-state={message?.kind ?? ''}
          role={message?.kind === 'error' ? 'alert' : 'status'}
        >
          {message?.text ?? ''}
        </p>
      </div>
    </form>
  );
}

function ExportSection() {
  const [count, setCount] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>();

  const refreshCount = useCallback(async () => {
    try {
      setCount(await db.events.count());
    } catch (problem) {
      setMessage({ kind: 'error', text: problemText(problem) });
    }
  }, []);

  useEffect(() => {
    void refreshCount();
    const timer = setInterval(() => void refreshCount(), COUNT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refreshCount]);

  const onExport = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      const text = await exportJsonLines(db);
      const lines = text === '' ? 0 : text.split('\n').length - 1;
      const fileName = exportFileName(Date.now());
      downloadText(text, fileName, 'application/x-ndjson');
      setMessage({ kind: 'ok', text: t.exported(lines, fileName) });
      setCount(lines);
    } catch (problem) {
      setMessage({ kind: 'error', text: t.exportFailed(problemText(problem)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">{t.exportSection}</h2>
      <p className="muted">{t.exportIntro}</p>
      <p id="event-count" data-count={count ?? ''} aria-live="polite">
        {count === undefined ? t.loading : t.eventCount(count)}
      </p>
      <div className="panel-actions">
        <button type="button" className="button" id="export-events" onClick={onExport} disabled={busy}>
          {busy ? t.exporting : t.exportButton}
        </button>
        <p
          id="export-message"
          className={`message ${message?.kind ?? ''}`}
          role={message?.kind === 'error' ? 'alert' : 'status'}
        >
          {message?.text ?? ''}
        </p>
      </div>
    </section>
  );
}

export function App() {
  return (
    <main className="options">
      <header>
        <img src="/icon/48.png" alt="" />
        <h1>{t.optionsTitle}</h1>
      </header>
      <SettingsForm />
      <SetAsideSection db={db} className="panel" />
      <ExportSection />
    </main>
  );
}
