import { type ActivityEvent, EVENT_TYPES, validateEvent } from '../events/schema.ts';
import type { RecordKind } from './kind.ts';

/** The agents' activity events the extension captures (DESIGN §3). */
export const activityKind: RecordKind<ActivityEvent> = {
  name: 'activity',
  label: { en: 'Agent activity', 'pt-BR': 'Atividade dos agentes' },
  types: EVENT_TYPES,
  validate: (value, options) => {
    const result = validateEvent(value, options);
    return result.ok ? { ok: true, record: result.event } : result;
  },
  keys: { agent: (event) => event.agentId },
  // Long enough for a year's comparisons and the licenses of two months ago.
  keepLocallyDays: 400,
};
