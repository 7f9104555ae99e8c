// Child process of bench/files.ts: writes N activity-shaped rows in one format to /dev/null-like
// counting sink and prints the time, the size and its peak memory.
import { writeCsv } from '../shared/files/csv.ts';
import { writePdf } from '../shared/files/pdf.ts';
import { writeXlsx } from '../shared/files/xlsx.ts';
import { activity } from '../shared/reports/activity.ts';
import type { Row } from '../shared/reports/types.ts';

const [format, countText] = process.argv.slice(2);
const count = Number(countText);
const spec = { columns: activity.columns, locale: 'en' as const, timeZone: 'America/Sao_Paulo' };

function* rows(): Generator<Row> {
  const base = Date.UTC(2026, 2, 2, 11);
  for (let i = 0; i < count; i++) {
    const start = base + i * 37_000;
    const end = start + 600_000 + (i % 97) * 1000;
    const kind = i % 3 === 0 ? 'Login' : i % 3 === 1 ? 'Break - Lunch' : 'Logout';
    yield [
      `Agent ${i % 500}`,
      kind,
      start,
      start,
      end,
      end,
      end - start,
      `10.0.${(i >> 8) & 255}.${i & 255}`,
    ];
  }
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
let bytes = 0;
if (format === 'pdf') {
  bytes = writePdf({ ...spec, title: 'Activity', subtitleLines: ['bench'] }, rows()).length;
} else {
  const chunks = format === 'csv' ? writeCsv(spec, rows()) : writeXlsx(spec, rows());
  for await (const chunk of chunks)
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  `WRITE_MS ${ms}\nWRITE_CPU_MS ${cpuMs}\nBYTES ${bytes}\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`,
);
