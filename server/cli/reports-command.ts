import { REPORTS } from '../../shared/reports/registry.ts';
import { parseOptions } from './options.ts';

/** `pontual reports`: one line per report, id then title. */
export async function reportsCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, { locale: { type: 'string', default: 'en' } });
  const locale = values.locale === 'pt-BR' ? 'pt-BR' : 'en';
  const width = Math.max(...REPORTS.map((report) => report.id.length));
  for (const report of REPORTS) process.stdout.write(`${report.id.padEnd(width)}  ${report.title[locale]}\n`);
  return 0;
}
