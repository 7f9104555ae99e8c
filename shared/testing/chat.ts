import type { MessageRecord } from '../records/message.ts';
import type { MessageStatusRecord } from '../records/message-status.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { MessageStatus } from '../records/status-catalog.ts';
import type { TicketRecord } from '../records/ticket.ts';
import { type ReportRequest, validateRequest } from '../reports/params.ts';
import type { ReportDefinition, ReportParams, ReportResult } from '../reports/types.ts';
import { attendanceDay, DAY, DAY_START, local, manyTickets, ticketMessage } from './tickets.ts';

/**
 * Builders of the chat reports' tests: the attendance day (`attendanceDay()`) and, around it,
 * conversations that never reached a ticket — a broadcast answered and handed to the bot, and the
 * bot alone on a second business number. São Paulo time, 2026-03-10.
 */
const iso = (ms: number) => new Date(ms).toISOString();

/** A message outside any ticket, with a fixed provider id (`wamid.<name>`) for its statuses. */
export function chatMessage(
  name: string,
  at: number,
  direction: 'MT' | 'MO',
  text: string | undefined,
  fields: Partial<MessageRecord> = {},
): MessageRecord {
  const { ticketId: _none, origin: _origin, ...message } = ticketMessage('', at, direction, text, fields);
  return { ...message, id: `message:wamid.${name}`, messageId: `wamid.${name}`, ...fields };
}

export function chatStatus(name: string, at: number, status: MessageStatus): MessageStatusRecord {
  return {
    id: `status:${name}:${status}`,
    type: 'message_status',
    at: iso(at),
    messageId: `wamid.${name}`,
    status,
  };
}

export const CONTACT_2 = '5511911112222';
export const CONTACT_3 = '5511933334444';
export const BUSINESS_2 = '551144445555';

/**
 * The chat day: the attendance day (T-0 … T-4, contact `CONTACT` on `BUSINESS`), and
 * - CONV-1: a broadcast template to `CONTACT_2` at 08:00 (sent, delivered, read), answered at
 *   08:45, the bot replying at 08:46 — the provider's conversation CONV-1, no ticket;
 * - the bot alone with `CONTACT_3` on `BUSINESS_2`, no conversation id: the contact at 21:30, the
 *   bot's answer at 21:30:30 failing, the contact again at 00:00 of the next day.
 */
export function chatDay(): (TicketRecord | MessageRecord | MessageStatusRecord)[] {
  const conv1 = { contact: CONTACT_2, conversationId: 'CONV-1' };
  const bot = { contact: CONTACT_3, business: BUSINESS_2 };
  return [
    ...attendanceDay(),
    chatMessage('promo', local(8, 0), 'MT', 'Promoção de março', {
      ...conv1,
      origin: 'broadcast',
      contentType: 'template',
      campaignId: 'camp-1',
      templateName: 'promo_marco',
    }),
    chatStatus('promo', local(8, 0) + 5000, 'sent'),
    chatStatus('promo', local(8, 30), 'read'),
    chatStatus('promo', local(8, 1), 'delivered'),
    chatMessage('promo-reply', local(8, 45), 'MO', 'Quero saber mais', conv1),
    chatMessage('promo-bot', local(8, 46), 'MT', 'Um atendente já vai falar com você', {
      ...conv1,
      origin: 'api',
    }),
    chatMessage('night', local(21, 30), 'MO', 'Horário?', bot),
    chatMessage('night-bot', local(21, 30) + 30_000, 'MT', 'Atendemos das 8h às 18h', {
      ...bot,
      origin: 'api',
    }),
    chatStatus('night-bot', local(21, 31), 'failed'),
    chatMessage('morning', DAY_START + DAY, 'MO', 'Bom dia', bot),
  ];
}

/**
 * `count` tickets (`manyTickets`) and, for every third contact, a broadcast before the ticket with
 * its statuses, and a bot exchange on a second number: data for the spill tests. Deterministic.
 */
export function manyChats(count: number): (TicketRecord | MessageRecord | MessageStatusRecord)[] {
  const records: (TicketRecord | MessageRecord | MessageStatusRecord)[] = manyTickets(count);
  const statuses: MessageStatus[] = ['sent', 'delivered', 'read', 'failed', 'opt_out'];
  for (let index = 0; index < count; index += 3) {
    const contact = `55119${String(10_000_000 + index)}`;
    const at = DAY_START + ((index * 7919) % (24 * 60)) * 60_000;
    const name = `bulk-${index}`;
    records.push(
      chatMessage(name, at, 'MT', `Oferta ${index}`, {
        contact,
        origin: 'broadcast',
        contentType: 'template',
        templateName: 'oferta',
        ...(index % 2 ? { conversationId: `CV-${index}` } : {}),
      }),
      chatStatus(name, at + 1000, statuses[index % statuses.length]!),
      chatMessage(`${name}-bot`, at + 60_000, 'MO', 'Oi', { contact, business: BUSINESS_2 }),
      chatMessage(`${name}-bot-reply`, at + 90_000, 'MT', 'Olá!', {
        contact,
        business: BUSINESS_2,
        origin: 'api',
      }),
    );
  }
  return records;
}

/** A run's parameters: 2026-03-10 in São Paulo unless told, English. */
export function chatParams(report: ReportDefinition, request: Partial<ReportRequest> = {}): ReportParams {
  const checked = validateRequest(report, {
    timeZone: 'America/Sao_Paulo',
    locale: 'en',
    from: '2026-03-10',
    to: '2026-03-11',
    ...request,
  });
  if (!checked.ok) throw new Error(checked.error);
  return checked.params;
}

/**
 * The report over parts of the records (grouped by `keyOf`, as the CLI's spill groups them),
 * added up by its `combine`, next to the report over them all: the two must be equal.
 */
export function combinedAndWhole(
  report: ReportDefinition,
  records: readonly AnyRecord[],
  keyOf: (record: AnyRecord) => string,
): { combined: ReportResult; whole: ReportResult } {
  const params = chatParams(report);
  const parts = new Map<string, AnyRecord[]>();
  for (const record of records) parts.set(keyOf(record), [...(parts.get(keyOf(record)) ?? []), record]);
  if (!report.combine) throw new Error(`${report.id} has no combine()`);
  return {
    combined: report.combine(
      [...parts.values()].map((part) => report.compute(part, params)),
      params,
    ),
    whole: report.compute(records, params),
  };
}
