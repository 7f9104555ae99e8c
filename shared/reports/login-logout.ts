import { groupByAgent, latestAgentName } from '../activity/timeline.ts';
import type { ActivityEvent } from '../events/schema.ts';
import { AGENTS_FILTER, DEVICE_TIME_FILTER, periodFilter } from './filter-schema.ts';
import { causeCell, causeColumn } from './login-cause.ts';
import { rowOrder } from './order.ts';
import { inPeriod, timelineOptions } from './params.ts';
import type { ReportDefinition, Row } from './types.ts';

const DATE_TIME = 3;

/** The platform's Login/Logout report: one row per login or logout event, in time order. */
export const loginLogout: ReportDefinition<ActivityEvent> = {
  id: 'login-logout',
  category: 'agent-activity',
  title: { en: 'Login/Logout', 'pt-BR': 'Login/Logout' },
  description: {
    en: 'One row per login or logout of each agent, with its time and IP.',
    'pt-BR': 'Uma linha por login ou logout de cada agente, com horário e IP.',
  },
  columns: [
    { key: 'userId', type: 'text', label: { en: 'User ID', 'pt-BR': 'ID do Usuário' } },
    { key: 'name', type: 'text', label: { en: 'Name', 'pt-BR': 'Nome' } },
    { key: 'action', type: 'text', label: { en: 'Action', 'pt-BR': 'Ação' } },
    { key: 'dateTime', type: 'datetime', label: { en: 'Date/Time', 'pt-BR': 'Data/Hora' } },
    { key: 'ip', type: 'text', label: { en: 'IP', 'pt-BR': 'IP' } },
    causeColumn(false),
  ],
  reads: ['activity'],
  filters: [periodFilter(31), AGENTS_FILTER, DEVICE_TIME_FILTER],
  partition: 'agent',

  compute(events, params) {
    const rows: Row[] = [];
    for (const [agentId, ordered] of groupByAgent(events, timelineOptions(params))) {
      const name = latestAgentName(agentId, ordered);
      for (const { ms, event } of ordered) {
        if ((event.type !== 'login' && event.type !== 'logout') || !inPeriod(params, ms)) continue;
        const cause = event.type === 'login' ? causeCell(event.cause, params.locale) : null;
        rows.push([agentId, name, event.type === 'login' ? 'Login' : 'Logout', ms, event.ip ?? null, cause]);
      }
    }
    return { columns: loginLogout.columns, rows: rows.sort(loginLogout.compareRows) };
  },

  compareRows: rowOrder(DATE_TIME),
};
