import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import type { BusinessNumberRecord } from '../records/business-number.ts';
import type { AnyRecord } from '../records/registry.ts';
import { numbers } from './numbers.ts';
import { validateRequest } from './params.ts';
import type { ReportResult } from './types.ts';

const TZ = 'America/Sao_Paulo';
const NOW = '2026-03-10T15:00:00Z';

const number = (
  phoneNumberId: string,
  displayNumber: string,
  at: string,
  fields: Partial<BusinessNumberRecord> = {},
): AnyRecord => ({
  id: `business_number.${phoneNumberId}.${displayNumber}`,
  type: 'business_number',
  at,
  phoneNumberId,
  displayNumber,
  wabaId: 'waba-1',
  integrationId: 'i-1',
  firstSeenAt: at,
  ...fields,
});
const message = (id: string, business: string, at: string, fields: object = {}): AnyRecord =>
  ({
    id,
    type: 'message',
    at,
    messageId: id,
    channel: 'whatsapp',
    direction: 'MO',
    contact: '5511987654321',
    business,
    contentType: 'text',
    ...fields,
  }) as AnyRecord;

function params(month: string, locale: Locale = 'en') {
  const checked = validateRequest(numbers, { timeZone: TZ, locale, asOf: NOW, options: { month } });
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}
function show(result: ReportResult, locale: Locale = 'en') {
  const fmt = new CellFormatter(locale, TZ);
  return result.rows.map((row) => row.map((cell, i) => fmt.format(numbers.columns[i]!.type, cell ?? null)));
}

const RECORDS: AnyRecord[] = [
  // Seen in January; its display number changed in March (traffic names it by either).
  number('p-1', '551133334444', '2026-01-10T12:00:00Z'),
  number('p-1', '551133335555', '2026-03-02T12:00:00Z', { firstSeenAt: '2026-01-10T12:00:00Z' }),
  // Seen in February, quiet in March.
  number('p-2', '551144445555', '2026-02-05T12:00:00Z', { wabaId: 'waba-2' }),
  // Seen after "now": not yet the account's.
  number('p-3', '551155556666', '2026-03-20T12:00:00Z'),
  message('m-1', '551133334444', '2026-03-03T12:00:00Z'),
  message('m-2', '551144445555', '2026-02-06T12:00:00Z'),
  // A status from the webhook names the number by its id only.
  {
    id: 's-1',
    type: 'message_status',
    at: '2026-01-20T12:00:00Z',
    messageId: 'x',
    status: 'read',
    phoneNumberId: 'p-1',
  } as AnyRecord,
];

describe('numbers (DESIGN §11)', () => {
  it('lists the numbers known by the month’s end, active when traffic went through them in it', () => {
    expect(show(numbers.compute(RECORDS, params('current')))).toEqual([
      ['waba-1', '551133335555', 'p-1', '2026-01-10', 'Active'],
      ['waba-2', '551144445555', 'p-2', '2026-02-05', 'Inactive'],
    ]);
    expect(show(numbers.compute(RECORDS, params('previous')))).toEqual([
      // Its display number as it was at February's end.
      ['waba-1', '551133334444', 'p-1', '2026-01-10', 'Inactive'],
      ['waba-2', '551144445555', 'p-2', '2026-02-05', 'Active'],
    ]);
    expect(show(numbers.compute(RECORDS, params('two-months-ago', 'pt-BR')), 'pt-BR')).toEqual([
      ['waba-1', '551133334444', 'p-1', '10/01/2026', 'Ativo'],
    ]);
  });

  it('combines parts split by contact: a number active in any part is active', () => {
    const references = RECORDS.filter((record) => record.type === 'business_number');
    const run = params('current');
    const parts = [
      numbers.compute([...references, RECORDS[4]!], run),
      numbers.compute([...references, RECORDS[5]!], run),
    ];
    expect(numbers.combine!(parts, run)).toEqual(numbers.compute(RECORDS, run));
  });
});
