// Child process of bench/attendance.ts (its own heap, so the peak memory is its own): one of the
// attendance figures, printed as `KEY value` lines.

import { loadTranscriptFonts } from '../server/cli/transcript-fonts.ts';
import { writeCsv } from '../shared/files/csv.ts';
import { reportFileChunks } from '../shared/files/report-file.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import { attendanceHistory } from '../shared/reports/attendance-history.ts';
import { validateRequest } from '../shared/reports/params.ts';
import { ticketDetail } from '../shared/reports/ticket-detail.ts';
import type { ReportDefinition } from '../shared/reports/types.ts';
import { generateTicket } from './generate-tickets.ts';

const ZONE = 'America/Sao_Paulo';

/** CPU time of this process so far (user + system): on a shared machine, less moved by others' load than wall time. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
/** 2026-03-01 00:00 in São Paulo. */
const START = Date.UTC(2026, 2, 1, 3);
const DAYS = 31;
const ticketRecords = (index: number, messages: number, spacingMs: number) =>
  generateTicket(index, messages, spacingMs, { start: START, days: DAYS });

function paramsOf(report: ReportDefinition, request: object) {
  const checked = validateRequest(report, {
    timeZone: ZONE,
    locale: 'pt-BR',
    asOf: '2026-04-15',
    ...request,
  });
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}

/** With `--expose-gc`: the live heap at this point, after a full collection (not timed runs). */
function heap(key: string) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  console.log(`${key} ${Math.round(process.memoryUsage().heapUsed / 1024 / 1024)}`);
}

const [what, countText] = process.argv.slice(2);
if (what === 'history') {
  // The records are made as they are fed, a ticket at a time, as the PWA's worker reads its store
  // chunk by chunk: what is measured holds only what the report keeps.
  const tickets = Number(countText);
  const params = paramsOf(attendanceHistory, { from: '2026-03-01', to: '2026-04-01' });
  const cpuStart = cpuMs();
  const started = performance.now();
  const run = attendanceHistory.begin!(params);
  let messages = 0;
  /** Of the reading, the time the report spent taking the records (the rest is making them). */
  let addMs = 0;
  let batch: AnyRecord[] = [];
  for (let index = 0; index < tickets; index++) {
    for (const record of ticketRecords(index, 20, 45_000)) {
      if (record.type === 'message') messages++;
      batch.push(record);
    }
    if (batch.length >= 5_000) {
      const adding = performance.now();
      run.add(batch);
      addMs += performance.now() - adding;
      batch = [];
    }
  }
  run.add(batch);
  batch = [];
  heap('HEAP_AFTER_READ_MB');
  const made = performance.now();
  const cpuMade = cpuMs();
  const result = run.finish();
  const computed = performance.now();
  const cpuComputed = cpuMs();
  heap('HEAP_AFTER_COMPUTE_MB');
  let bytes = 0;
  for await (const chunk of writeCsv(
    { columns: result.columns, locale: params.locale, timeZone: ZONE },
    result.rows,
  ))
    bytes += Buffer.byteLength(chunk);
  const written = performance.now();
  console.log(`TICKETS ${tickets}\nMESSAGES ${messages}\nROWS ${result.rows.length}\nBYTES ${bytes}`);
  console.log(
    `ADD_MS ${addMs}\nREAD_MS ${made - started}\nCOMPUTE_MS ${computed - made}\nWRITE_MS ${written - computed}`,
  );
  console.log(
    `READ_CPU_MS ${cpuMade - cpuStart}\nCOMPUTE_CPU_MS ${cpuComputed - cpuMade}\nWRITE_CPU_MS ${cpuMs() - cpuComputed}`,
  );
} else if (what === 'detail') {
  const messages = Number(countText);
  const records = [...ticketRecords(42, messages, 20_000)];
  const params = paramsOf(ticketDetail, { options: { ticket: 'T-42' } });
  const run = async () => {
    const cpuStart = cpuMs();
    const started = performance.now();
    const result = ticketDetail.compute(records, params);
    const chunks = await reportFileChunks(
      'pdf',
      {
        columns: result.columns,
        locale: params.locale,
        timeZone: ZONE,
        title: 'Detalhe do ticket',
        subtitleLines: ['bench'],
        transcript: result.transcript,
        transcriptFonts: loadTranscriptFonts,
      },
      result.rows,
    );
    let bytes = 0;
    for await (const chunk of chunks) bytes += (chunk as Uint8Array).length;
    return { ms: performance.now() - started, cpu: cpuMs() - cpuStart, bytes };
  };
  // The first run loads pdf-lib and reads the fonts, as a CLI run or a fresh worker does.
  const first = await run();
  const again: { ms: number; cpu: number }[] = [];
  for (let i = 0; i < 3; i++) again.push(await run());
  again.sort((a, b) => a.ms - b.ms);
  console.log(
    `FIRST_MS ${first.ms}\nFIRST_CPU_MS ${first.cpu}\nWARM_MS ${again[1]!.ms}\nWARM_CPU_MS ${again[1]!.cpu}\nBYTES ${first.bytes}`,
  );
}
console.log(`PEAK_RSS_KB ${process.resourceUsage().maxRSS}`);
