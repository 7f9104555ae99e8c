import type { ActivityEvent, LoginCause } from '../shared/events/schema.ts';

/**
 * A seeded generator of realistic agent days: a morning login, a heartbeat a minute, token
 * renewals every two hours, two to four breaks with reasons, the odd F5, network drop and "use
 * here", and a logout in the evening (sometimes forgotten). The same seed gives the same events.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REASONS = ['Lunch', 'Training', 'Meeting', 'Coffee', 'Feedback'];
const FIRST_NAMES = [
  'Ana',
  'Bruno',
  'Carla',
  'Diego',
  'Elisa',
  'Fabio',
  'Gabriela',
  'Hugo',
  'Isabela',
  'João',
];
const LAST_NAMES = [
  'Rocha',
  'Silva',
  'Souza',
  'Oliveira',
  'Lima',
  'Conceição',
  'Almeida',
  'Costa',
  'Pereira',
];

/** mulberry32: tiny, fast and good enough for test data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface GeneratorOptions {
  agents: number;
  days: number;
  seed?: number;
  /** First day, UTC midnight, epoch ms. */
  start?: number;
  /** Minutes between heartbeats while logged in; 1 when not given, as the extension sends them. */
  heartbeatMinutes?: number;
  /** Breaks a day; two to four when not given. */
  breaks?: number;
  /**
   * Reasons each break goes through back to back (`Lunch`, then `Meeting`…) before the agent is
   * available again; 1 when not given. Each reason is a row of its own (rule 2).
   */
  reasonsPerBreak?: number;
}

export function* generateEvents(options: GeneratorOptions): Generator<ActivityEvent> {
  const rand = random(options.seed ?? 1);
  const start = options.start ?? Date.UTC(2026, 2, 2);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const agents = Array.from({ length: options.agents }, (_, index) => ({
    id: `agent.${index}`,
    name: `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)} ${index}`,
    ip: `10.${index >> 8}.${index & 255}.${1 + Math.floor(rand() * 250)}`,
  }));
  let counter = 0;
  for (let day = 0; day < options.days; day++) {
    for (const agent of agents) {
      const events: { at: number; type: string; extra?: Record<string, unknown>; session: string }[] = [];
      let session = `${agent.id}-${day}-0`;
      let sessionCount = 0;
      const login = (at: number, cause: LoginCause) => {
        if (cause !== 'token_renewal') session = `${agent.id}-${day}-${++sessionCount}`;
        events.push({ at, type: 'login', extra: { cause }, session });
      };
      // Shift 08:00–17:00 in São Paulo (UTC-3), give or take.
      const shiftStart = start + day * 24 * HOUR + 11 * HOUR + Math.floor(rand() * 40 * MINUTE);
      const shiftEnd = shiftStart + 9 * HOUR + Math.floor(rand() * 30 * MINUTE);
      login(shiftStart, 'page_load');
      const breaks = options.breaks ?? 2 + Math.floor(rand() * 3);
      const room = (shiftEnd - shiftStart) / (breaks + 1);
      const happenings: { at: number; run: () => void }[] = [];
      for (let i = 0; i < breaks; i++) {
        const at = shiftStart + Math.floor(((i + 1) * (shiftEnd - shiftStart)) / (breaks + 1));
        // Many breaks a day are shorter, so that one ends before the next.
        const length = Math.min((5 + Math.floor(rand() * 55)) * MINUTE, Math.floor(0.8 * room));
        const reasons = options.reasonsPerBreak ?? 1;
        let reason = pick(REASONS);
        for (let r = 0; r < reasons; r++) {
          // The next reason is another one: the same again would change nothing.
          if (r > 0)
            reason =
              REASONS[
                (REASONS.indexOf(reason) + 1 + Math.floor(rand() * (REASONS.length - 1))) % REASONS.length
              ]!;
          const from = at + Math.floor((r * length) / reasons);
          const said = reason;
          happenings.push({
            at: from,
            run: () =>
              events.push({ at: from, type: 'status', extra: { status: 'break', reason: said }, session }),
          });
        }
        happenings.push({
          at: at + length,
          run: () =>
            events.push({ at: at + length, type: 'status', extra: { status: 'available' }, session }),
        });
      }
      for (let at = shiftStart + 2 * HOUR; at < shiftEnd; at += 2 * HOUR) {
        happenings.push({ at, run: () => login(at, 'token_renewal') });
      }
      for (const cause of ['refresh', 'reconnect', 'use_here', 'network_change'] as const) {
        if (rand() < 0.3) {
          const at = shiftStart + Math.floor(rand() * (shiftEnd - shiftStart));
          happenings.push({ at, run: () => login(at, cause) });
        }
      }
      happenings.sort((a, b) => a.at - b.at);
      let next = 0;
      const heartbeat = (options.heartbeatMinutes ?? 1) * MINUTE;
      for (let at = shiftStart + heartbeat; at < shiftEnd; at += heartbeat) {
        while (next < happenings.length && happenings[next]!.at <= at) happenings[next++]!.run();
        events.push({ at, type: 'heartbeat', session });
      }
      while (next < happenings.length) happenings[next++]!.run();
      if (rand() < 0.95) events.push({ at: shiftEnd, type: 'logout', session });

      for (const event of events) {
        counter++;
        yield {
          id: `${counter.toString(16).padStart(12, '0')}-${agent.id}`,
          type: event.type,
          at: new Date(event.at).toISOString(),
          agentId: agent.id,
          agentName: agent.name,
          ip: agent.ip,
          sessionId: event.session,
          deviceId: `device-${agent.id}`,
          seq: counter,
          ...event.extra,
        } as ActivityEvent;
      }
    }
  }
}

/** The first `count` events of enough generated days (with 100 agents). */
export function generateCount(count: number, seed = 1): ActivityEvent[] {
  const events: ActivityEvent[] = [];
  for (const event of generateEvents({ agents: 100, days: 1_000, seed })) {
    if (events.length >= count) break;
    events.push(event);
  }
  return events;
}
