import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { chatDay, manyChats } from '../../shared/testing/chat.ts';
import { pontual } from '../testing/cli.ts';

// The chat export from the command line (docs/reports.md), and the spill keeping each contact's
// records together (`partition: 'contact'`) so a tiny memory budget gives the same file.

const dir = mkdtempSync(join(tmpdir(), 'pontual-chat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = (name: string) => join(dir, name);
const write = (name: string, records: readonly object[]) =>
  writeFileSync(path(name), `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
const period = ['--tz', 'America/Sao_Paulo', '--from', '2026-03-10', '--to', '2026-03-11'];
const sha = (name: string) =>
  createHash('sha256')
    .update(readFileSync(path(name)))
    .digest('hex');
const REPORTS = [
  'chat-conversations',
  'chat-users',
  'chat-summary',
  'chat-conversations-per-hour',
  'chat-engagement',
];

describe('pontual report, chat export', () => {
  it('runs each report over a JSON Lines file', async () => {
    write('day.jsonl', chatDay());
    const summary = await pontual([
      'report',
      'chat-summary',
      '--input',
      path('day.jsonl'),
      ...period,
      '--locale',
      'pt-BR',
    ]);
    expect(summary.stderr).toBe('');
    expect(summary.code).toBe(0);
    expect(parse(summary.stdout, { delimiter: ';', bom: true })).toEqual([
      ['Data', 'Número do WhatsApp', 'Fila', 'Contatos', 'Conversas', 'Mensagens'],
      ['10/03/2026', '551133334444', 'Billing', '1', '2', '7'],
      ['10/03/2026', '551133334444', 'Support', '1', '3', '3'],
      ['10/03/2026', '551133334444', '', '2', '4', '6'],
      ['10/03/2026', '551144445555', '', '1', '1', '2'],
    ]);
    const hours = await pontual([
      'report',
      'chat-conversations-per-hour',
      '--input',
      path('day.jsonl'),
      ...period,
    ]);
    expect(hours.code).toBe(0);
    expect(parse(hours.stdout, { delimiter: ';', bom: true })).toHaveLength(25);
  });

  it('refuses a run without a period, in the report’s language', async () => {
    const run = await pontual([
      'report',
      'chat-engagement',
      '--input',
      path('day.jsonl'),
      '--locale',
      'pt-BR',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'pontual: o relatório chat-engagement precisa de um período: informe --from e --to',
    );
  });

  it('spilling to disk by contact gives byte-identical files', async () => {
    write('many.jsonl', manyChats(600));
    for (const id of REPORTS) {
      const args = ['report', id, '--input', path('many.jsonl'), ...period, '--as-of', '2026-03-12'];
      const inMemory = await pontual([...args, '--out', path(`${id}-memory.csv`)]);
      const spilled = await pontual([...args, '--out', path(`${id}-spilled.csv`), '--memory-events', '50']);
      expect(inMemory.stderr).toBe('');
      expect(spilled.stderr).toBe('');
      expect(sha(`${id}-spilled.csv`)).toBe(sha(`${id}-memory.csv`));
      expect(readFileSync(path(`${id}-memory.csv`), 'utf8').split('\r\n').length).toBeGreaterThan(5);
    }
  }, 180_000);
});
