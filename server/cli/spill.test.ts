import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import { activity } from '../../shared/reports/activity.ts';
import { validateRequest } from '../../shared/reports/params.ts';
import type { ReportDefinition, ReportResult } from '../../shared/reports/types.ts';
import { scenarioEvents } from '../../shared/testing/scenario.ts';
import { EventSpool, partitionsOf } from './spill.ts';

const TZ = 'UTC';

function day(agentId: string, agentName: string): ActivityEvent[] {
  return scenarioEvents(
    [
      ['08:00:00', 'login', 'page_load'],
      ['10:00:00', 'break', 'Coffee'],
      ['10:10:00', 'available'],
      ['17:00:00', 'logout'],
    ],
    { timeZone: TZ, date: '2026-03-10', agentId, agentName },
  );
}
const events = Array.from({ length: 20 }, (_, index) => day(`agent-${index}`, `Agent ${index}`)).flat();

function params(report: ReportDefinition) {
  const checked = validateRequest(report, { timeZone: TZ, locale: 'en', asOf: '2026-03-11' });
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}

function runSpool(report: ReportDefinition, memoryEvents: number) {
  const spool = new EventSpool(report, memoryEvents);
  try {
    spool.add(events);
    const result = spool.result(params(report));
    return { spilled: spool.spilled, columns: result.columns, rows: [...result.rows] };
  } finally {
    spool.dispose();
  }
}

/** A report of mergeable totals: events per type over everyone, whatever the split. */
const totals: ReportDefinition = {
  ...activity,
  id: 'event-totals',
  columns: [
    { key: 'type', type: 'text', label: { en: 'Type', 'pt-BR': 'Tipo' } },
    { key: 'count', type: 'integer', label: { en: 'Count', 'pt-BR': 'Quantidade' } },
  ],
  partition: 'totals',
  compute(input) {
    const counts = new Map<string, number>();
    for (const event of input) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    return { columns: totals.columns, rows: [...counts].sort().map(([type, count]) => [type, count]) };
  },
  combine(parts: readonly ReportResult[]) {
    const counts = new Map<string, number>();
    for (const part of parts)
      for (const [type, count] of part.rows)
        counts.set(String(type), (counts.get(String(type)) ?? 0) + Number(count));
    return { columns: totals.columns, rows: [...counts].sort().map(([type, count]) => [type, count]) };
  },
};

describe('the spill partitions as the report declares', () => {
  it('by agent: one agent’s records share a partition; a kind without the key goes to every part', () => {
    const [first, second] = day('ana', 'Ana');
    expect(partitionsOf('agent', first!)).toBe(partitionsOf('agent', second!));
    expect(partitionsOf('agent', first!)).toBeTypeOf('number');
    // Activity events carry no contact: for a report by contact they are reference data.
    expect(partitionsOf('contact', first!)).toBe('all');
    // Totals split by the record's own id.
    expect(partitionsOf('totals', first!)).not.toBe('all');
  });

  it('by agent: spilled and in-memory runs give the same rows', () => {
    const inMemory = runSpool(activity, 1_000_000);
    const spilled = runSpool(activity, 10);
    expect(inMemory.spilled).toBe(false);
    expect(spilled.spilled).toBe(true);
    expect(spilled.rows).toEqual(inMemory.rows);
    expect(spilled.rows).toHaveLength(20 * 3);
  });

  it('by totals: every partition computed alone, then combined by the report', () => {
    const inMemory = runSpool(totals, 1_000_000);
    const spilled = runSpool(totals, 10);
    expect(spilled.spilled).toBe(true);
    expect(inMemory.rows).toEqual([
      ['login', 20],
      ['logout', 20],
      ['status', 40],
    ]);
    expect(spilled.rows).toEqual(inMemory.rows);
    // Without combine, a totals report cannot be spilled: the conformance test refuses it too.
    expect(() => runSpool({ ...totals, combine: undefined }, 10)).toThrow(
      'the event-totals report partitions by totals but has no combine()',
    );
  });
});
