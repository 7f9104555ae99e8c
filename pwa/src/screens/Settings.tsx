import { useLiveQuery } from 'dexie-react-hooks';
import { findKind } from '../../../shared/records/registry.ts';
import { kindCounts } from '../../../workers/local-store.ts';
import { useApp } from '../app/context.tsx';
import { dataWorkerApi } from '../app/workers.ts';

export default function Settings() {
  const { t, locale, session, store, syncNow, sync } = useApp();
  // Counted at sync: reading the chunks here would bring every record to the page.
  const kinds = useLiveQuery(() => kindCounts(store), [store], []);
  const agents = useLiveQuery(() => store.agents.count(), [store], 0);
  const events = kinds.find((kind) => kind.kind === 'activity')?.count ?? 0;
  const clear = async () => {
    if (!confirm(t.clearLocalConfirm)) return;
    store.close();
    await dataWorkerApi().clear(session.storeName);
    location.reload();
  };
  return (
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
        <button type="button" onClick={() => syncNow()} disabled={sync.running}>
          {t.syncNow}
        </button>
        <button type="button" className="danger" onClick={() => void clear()}>
          {t.clearLocal}
        </button>
      </div>
    </section>
  );
}
