import { suggestMapping } from '../shared/import/csv-mapping.ts';
import { importCsvStream } from '../workers/import-csv.ts';
import { fmt } from './measure.ts';

const LINES = Number(process.env.CSV_BENCH_LINES ?? 1_000_000);
/** What `file.stream()` hands out in Chromium: 64 KiB chunks. */
const CHUNK = 64 * 1024;
const STATUSES = ['Entregue', 'Lida', 'Enviada', 'Não entregue', 'Número de destino inválido'];

/**
 * A pt-BR broadcast export as the platform writes it: `;`, Windows-1252 with accents, Brazilian
 * dates, decimal commas, one line in a thousand broken (a date that does not exist).
 */
function generateExport(lines: number): Buffer[] {
  const header = 'Número;Data de envio;Status;Campanha;Template;Custo;Mensagem\r\n';
  const parts: string[] = [header];
  for (let i = 0; i < lines; i++) {
    const minute = i % 60;
    const day = i % 1000 === 999 ? 30 : 1 + (i % 28);
    parts.push(
      `+55 (11) 9${String(i).padStart(8, '0')};${String(day).padStart(2, '0')}/${i % 1000 === 999 ? '02' : '03'}/2026 10:${String(minute).padStart(2, '0')};` +
        `${STATUSES[i % STATUSES.length]};Campanha ${i % 7};promoção_${i % 3};0,0625;"Olá, cliente ${i}; sua fatura vence amanhã"\r\n`,
    );
  }
  const bytes = Buffer.from(parts.join(''), 'latin1');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK) chunks.push(bytes.subarray(at, at + CHUNK));
  return chunks;
}

/**
 * CSV import of 1M lines through the worker's path (`importCsvStream`: decoding with encoding
 * detection, papaparse, the mapping, `validateRecord`, batching), in Node. The local store's
 * writes (IndexedDB) are left out: `keep` only counts. Issue 10's target: ≤ 20 s in a worker.
 */
export async function benchCsvImport(): Promise<void> {
  const chunks = generateExport(LINES);
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const mapping = suggestMapping(
    ['Número', 'Data de envio', 'Status', 'Campanha', 'Template', 'Custo', 'Mensagem'],
    { timeZone: 'America/Sao_Paulo' },
  );
  mapping.fields.business = { source: 'constant', value: '551133334444', transform: 'phone' };
  let progressCalls = 0;
  async function* stream() {
    for (const chunk of chunks) {
      progressCalls++;
      yield chunk;
    }
  }
  let kept = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const summary = await importCsvStream(stream(), 'bench.csv', mapping, async (records) => {
    kept += records.length;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time too: on a shared machine the wall time says as much about the neighbours.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `CSV import, ${fmt(LINES)} lines (${fmt(Math.round(size / 1e6))} MB, ${summary.encoding}, "${summary.delimiter}"): ` +
      `${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU), ${fmt(Math.round(LINES / seconds))} lines/s; ` +
      `${fmt(kept)} records kept ` +
      `(message + status per line), ${fmt(summary.invalidCount)} invalid lines, ${fmt(progressCalls)} chunks ` +
      `(target ≤ 20 s in a worker)`,
  );
}
