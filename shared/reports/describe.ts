import { CellFormatter } from '../format/cells.ts';
import type { Locale } from '../i18n.ts';
import type { ReportDefinition, ReportParams } from './types.ts';

const TEXT = {
  en: {
    period: 'Period',
    allData: 'all data',
    timeZone: 'Time zone',
    generated: 'Generated',
    splitDays: 'Split at midnight',
    deviceTime: 'Device clocks, not corrected',
  },
  'pt-BR': {
    period: 'Período',
    allData: 'todos os dados',
    timeZone: 'Fuso horário',
    generated: 'Gerado em',
    splitDays: 'Dividido à meia-noite',
    deviceTime: 'Relógios dos dispositivos, sem correção',
  },
} satisfies Record<Locale, Record<string, string>>;

/** The lines printed under a report's title: its filters and when it was generated. */
export function describeRun(report: ReportDefinition, params: ReportParams, generatedAt: number): string[] {
  const text = TEXT[params.locale];
  const fmt = new CellFormatter(params.locale, params.timeZone);
  const bound = (ms: number | undefined, fallback: string) =>
    ms === undefined ? fallback : fmt.format('datetime', ms);
  const period =
    params.from === undefined && params.to === undefined
      ? text.allData
      : `${bound(params.from, '…')} – ${bound(params.to, '…')}`;
  const lines = [`${text.period}: ${period}`, `${text.timeZone}: ${params.timeZone}`];
  if (params.splitDays && report.supportsSplitDays) lines.push(text.splitDays);
  // Times off by a device's skew must say so on the page, or they pass for corrected ones.
  if (params.deviceTime) lines.push(text.deviceTime);
  lines.push(`${text.generated}: ${fmt.format('datetime', generatedAt)}`);
  return lines;
}
