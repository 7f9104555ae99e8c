import type { RecordKindName } from '../shared/records/kind.ts';
import type { FilterChoice } from '../shared/reports/filter-schema.ts';
import { isLocalList, kindsOfList, LOCAL_LIST_NAMES, LocalLists } from '../shared/reports/local-lists.ts';
import { type LocalStore, readRecordsStoredAfter } from './local-store.ts';

/**
 * The choices a filter draws from the local data (`{ local: '<list>' }`): the agents the store
 * knows, or a list of `shared/reports/local-lists.ts` gathered from the records of its kinds. Run
 * in the data worker, never on the page: a list read from a million messages takes seconds.
 *
 * Every list is gathered in one running pass per store, which reads only the rows stored since
 * it last read (`readRecordsStoredAfter`) when the data changes (`version`: the store's cursors
 * and pending imports). A message report's form asks for five or six lists at once, and a sync
 * brings new data every minute: reading every message for each list, again at each sync, kept
 * the data worker busy for seconds beside the report being generated. A value whose records the
 * store has since dropped (retention) stays offered until the app is reloaded.
 * `undefined` for a list this version does not know.
 */
export async function localChoices(
  store: LocalStore,
  list: string,
  version: string,
): Promise<FilterChoice[] | undefined> {
  if (list === 'agents')
    return (await store.agents.toArray())
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((agent) => ({ value: agent.agentId, label: { en: agent.name, 'pt-BR': agent.name } }));
  if (!isLocalList(list)) return undefined;
  let gathering = gathered.get(store);
  if (!gathering) {
    gathering = {
      lists: new LocalLists(),
      seen: { records: 0, pending: 0 },
      version: '',
      pass: Promise.resolve(),
    };
    gathered.set(store, gathering);
  }
  if (gathering.version !== version) {
    gathering.version = version;
    const running = gathering;
    // One pass at a time; a failed one (a damaged row) leaves the next to try again.
    gathering.pass = running.pass.catch(() => undefined).then(() => readNewRows(store, running));
  }
  await gathering.pass;
  return gathering.lists.choices(list);
}

interface Gathering {
  lists: LocalLists;
  /** The last `records` and `pendingRecords` rows read. */
  seen: { records: number; pending: number };
  version: string;
  pass: Promise<void>;
}

const LIST_KINDS: ReadonlySet<RecordKindName> = new Set(LOCAL_LIST_NAMES.flatMap(kindsOfList));

async function readNewRows(store: LocalStore, gathering: Gathering): Promise<void> {
  for await (const { batch, seen } of readRecordsStoredAfter(store, LIST_KINDS, gathering.seen)) {
    gathering.lists.add(batch);
    gathering.seen = seen;
  }
}

// By store object: "Clear local data" opens a new one, whose rows are numbered from 1 again.
const gathered = new WeakMap<LocalStore, Gathering>();
