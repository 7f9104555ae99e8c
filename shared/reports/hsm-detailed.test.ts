import { describe, expect, it } from 'vitest';
import { CellFormatter } from '../format/cells.ts';
import type { AnyRecord } from '../records/registry.ts';
import { mo, mt, status } from '../testing/messaging.ts';
import { hsmDetailed } from './hsm-detailed.ts';
import { validateRequest } from './params.ts';

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
// 2026-03-10 09:00 in São Paulo.
const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);

function run(records: AnyRecord[], locale: 'en' | 'pt-BR' = 'en') {
  const checked = validateRequest(hsmDetailed, {
    timeZone: TZ,
    locale,
    from: '2026-03-10',
    to: '2026-03-11',
  });
  if (!checked.ok) throw new Error(checked.error);
  const fmt = new CellFormatter(locale, TZ);
  return hsmDetailed
    .compute(records, checked.params)
    .rows.map((row) => row.map((cell, i) => fmt.cell(hsmDetailed.columns[i]!, cell ?? null)));
}

describe('hsm-detailed (DESIGN §10)', () => {
  it('lists the templates agents sent in the period with their status and reply', () => {
    const answered = mt(T0, {
      text: 'Olá Ana',
      templateId: 't-1',
      templateName: 'boas_vindas',
      document: '123.456.789-09',
    });
    const silent = mt(T0 + HOUR, {
      contact: '5511900000000',
      templateId: 't-1',
      templateName: 'boas_vindas',
    });
    const broadcast = mt(T0, { origin: 'broadcast' });
    const text = mt(T0, { contentType: 'text' });
    const before = mt(T0 - 10 * HOUR);
    const rows = run([
      status(answered.messageId, T0 + 60_000, 'read'),
      answered,
      silent,
      status(silent.messageId, T0 + HOUR + 1000, 'invalid_session'),
      broadcast,
      text,
      before,
      mo(T0 + 2 * HOUR),
    ]);
    expect(rows).toEqual([
      [
        '5511987654321',
        '123.456.789-09',
        '2026-03-10 09:00:00',
        'Read',
        '2026-03-10 09:01:00',
        'Olá Ana',
        't-1',
        'boas_vindas',
        'Yes',
      ],
      [
        '5511900000000',
        '',
        '2026-03-10 10:00:00',
        'Invalid session',
        '2026-03-10 10:00:01',
        '',
        't-1',
        'boas_vindas',
        'No',
      ],
    ]);
  });

  it('speaks Portuguese', () => {
    const sent = mt(T0);
    expect(run([sent], 'pt-BR')).toEqual([
      ['5511987654321', '', '10/03/2026 09:00:00', 'Aceita', '', '', '', '', 'Não'],
    ]);
  });

  it('keeps the period in the report zone: 00:00 local is in, 00:00 of the next day is out', () => {
    const first = mt(Date.UTC(2026, 2, 10, 3, 0, 0));
    const next = mt(Date.UTC(2026, 2, 11, 3, 0, 0));
    const lastUtcDay = mt(Date.UTC(2026, 2, 10, 2, 59, 59));
    expect(run([first, next, lastUtcDay]).map((row) => row[2])).toEqual(['2026-03-10 00:00:00']);
  });
});
