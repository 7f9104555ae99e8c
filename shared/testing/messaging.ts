import { CellFormatter } from '../format/cells.ts';
import type { MessageRecord } from '../records/message.ts';
import type { MessageStatusRecord } from '../records/message-status.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { MessageStatus } from '../records/status-catalog.ts';
import type { TicketRecord } from '../records/ticket.ts';
import { type ReportRequest, validateRequest } from '../reports/params.ts';
import type { ReportDefinition } from '../reports/types.ts';

/** Builders of messaging records for tests: one contact and business number unless told. */
export const CONTACT = '5511987654321';
export const BUSINESS = '551133334444';
const iso = (ms: number) => new Date(ms).toISOString();

let n = 0;
export function mt(at: number, fields: Partial<MessageRecord> = {}): MessageRecord {
  n++;
  return {
    id: `m-${n}`,
    type: 'message',
    at: iso(at),
    messageId: `wamid.${n}`,
    channel: 'whatsapp',
    direction: 'MT',
    contact: CONTACT,
    business: BUSINESS,
    contentType: 'template',
    origin: 'attendance',
    ...fields,
  };
}

export const mo = (at: number, fields: Partial<MessageRecord> = {}) =>
  mt(at, { direction: 'MO', contentType: 'text', origin: undefined, ...fields });

export function status(
  messageId: string,
  at: number,
  value: MessageStatus,
  id = `s-${++n}`,
): MessageStatusRecord {
  return {
    id,
    type: 'message_status',
    at: iso(at),
    messageId,
    status: value,
    providerStatus: `provider ${value}`,
  };
}

export function opened(at: number, fields: Partial<TicketRecord> = {}): TicketRecord {
  n++;
  return {
    id: `t-${n}`,
    type: 'ticket',
    at: iso(at),
    ticketId: `T-${n}`,
    action: 'opened',
    contact: CONTACT,
    business: BUSINESS,
    ...fields,
  };
}

/**
 * A report run over the period 2026-03-10 in São Paulo (or as `request` says), every cell shown as
 * the files show it, by the run's own columns.
 */
export function runReport(
  report: ReportDefinition,
  records: AnyRecord[],
  locale: 'en' | 'pt-BR' = 'en',
  request: Partial<ReportRequest> = {},
): string[][] {
  const timeZone = request.timeZone ?? 'America/Sao_Paulo';
  const checked = validateRequest(report, {
    from: '2026-03-10',
    to: '2026-03-11',
    ...request,
    timeZone,
    locale,
  });
  if (!checked.ok) throw new Error(checked.error);
  const fmt = new CellFormatter(locale, timeZone);
  const { columns, rows } = report.compute(records, checked.params);
  return rows.map((row) => row.map((cell, i) => fmt.cell(columns[i]!, cell ?? null)));
}
