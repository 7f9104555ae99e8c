import { type ActivityEvent, EVENT_TYPES } from '../events/schema.ts';
import type { Localized } from '../i18n.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { UserRecord } from '../records/user.ts';
import { parseInstant } from '../time/iso.ts';
import { inWindow, MONTH_FILTER, MONTH_OR_PERIOD, monthWindow } from './account-month.ts';
import { compareCells, rowOrder } from './order.ts';
import type { Column, ReportDefinition, ReportParams, Row } from './types.ts';

const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});

type Profile = 'admin' | 'supervisor' | 'user';
const PROFILE_LABEL: Record<Profile, Localized> = {
  admin: { en: 'Admin', 'pt-BR': 'Administrador' },
  supervisor: { en: 'Supervisor', 'pt-BR': 'Supervisor' },
  user: { en: 'User', 'pt-BR': 'Usuário' },
};

/** A person's `user` events that show them using the app. */
const USING = new Set<UserRecord['event']>(['signed_in', 'active']);
const QUEUE_SEPARATOR = ', ';
const ACTIVITY_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

interface Licensee {
  id: string;
  profile: Profile;
  name: string | null;
  email: string | null;
  createdAt: number | null;
  /** When `name`, `email` and the profile were seen: the latest state before the month's end wins. */
  seenAt: number;
  active: boolean;
  queues: Set<string>;
}

const ID = 0;
const NAME = 1;

/**
 * Licenses (DESIGN §11): the people who used a licence in a month — the app's admins and
 * supervisors who signed in or used it (`user` records, written by the server), and the agents
 * with any activity event (who are "users"). Each with the queues they worked in that month.
 */
export const licenses: ReportDefinition = {
  id: 'licenses',
  category: 'account',
  title: { en: 'Licenses', 'pt-BR': 'Licenças' },
  description: {
    en: 'The agents and app users active in a month: an app user who signed in or used the app, an agent with any activity. With their profile, when they were created and their queues.',
    'pt-BR':
      'Os agentes e usuários do app ativos em um mês: um usuário do app que entrou ou usou o app, um agente com qualquer atividade. Com o perfil, quando foi criado e as filas.',
  },
  columns: [
    column('userId', 'text', 'User ID', 'ID do Usuário'),
    column('name', 'text', 'Name', 'Nome'),
    column('email', 'text', 'Email', 'E-mail'),
    column('profile', 'text', 'Profile', 'Perfil'),
    column('createdAt', 'datetime', 'Created At', 'Criado Em'),
    column('queues', 'text', 'Queues', 'Filas'),
  ],
  reads: ['user', 'activity', 'ticket', 'message'],
  filters: [MONTH_FILTER, MONTH_OR_PERIOD],
  // An agent's events, tickets and messages go by agent; a person's records by their id (the
  // `user` kind's `agent` key): each licensee's row comes from one part.
  partition: 'agent',
  readWindow: monthWindow,

  compute(records: Iterable<AnyRecord>, params: ReportParams) {
    const window = monthWindow(params);
    const end = Math.min(window.to ?? Number.POSITIVE_INFINITY, params.now + 1);
    const people = new Map<string, Licensee>();
    const agentQueues = new Map<string, Set<string>>();
    const seen = new Set<string>();
    const person = (id: string, profile: Profile): Licensee => {
      let found = people.get(id);
      if (!found) {
        found = {
          id,
          profile,
          name: null,
          email: null,
          createdAt: null,
          seenAt: Number.NEGATIVE_INFINITY,
          active: false,
          queues: new Set(),
        };
        people.set(id, found);
      }
      return found;
    };
    for (const record of records) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      const at = parseInstant(record.at);
      if (at >= end) continue;
      if (record.type === 'user') {
        const role = record.role as Profile;
        const user = person(`user:${record.userId}`, role);
        // The person as they were last seen before the month's end.
        if (at >= user.seenAt) {
          user.seenAt = at;
          user.profile = role;
          user.email = record.email;
          user.name = record.name ?? record.email;
        }
        user.createdAt = parseInstant(record.createdAt);
        if (USING.has(record.event) && inWindow(window, at)) user.active = true;
      } else if (record.type === 'ticket' || record.type === 'message') {
        if (record.agentId === undefined || record.queue === undefined || !inWindow(window, at)) continue;
        const queues = agentQueues.get(record.agentId) ?? new Set<string>();
        queues.add(record.queue);
        agentQueues.set(record.agentId, queues);
      } else if (ACTIVITY_TYPES.has(record.type)) {
        if (!inWindow(window, at)) continue;
        const event = record as ActivityEvent;
        const agent = person(`agent:${event.agentId}`, 'user');
        agent.active = true;
        if (at >= agent.seenAt) {
          agent.seenAt = at;
          agent.name = event.agentName;
        }
        // Agents are not created in Pontual: their first activity of the month stands in.
        agent.createdAt = agent.createdAt === null ? at : Math.min(agent.createdAt, at);
      }
    }
    const rows: Row[] = [];
    for (const [key, licensee] of people) {
      if (!licensee.active) continue;
      const id = key.slice(key.indexOf(':') + 1);
      const queues = key.startsWith('agent:') ? (agentQueues.get(id) ?? new Set<string>()) : licensee.queues;
      rows.push([
        id,
        licensee.name,
        licensee.email,
        PROFILE_LABEL[licensee.profile][params.locale],
        licensee.createdAt,
        [...queues].sort(compareCells).join(QUEUE_SEPARATOR) || null,
      ]);
    }
    return { columns: licenses.columns, rows: rows.sort(licenses.compareRows) };
  },

  // By name, then id: one person per row, in the order a reader looks them up.
  compareRows: rowOrder(NAME, ID),
};
