import type { ActivityEvent } from '../events/schema.ts';

/** An event with its instant parsed (epoch ms) and its `seq` (-1 when it has none). */
export interface TimedEvent {
  ms: number;
  seq: number;
  event: ActivityEvent;
}

/** DESIGN §4's order: `at`, then `seq`, then `id`. */
export function compareTimed(a: TimedEvent, b: TimedEvent): number {
  if (a.ms !== b.ms) return a.ms - b.ms;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0;
}
