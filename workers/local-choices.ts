import type { RecordKindName } from '../shared/records/kind.ts';
import type { FilterChoice } from '../shared/reports/filter-schema.ts';
import {
  isLocalList,
  kindsOfList,
  LOCAL_LIST_NAMES,
  type LocalListName,
  LocalLists,
} from '../shared/reports/local-lists.ts';
import { type LocalStore, readLocalRecords } from './local-store.ts';

/**
 * The choices a filter draws from the local data (`{ local: '<list>' }`): the agents the store
 * knows, or a list of `shared/reports/local-lists.ts` gathered from the records of its kinds. Run
 * in the data worker, never on the page: a list read from a million messages takes seconds. The
 * answer is kept until the data changes (`version`: the store's cursors and pending imports).
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
  const key = `${store.name}\n${list}`;
  const cached = gathered.get(key);
  if (cached?.version === version) return cached.choices;
  gatherWith(store, list, version);
  return gathered.get(key)!.choices;
}

/**
 * One read of the store for every list the same records give: a message report's form asks for
 * five or six lists at once (campaigns, numbers, contacts, templates…), and each read of a million
 * messages is seconds of the data worker — beside the report the supervisor may be generating.
 * So a list drawn from messages gathers every list in one pass; the others (tickets alone) read
 * only their own kinds. Lists asked while the pass runs wait for it.
 */
function gatherWith(store: LocalStore, list: LocalListName, version: string): void {
  const kinds = new Set<RecordKindName>(
    kindsOfList(list).includes('message') ? LOCAL_LIST_NAMES.flatMap(kindsOfList) : kindsOfList(list),
  );
  const names = LOCAL_LIST_NAMES.filter((name) => kindsOfList(name).every((kind) => kinds.has(kind)));
  const pass = (async () => {
    const lists = new LocalLists(names);
    for (const kind of kinds) for await (const batch of readLocalRecords(store, kind)) lists.add(batch);
    return lists;
  })();
  for (const name of names) {
    const key = `${store.name}\n${name}`;
    const choices = pass.then((lists) => lists.choices(name));
    // A failed pass is forgotten, so the next ask reads again.
    choices.catch(() => {
      if (gathered.get(key)?.choices === choices) gathered.delete(key);
    });
    gathered.set(key, { version, choices });
  }
}

const gathered = new Map<string, { version: string; choices: Promise<FilterChoice[]> }>();
