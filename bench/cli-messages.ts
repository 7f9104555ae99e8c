import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { againstFloors, medianRun, parseFloors } from './cli-floor.ts';
import { generateMessaging } from './generate-messaging.ts';
import { writeJsonLines } from './jsonl-file.ts';
import { cliBundle, fmt } from './measure.ts';

const MESSAGES = 300_000;
/** The issue's 1M records: the 300k messages' records, cut at this many. */
const RECORDS = 1_000_000;

function writeRecordsFile(file: string): Promise<number> {
  return writeJsonLines(
    file,
    generateMessaging({ messages: MESSAGES, days: 30, seed: 3, contacts: 100_000 }),
    RECORDS,
  );
}

/**
 * Issue 11's figure: `broadcast-detailed` through the CLI over 1M records (300k messages, their
 * statuses, replies, tickets), against reading and JSON.parse-ing the same file.
 */
export async function benchCliMessages(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'messaging-1m.jsonl');
  const records = await writeRecordsFile(file);
  const sizeMb = statSync(file).size / 1024 / 1024;
  const floors = await parseFloors(file);
  const cli = await medianRun([
    cliBundle(),
    ...['report', 'broadcast-detailed', '--input', file, '--out', join(outDir, 'broadcast-detailed-1m.csv')],
    ...['--tz', 'America/Sao_Paulo', '--from', '2026-03-02', '--to', '2026-04-01'],
  ]);
  console.log(
    `broadcast-detailed through the CLI, ${fmt(records)} records (${fmt(MESSAGES)} messages), ${fmt(sizeMb)} MB JSONL → CSV: ` +
      `${fmt(cli.ms)} ms wall, ${fmt(cli.cpuMs)} ms CPU, peak RSS ${fmt(cli.peakRssMb)} MB; ${againstFloors(cli, floors)}   target ≤ 2.5×`,
  );
}
