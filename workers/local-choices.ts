import type { FilterChoice } from '../shared/reports/filter-schema.ts';
import { isLocalList, kindsOfList, LocalLists } from '../shared/reports/local-lists.ts';
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
  const lists = new LocalLists([list]);
  for (const kind of kindsOfList(list))
    for await (const batch of readLocalRecords(store, kind)) lists.add(batch);
  const choices = lists.choices(list);
  gathered.set(key, { version, choices });
  return choices;
}

const gathered = new Map<string, { version: string; choices: FilterChoice[] }>();
