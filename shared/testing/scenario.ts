import type { ActivityEvent, LoginCause } from '../events/schema.ts';
import { ZoneClock } from '../time/zone.ts';

/** One step of an agent's day, at a local wall-clock time `HH:MM:SS`. */
export type Step =
  | [time: string, 'login', cause: LoginCause]
  | [time: string, 'break', reason?: string]
  | [time: string, 'available']
  | [time: string, 'logout']
  | [time: string, 'heartbeat'];

export interface ScenarioOptions {
  timeZone: string;
  /** Local date `YYYY-MM-DD` the times are on. */
  date: string;
  agentId?: string;
  agentName?: string;
  ip?: string;
  sessionId?: string;
}

/** Events for a day written as the DESIGN examples are: local times and what happened. */
export function scenarioEvents(steps: Step[], options: ScenarioOptions): ActivityEvent[] {
  const clock = new ZoneClock(options.timeZone);
  const [year, month, day] = options.date.split('-').map(Number) as [number, number, number];
  const agentId = options.agentId ?? 'fabio.rocha';
  return steps.map((step, index): ActivityEvent => {
    const [hour, minute, second] = step[0].split(':').map(Number) as [number, number, number];
    const at = new Date(clock.instantOf(year, month, day, hour, minute, second)).toISOString();
    const common = {
      id: `${agentId}-${index}`,
      at,
      agentId,
      agentName: options.agentName ?? 'Fabio Rocha',
      seq: index,
      ...(options.ip === undefined ? {} : { ip: options.ip }),
      ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    };
    if (step[1] === 'login') return { ...common, type: 'login', cause: step[2] };
    if (step[1] === 'break') {
      return {
        ...common,
        type: 'status',
        status: 'break',
        ...(step[2] === undefined ? {} : { reason: step[2] }),
      };
    }
    if (step[1] === 'available') return { ...common, type: 'status', status: 'available' };
    return { ...common, type: step[1] };
  });
}
