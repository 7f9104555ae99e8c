import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { pdfPagesText } from '../../shared/testing/pdf-text.ts';
import { attendanceDay, manyTickets } from '../../shared/testing/tickets.ts';

// The attendance reports from the command line (docs/reports.md), and the spill keeping each
// ticket's records together (`partition: 'ticket'`) so a tiny memory budget gives the same file.

const BIN = join(import.meta.dirname, '../../bin/pontual.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pontual-attendance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pontual(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

const write = (name: string, records: readonly object[]) =>
  writeFileSync(join(dir, name), `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
const period = ['--tz', 'America/Sao_Paulo', '--from', '2026-03-10', '--to', '2026-03-11'];
const sha = (name: string) =>
  createHash('sha256')
    .update(readFileSync(join(dir, name)))
    .digest('hex');
const REPORTS = ['attendance-history', 'attendance-statistics', 'attendance-summary', 'ticket-summary'];

describe('pontual report, attendance', () => {
  it('runs each report over a JSON Lines file', async () => {
    write('day.jsonl', attendanceDay());
    const history = await pontual(['report', 'attendance-history', '--input', 'day.jsonl', ...period]);
    expect(history.stderr).toBe('');
    expect(history.code).toBe(0);
    const rows = parse(history.stdout, { delimiter: ';', bom: true }) as string[][];
    expect(rows[0]).toEqual([
      'Ticket ID',
      'Tracking ID',
      'Message',
      'Sent At',
      'Sender',
      'Contact Number',
      'WhatsApp Number',
      'Agent',
      'Queue',
      'Ticket Status',
      'Contract',
    ]);
    expect(rows.slice(1).map((row) => row[2])).toContain('Minha fatura está errada 😀');
    const closed = await pontual([
      'report',
      'ticket-summary',
      '--input',
      'day.jsonl',
      ...period,
      '--ticket-status',
      'closed',
      '--locale',
      'pt-BR',
    ]);
    expect(closed.code).toBe(0);
    expect((parse(closed.stdout, { delimiter: ';', bom: true }) as string[][]).map((row) => row[0])).toEqual([
      'ID do Ticket',
      'T-1',
      'T-2',
    ]);
  });

  it('refuses a history without a period, in the report’s language', async () => {
    const run = await pontual(['report', 'attendance-history', '--input', 'day.jsonl', '--locale', 'pt-BR']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'pontual: o relatório attendance-history precisa de um período: informe --from e --to',
    );
  });

  it('spilling to disk by ticket gives byte-identical files', async () => {
    const records = manyTickets(600);
    write('many.jsonl', records);
    for (const id of REPORTS) {
      const args = ['report', id, '--input', 'many.jsonl', ...period, '--as-of', '2026-03-12'];
      const inMemory = await pontual([...args, '--out', `${id}-memory.csv`]);
      const spilled = await pontual([...args, '--out', `${id}-spilled.csv`, '--memory-events', '50']);
      expect(inMemory.stderr).toBe('');
      expect(spilled.stderr).toBe('');
      expect(sha(`${id}-spilled.csv`)).toBe(sha(`${id}-memory.csv`));
      expect(readFileSync(join(dir, `${id}-memory.csv`), 'utf8').split('\r\n').length).toBeGreaterThan(8);
    }
  }, 120_000);

  it('ticket-detail: one ticket as a transcript PDF, from a spilled input too; an unknown ticket is refused', async () => {
    write('detail.jsonl', [...manyTickets(300), ...attendanceDay()]);
    const args = [
      'report',
      'ticket-detail',
      '--input',
      'detail.jsonl',
      '--tz',
      'America/Sao_Paulo',
      '--ticket',
      'T-1',
    ];
    for (const [name, extra] of [
      ['memory', []],
      ['spilled', ['--memory-events', '50']],
    ] as const) {
      const run = await pontual([...args, ...extra, '--format', 'pdf', '--out', `T-1-${name}.pdf`]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const [page, ...more] = await pdfPagesText(readFileSync(join(dir, `T-1-${name}.pdf`)));
      expect(more).toEqual([]);
      expect(page).toContain('Ticket T-1');
      expect(page).toContain('Agents: Ana Souza, Bruno Lima');
      expect(page).toContain('Carla 2026-03-10 10:06:00 Minha fatura está errada 😀');
      expect(page).toContain('Bruno Lima 2026-03-10 10:20:00 Corrigido, ação concluída ✅');
    }
    const csv = await pontual([...args, '--locale', 'pt-BR']);
    expect(csv.code).toBe(0);
    expect((parse(csv.stdout, { delimiter: ';', bom: true }) as string[][]).slice(0, 3)).toEqual([
      ['Enviada em', 'Remetente', 'Nome', 'Mensagem'],
      ['10/03/2026 09:58:00', 'Contato', 'Carla', 'Quero falar com um atendente'],
      ['10/03/2026 10:05:00', 'Agente', 'Ana Souza', 'Olá, como posso ajudar?'],
    ]);
    const unknown = await pontual([
      'report',
      'ticket-detail',
      '--input',
      'detail.jsonl',
      '--ticket',
      'T-404',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('T-404');
    const none = await pontual(['report', 'ticket-detail', '--input', 'detail.jsonl']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Ticket');
  }, 60_000);
});
