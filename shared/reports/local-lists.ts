import type { RecordKindName } from '../records/kind.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { FilterChoice, FilterField } from './filter-schema.ts';

/**
 * The lists a filter draws from the data (issue 10 §5): a select's `{ local: '<list>' }`, or a
 * text filter's `suggest: { local: '<list>' }` (free text, with the values seen offered). Each
 * list names the kinds it reads and the value (and label) a record gives it. `agents` is not
 * here: the app keeps its agents apart (`store.agents`, latest name wins), the CLI takes them as
 * typed.
 */
const LISTS = {
  /** Known by id and by name, from campaign records and the messages that name one. */
  campaigns: { kinds: ['campaign', 'message'] },
  queues: { kinds: ['message', 'ticket'] },
  businessNumbers: { kinds: ['message'] },
  contacts: { kinds: ['message', 'ticket'] },
  templates: { kinds: ['message'] },
  costCentres: { kinds: ['message'] },
  /** The `ticket-detail` picker: tickets by their steps (messages name them too, for checking). */
  tickets: { kinds: ['ticket'] },
} as const satisfies Record<string, { kinds: readonly RecordKindName[] }>;

export type LocalListName = keyof typeof LISTS;
export const LOCAL_LIST_NAMES = Object.keys(LISTS) as LocalListName[];

export function isLocalList(name: string): name is LocalListName {
  return Object.hasOwn(LISTS, name);
}

/** The kinds of record a list is drawn from. */
export function kindsOfList(list: LocalListName): readonly RecordKindName[] {
  return LISTS[list].kinds;
}

/** The lists filters draw from (a select's `local`, a text filter's `suggest`), once each. */
export function listsOf(filters: readonly FilterField[]): LocalListName[] {
  const lists = new Set<LocalListName>();
  for (const field of filters) {
    const local =
      field.widget === 'select' && !Array.isArray(field.choices)
        ? (field.choices as { local: string }).local
        : field.widget === 'text'
          ? field.suggest?.local
          : undefined;
    if (local !== undefined && isLocalList(local)) lists.add(local);
  }
  return [...lists];
}

/** Choices shown at most per list: a select or a suggestion list of more helps no one. */
export const MAX_LOCAL_CHOICES = 1_000;

/**
 * Gathers the values of the lists from records as they are read, batch by batch (the CLI from its
 * input, the app's data worker from the local store): one pass, whatever the lists asked.
 */
export class LocalLists {
  private readonly values = new Map<LocalListName, Set<string>>();
  /** A ticket's first step (its opening) and latest contact name, by its id. */
  private readonly ticketSteps = new Map<string, { at: string; contact: string }>();
  /** A campaign's latest name (the latest record wins, DESIGN §9), by its id. */
  private readonly campaignNames = new Map<string, { at: string; name: string }>();

  constructor(lists: readonly LocalListName[] = LOCAL_LIST_NAMES) {
    for (const list of lists) this.values.set(list, new Set());
  }

  add(batch: readonly AnyRecord[]): void {
    const put = (list: LocalListName, value: string | undefined) => {
      if (value !== undefined && value !== '') this.values.get(list)?.add(value);
    };
    for (const record of batch) {
      if (record.type === 'campaign') {
        put('campaigns', record.campaignId);
        if (this.values.has('campaigns')) {
          const known = this.campaignNames.get(record.campaignId);
          if (!known || known.at < record.at)
            this.campaignNames.set(record.campaignId, { at: record.at, name: record.name });
        }
      } else if (record.type === 'message') {
        put('campaigns', record.campaignId);
        put('queues', record.queue);
        put('businessNumbers', record.business);
        put('contacts', record.contact);
        put('templates', record.templateName);
        put('costCentres', record.costCentre);
        put('tickets', record.ticketId);
      } else if (record.type === 'ticket') {
        put('queues', record.queue);
        put('contacts', record.contact);
        put('tickets', record.ticketId);
        if (this.values.has('tickets')) {
          const known = this.ticketSteps.get(record.ticketId);
          const contact = record.contactName ?? record.contact ?? known?.contact ?? '';
          // A ticket is placed by its first step (its opening), named by its latest contact name.
          this.ticketSteps.set(record.ticketId, {
            at: known && known.at < record.at ? known.at : record.at,
            contact,
          });
        }
      }
    }
  }

  /**
   * The values seen of a list, to check a filter's value against; a campaign is known by its id
   * and by its name. `undefined` for a list not gathered (the caller cannot tell).
   */
  known(list: string): ReadonlySet<string> | undefined {
    if (!isLocalList(list)) return undefined;
    const values = this.values.get(list);
    if (!values || list !== 'campaigns') return values;
    return new Set([...values, ...[...this.campaignNames.values()].map((campaign) => campaign.name)]);
  }

  /**
   * The choices a form shows, sorted by label, at most `MAX_LOCAL_CHOICES`. Campaigns are offered
   * by their records (value: id, label: latest name), tickets latest opened first with their
   * contact; the other lists' values are their labels.
   */
  choices(list: LocalListName): FilterChoice[] {
    // Tickets: the latest opened first, named with their contact (an older one is exported from a
    // ticket summary's ⋮ menu).
    if (list === 'tickets')
      return [...this.ticketSteps]
        .sort((a, b) => (a[1].at < b[1].at ? 1 : a[1].at > b[1].at ? -1 : 0))
        .slice(0, MAX_LOCAL_CHOICES)
        .map(([value, { contact }]) => {
          const name = contact === '' ? value : `${value} — ${contact}`;
          return { value, label: { en: name, 'pt-BR': name } };
        });
    const entries: FilterChoice[] =
      list === 'campaigns'
        ? [...this.campaignNames].map(([value, { name }]) => ({ value, label: { en: name, 'pt-BR': name } }))
        : [...(this.values.get(list) ?? [])].map((value) => ({
            value,
            label: { en: value, 'pt-BR': value },
          }));
    return entries.sort((a, b) => a.label.en.localeCompare(b.label.en)).slice(0, MAX_LOCAL_CHOICES);
  }
}
