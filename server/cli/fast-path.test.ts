import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyRecord } from '../../shared/records/registry.ts';
import { activity } from '../../shared/reports/activity.ts';
import { validateRequest } from '../../shared/reports/params.ts';
import type { ReportDefinition } from '../../shared/reports/types.ts';
import { scenarioEvents } from '../../shared/testing/scenario.ts';
import { computeWhileReading } from './report-command.ts';
import { EventSpool } from './spill.ts';
import { UserError } from './user-error.ts';

const TZ = 'UTC';
const dir = mkdtempSync(join(tmpdir(), 'pontual-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const events = scenarioEvents(
  [
    ['08:00:00', 'login', 'page_load'],
    ['10:00:00', 'break', 'Coffee'],
    ['10:10:00', 'available'],
    ['17:00:00', 'logout'],
  ],
  { timeZone: TZ, date: '2026-03-10' },
);
const file = join(dir, 'day.jsonl');
writeFileSync(file, `${events.map((event) => JSON.stringify(event)).join('\n')}\n`);

function params(report: ReportDefinition) {
  const checked = validateRequest(report, { timeZone: TZ, locale: 'en', asOf: '2026-03-11' });
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}

function run(report: ReportDefinition, path: string, memoryEvents = 1_000, skipInvalid = false) {
  const spool = new EventSpool(report, memoryEvents);
  try {
    return computeWhileReading(path, 'day.jsonl', skipInvalid, spool, memoryEvents, params(report));
  } finally {
    spool.dispose();
  }
}

describe('the CLI fast path: compute while reading', () => {
  it('gives the rows computed from the records held', () => {
    const fast = run(activity, file);
    expect(fast?.skipped).toEqual([]);
    expect([...(fast?.result.rows ?? [])]).toEqual([...activity.compute(events, params(activity)).rows]);
  });

  it('gives up, for the spool to read the file again, when it holds too many records', () => {
    expect(run(activity, file, events.length)).toBeUndefined();
    expect(run(activity, file, events.length + 1)).toBeDefined();
  });

  it('gives up when the report reads its input twice', () => {
    const twice: ReportDefinition = {
      ...activity,
      compute(records: Iterable<AnyRecord>, runParams) {
        const all = [...records];
        return activity.compute([...records, ...all] as never, runParams);
      },
    };
    expect(run(twice, file)).toBeUndefined();
  });

  it('names the file, the line and the field of a bad line; or skips it when asked', () => {
    const bad = join(dir, 'bad.jsonl');
    const lines = events.map((event) => JSON.stringify(event));
    lines[2] = JSON.stringify({ ...events[2], at: 'yesterday' });
    writeFileSync(bad, `${lines.join('\n')}\n`);
    expect(() => run(activity, bad)).toThrow(UserError);
    expect(() => run(activity, bad)).toThrow(/^day\.jsonl:3: at: /);
    expect(run(activity, bad, 1_000, true)?.skipped.map((line) => line.line)).toEqual([3]);
    expect(() => run(activity, join(dir, 'none.jsonl'))).toThrow('cannot read day.jsonl: no such file');
  });
});
