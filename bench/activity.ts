import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { activity } from '../shared/reports/activity.ts';
import { againstFloors, medianRun, parseFloors } from './cli-floor.ts';
import { generateCount, generateEvents } from './generate.ts';
import { cliBundle, fmt, medianMs } from './measure.ts';

/** The engine's figure: events of 100 agents with a heartbeat a minute. */
const EVENTS = 1_000_000;
/**
 * The CLI's figure at issue 11's shape: 300k events from 500 agents in about 11k sessions, about
 * 210k rows. Agents' days of eight breaks, each going through four reasons back to back, and a
 * heartbeat an hour give it (11,585 sessions, 213k rows): the generator's default day (a few breaks,
 * a heartbeat a minute) has far fewer rows per event than the data.
 */
const CLI_EVENTS = 300_000;
const CLI_DAY = { agents: 500, days: 1_000, heartbeatMinutes: 60, breaks: 8, reasonsPerBreak: 4 };

/** The CLI's input: the first `CLI_EVENTS` events of 500 agents' days. */
function cliEvents(): ActivityEvent[] {
  const events: ActivityEvent[] = [];
  for (const event of generateEvents(CLI_DAY)) {
    if (events.length >= CLI_EVENTS) break;
    events.push(event);
  }
  return events;
}

async function writeEventsFile(file: string, events: readonly ActivityEvent[]): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < events.length; i += 10_000) {
    const chunk = `${events
      .slice(i, i + 10_000)
      .map((event) => JSON.stringify(event))
      .join('\n')}\n`;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Issue 11's figure for the Activity report through the CLI (300k events of 500 agents, ≤ 2× the
 * read + JSON.parse floor, by wall and CPU time), and issue 2's for the engine over 1M events.
 */
export async function benchActivity(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'events-300k.jsonl');
  const params = {
    timeZone: 'America/Sao_Paulo',
    locale: 'en' as const,
    now: Date.UTC(2026, 5, 1),
    splitDays: false,
  };
  let shape: string;
  {
    const input = cliEvents();
    const sessions = new Set(input.map((event) => event.sessionId)).size;
    shape = `${fmt(input.length)} events, ${CLI_DAY.agents} agents, ${fmt(sessions)} sessions, ${fmt(activity.compute(input, params).rows.length)} rows`;
    // The file first, and the CLI measured while this process holds no events: two cores are shared.
    await writeEventsFile(file, input);
  }
  const sizeMb = statSync(file).size / 1024 / 1024;
  const floors = await parseFloors(file);
  const cli = await medianRun([
    cliBundle(),
    ...['report', 'activity', '--input', file, '--out', join(outDir, 'activity-300k.csv')],
    ...['--tz', 'America/Sao_Paulo', '--as-of', '2026-06-01'],
  ]);
  console.log(
    `activity through the CLI, ${shape}, ${fmt(sizeMb)} MB JSONL → CSV: ${fmt(cli.ms)} ms wall, ${fmt(cli.cpuMs)} ms CPU, ` +
      `peak RSS ${fmt(cli.peakRssMb)} MB; ${againstFloors(cli, floors)}   target ≤ 2×`,
  );

  const events = generateCount(EVENTS);
  let rows = 0;
  const engine = medianMs(() => {
    rows = activity.compute(events, params).rows.length;
  });
  console.log(
    `activity engine, ${fmt(EVENTS)} events → ${fmt(rows)} rows: ${fmt((EVENTS / engine.medianMs) * 1000)} events/s ` +
      `(median of 5, ${fmt(engine.medianMs)} ms; first, cold run ${fmt(engine.firstMs)} ms)   target ≥ 2,000,000`,
  );
}
