import { useLiveQuery } from 'dexie-react-hooks';
import { useApp } from '../app/context.tsx';
import { dataWorkerApi } from '../app/workers.ts';

export default function Settings() {
  const { t, locale, session, store, syncNow, sync } = useApp();
  const counts = useLiveQuery(
    async () => ({
      // Counted at sync: reading the chunks here would bring every event to the page.
      events: Number((await store.meta.get('eventCount'))?.value ?? 0),
      agents: await store.agents.count(),
    }),
    [store],
    { events: 0, agents: 0 },
  );
  const clear = async () => {
    if (!confirm(t.clearLocalConfirm)) return;
    store.close();
    await dataWorkerApi().clear(session.storeName);
    location.reload();
  };
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h1 id="settings-title">{t.settingsTitle}</h1>
      <p>{t.localData(counts.events.toLocaleString(locale), counts.agents.toLocaleString(locale))}</p>
      <div className="row">
        <button type="button" onClick={syncNow} disabled={sync.running}>
          {t.syncNow}
        </button>
        <button type="button" className="danger" onClick={() => void clear()}>
          {t.clearLocal}
        </button>
      </div>
    </section>
  );
}
