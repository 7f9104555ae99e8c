import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyRecord } from '../records/registry.ts';
import { MESSAGE_STATUS_CATALOG } from '../records/status-catalog.ts';
import { mo, mt, status } from '../testing/messaging.ts';
import { hsmConsolidated } from './hsm-consolidated.ts';
import { hsmDetailed } from './hsm-detailed.ts';
import { validateRequest } from './params.ts';
import type { ReportDefinition } from './types.ts';

const TZ = 'America/Sao_Paulo';
const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const HOUR = 3_600_000;

function params(report: ReportDefinition) {
  const checked = validateRequest(report, {
    timeZone: TZ,
    locale: 'en',
    from: '2026-03-10',
    to: '2026-03-12',
  });
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}

describe('hsm-consolidated (DESIGN §10)', () => {
  it('counts by the catalog groups, with the period’s first and last day', () => {
    const a = mt(T0);
    const b = mt(T0 + HOUR, { contact: '5511900000001' });
    const c = mt(T0 + 2 * HOUR, { contact: '5511900000002' });
    const d = mt(T0 + 3 * HOUR, { contact: '5511900000003' });
    const records = [
      a,
      status(a.messageId, T0 + 1, 'read'),
      b,
      status(b.messageId, T0 + HOUR + 1, 'delivered'),
      c,
      status(c.messageId, T0 + 2 * HOUR + 1, 'opt_out'),
      d,
      mo(T0 + 30 * 60_000),
    ];
    const p = params(hsmConsolidated);
    const [row] = hsmConsolidated.compute(records, p).rows;
    expect(row).toEqual([p.from, p.to! - 1, 4, 1, 2, 2, 1, 0, 1]);
  });

  it('equals the aggregation of the detailed rows, and its parts split by contact add up', () => {
    const values = MESSAGE_STATUS_CATALOG.map((entry) => entry.value);
    const spec = fc.record({
      contact: fc.constantFrom('5511900000001', '5511900000002', '5511900000003'),
      at: fc.integer({ min: 0, max: 40 }),
      kind: fc.constantFrom('mt', 'mo', 'status'),
      value: fc.constantFrom(...values),
      target: fc.nat(9),
    });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 30 }), (specs) => {
        const records: AnyRecord[] = specs.map((s, i) => {
          const at = T0 + s.at * HOUR;
          if (s.kind === 'mt')
            return { ...mt(at, { contact: s.contact }), messageId: `w-${i % 10}`, id: `r-${i}` };
          if (s.kind === 'mo') return { ...mo(at, { contact: s.contact }), id: `r-${i}` };
          return { ...status(`w-${s.target}`, at, s.value), id: `r-${i}` };
        });
        const detailed = hsmDetailed.compute(records, params(hsmDetailed)).rows;
        const [row] = hsmConsolidated.compute(records, params(hsmConsolidated)).rows;
        const labels = (group: string) =>
          MESSAGE_STATUS_CATALOG.filter((entry) => (entry.groups as readonly string[]).includes(group)).map(
            (e) => e.label.en,
          );
        const count = (group: string) => detailed.filter((r) => labels(group).includes(String(r[3]))).length;
        expect(row!.slice(2)).toEqual([
          detailed.length,
          count('read'),
          count('sent'),
          count('delivered'),
          count('blocked'),
          count('failed'),
          detailed.filter((r) => r[8] === 'Yes').length,
        ]);
        // Split by contact, computed apart and combined: the same row.
        const byContact = new Map<string, AnyRecord[]>();
        const contactOf = new Map(
          records.filter((r) => r.type === 'message').map((r) => [r.messageId, r.contact]),
        );
        for (const record of records) {
          const key =
            record.type === 'message'
              ? record.contact
              : (contactOf.get((record as { messageId: string }).messageId) ?? '');
          byContact.set(key, [...(byContact.get(key) ?? []), record]);
        }
        const parts = [...byContact.values()].map((part) =>
          hsmConsolidated.compute(part, params(hsmConsolidated)),
        );
        expect(hsmConsolidated.combine!(parts, params(hsmConsolidated)).rows).toEqual([row]);
      }),
    );
  });
});
