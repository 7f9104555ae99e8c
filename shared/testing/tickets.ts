import { CellFormatter } from '../format/cells.ts';
import type { MessageRecord } from '../records/message.ts';
import type { AnyRecord } from '../records/registry.ts';
import type { TicketAction, TicketRecord } from '../records/ticket.ts';
import { type ReportRequest, validateRequest } from '../reports/params.ts';
import type { ReportDefinition } from '../reports/types.ts';
import { BUSINESS, CONTACT } from './messaging.ts';

/**
 * Builders of attendance records for tests: a ticket's steps and its conversation, one contact
 * and business number unless told. Instants are epoch ms.
 */
const iso = (ms: number) => new Date(ms).toISOString();
let n = 0;

export function ticketStep(
  ticketId: string,
  at: number,
  action: TicketAction,
  fields: Partial<TicketRecord> = {},
): TicketRecord {
  n++;
  return {
    id: `ticket:${ticketId}:${action}:${n}`,
    type: 'ticket',
    at: iso(at),
    ticketId,
    action,
    contact: CONTACT,
    business: BUSINESS,
    ...fields,
  };
}

/** A message of a ticket: `MT` from an agent (give `agentId`), `MO` from the contact. */
export function ticketMessage(
  ticketId: string,
  at: number,
  direction: 'MT' | 'MO',
  text: string | undefined,
  fields: Partial<MessageRecord> = {},
): MessageRecord {
  n++;
  return {
    id: `message:wamid.t${n}`,
    type: 'message',
    at: iso(at),
    messageId: `wamid.t${n}`,
    channel: 'whatsapp',
    direction,
    contact: CONTACT,
    business: BUSINESS,
    contentType: 'text',
    ticketId,
    ...(direction === 'MT' ? { origin: 'attendance' as const } : {}),
    ...(text === undefined ? {} : { text }),
    ...fields,
  };
}

export const ANA = { agentId: 'ana', agentName: 'Ana Souza' } as const;
export const BRUNO = { agentId: 'bruno', agentName: 'Bruno Lima' } as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 2026-03-10 00:00 in São Paulo (03:00 UTC): the day `runAttendance` reports on. */
export const DAY_START = Date.UTC(2026, 2, 10, 3, 0, 0);
export const DAY = 24 * HOUR;
/** `hh:mm` of 2026-03-10 in São Paulo, as epoch ms. */
export const local = (hh: number, mm: number) => DAY_START + hh * HOUR + mm * MINUTE;

/**
 * A day of attendance (docs/reports.md, the attendance reports' example), São Paulo time:
 * - T-1, receptive: the contact writes to the bot (09:58), overflows to Billing (10:00), Ana takes
 *   it (10:02) and answers (10:05), transfers it to Support (10:10), Bruno takes it (10:15),
 *   answers (10:20) and closes it (10:30, Resolved);
 * - T-2, active: Ana starts it with a template in Billing (11:00), closes it (11:10, Sale); the
 *   contact writes again (12:00), which reopens it; Ana answers (12:30) and closes it (12:40);
 * - T-3, receptive: opened in Support (13:00), a picture without text (13:05), Bruno takes it
 *   (13:10) and leaves it pending (13:20) without a word;
 * - T-0 opened the day before (23:59:59) and answered by Bruno at 00:00:00 of the day; T-4 a
 *   contact writing at 23:59:59.999, opened at 00:00 of the next day.
 */
export function attendanceDay(): (TicketRecord | MessageRecord)[] {
  const t1 = { kind: 'receptive', trackingId: 'TRK-1', contract: 'C-100', contactName: 'Carla' } as const;
  const t2 = { kind: 'active', trackingId: 'TRK-2', contract: 'C-200', contactName: 'Carla' } as const;
  return [
    ticketStep('T-0', DAY_START - 1000, 'opened', { queue: 'Support', kind: 'receptive' }),
    ticketStep('T-0', DAY_START - 500, 'assigned', { queue: 'Support', ...BRUNO }),
    ticketMessage('T-0', DAY_START - 1, 'MO', 'ontem'),
    ticketMessage('T-0', DAY_START, 'MT', 'Bom dia', BRUNO),

    ticketMessage('T-1', local(9, 58), 'MO', 'Quero falar com um atendente'),
    ticketStep('T-1', local(10, 0), 'opened', { queue: 'Billing', ...t1 }),
    ticketStep('T-1', local(10, 2), 'assigned', { queue: 'Billing', ...t1, ...ANA }),
    ticketMessage('T-1', local(10, 5), 'MT', 'Olá, como posso ajudar?', ANA),
    ticketMessage('T-1', local(10, 6), 'MO', 'Minha fatura está errada 😀'),
    ticketStep('T-1', local(10, 10), 'transferred', { queue: 'Support', ...t1, ...ANA }),
    ticketStep('T-1', local(10, 15), 'assigned', { queue: 'Support', ...t1, ...BRUNO }),
    ticketMessage('T-1', local(10, 20), 'MT', 'Corrigido, ação concluída ✅', BRUNO),
    ticketStep('T-1', local(10, 30), 'closed', { queue: 'Support', ...t1, ...BRUNO, tag: 'Resolved' }),

    ticketStep('T-2', local(11, 0), 'opened', { queue: 'Billing', ...t2, ...ANA }),
    ticketMessage('T-2', local(11, 0), 'MT', 'Seu boleto venceu', {
      ...ANA,
      contentType: 'template',
      templateId: 'tpl-boleto',
      templateName: 'boleto_vencido',
    }),
    ticketMessage('T-2', local(11, 5), 'MO', 'Vou pagar hoje'),
    ticketMessage('T-2', local(11, 7), 'MT', 'Obrigada!', ANA),
    ticketStep('T-2', local(11, 10), 'closed', { queue: 'Billing', ...t2, ...ANA, tag: 'Sale' }),
    ticketMessage('T-2', local(12, 0), 'MO', 'Paguei'),
    ticketStep('T-2', local(12, 0), 'reopened', { queue: 'Billing', ...t2 }),
    ticketMessage('T-2', local(12, 30), 'MT', 'Recebido', ANA),
    ticketStep('T-2', local(12, 40), 'closed', { queue: 'Billing', ...t2, ...ANA, tag: 'Resolved' }),

    ticketMessage('T-3', local(12, 59), 'MO', 'Oi'),
    ticketStep('T-3', local(13, 0), 'opened', { queue: 'Support', kind: 'receptive' }),
    ticketMessage('T-3', local(13, 5), 'MO', undefined, { contentType: 'image', queue: 'Support' }),
    ticketStep('T-3', local(13, 10), 'assigned', { queue: 'Support', ...BRUNO }),
    ticketStep('T-3', local(13, 20), 'pending', { queue: 'Support', ...BRUNO }),

    ticketMessage('T-4', DAY_START + DAY - 1, 'MO', 'Alguém?'),
    ticketStep('T-4', DAY_START + DAY, 'opened', { queue: 'Billing', kind: 'receptive' }),
  ];
}

/** A report run over 2026-03-10 in São Paulo with the given filters, every cell as the files show it. */
export function runAttendance(
  report: ReportDefinition,
  records: readonly AnyRecord[],
  request: Partial<Pick<ReportRequest, 'options' | 'agentIds' | 'asOf'>> & { locale?: 'en' | 'pt-BR' } = {},
): string[][] {
  const timeZone = 'America/Sao_Paulo';
  const locale = request.locale ?? 'en';
  const checked = validateRequest(report, {
    timeZone,
    locale,
    from: '2026-03-10',
    to: '2026-03-11',
    ...request,
  });
  if (!checked.ok) throw new Error(checked.error);
  const fmt = new CellFormatter(locale, timeZone);
  const result = report.compute(records, checked.params);
  return result.rows.map((row) => row.map((cell, i) => fmt.cell(result.columns[i]!, cell ?? null)));
}

/**
 * `count` tickets over 2026-03-10 in São Paulo, a few agents and queues, some transferred,
 * reopened, left open or pending, some answered never: data for the spill tests. Deterministic.
 */
export function manyTickets(count: number): (TicketRecord | MessageRecord)[] {
  const agents = [
    ANA,
    BRUNO,
    { agentId: 'caio', agentName: 'Caio Reis' },
    { agentId: 'dora', agentName: 'Dora Melo' },
  ];
  const queues = ['Billing', 'Support', 'Sales'];
  let seed = 7;
  const random = (below: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    // The high bits: the low ones of this generator repeat with a short period.
    return Math.floor((seed / 2_147_483_648) * below);
  };
  const records: (TicketRecord | MessageRecord)[] = [];
  for (let index = 0; index < count; index++) {
    const id = `G-${index}`;
    const contact = { contact: `55119${String(10_000_000 + index)}` };
    let at = DAY_START - HOUR + random(26 * 60) * MINUTE;
    const next = () => {
      at += (1 + random(20)) * MINUTE + random(1000);
      return at;
    };
    let queue = queues[random(3)]!;
    let agent = agents[random(4)]!;
    const kind = random(4) === 0 ? 'active' : 'receptive';
    const base = { ...contact, kind, contract: random(2) ? `C-${random(50)}` : undefined } as const;
    records.push(ticketMessage(id, at, 'MO', `Olá ${index} ação`, contact));
    records.push(ticketStep(id, next(), 'opened', { ...base, queue, ...(kind === 'active' ? agent : {}) }));
    if (kind === 'receptive') records.push(ticketStep(id, next(), 'assigned', { ...base, queue, ...agent }));
    if (random(3))
      records.push(ticketMessage(id, next(), 'MT', `Resposta ${index}`, { ...contact, ...agent, queue }));
    if (random(4) === 0) {
      const transferredAt = next();
      queue = queues[random(3)]!;
      records.push(ticketStep(id, transferredAt, 'transferred', { ...base, queue, ...agent }));
      records.push(ticketMessage(id, next(), 'MO', 'Ainda aí?', contact));
      const assignedAt = next();
      agent = agents[random(4)]!;
      records.push(ticketStep(id, assignedAt, 'assigned', { ...base, queue, ...agent }));
      records.push(ticketMessage(id, next(), 'MT', `Assumi ${index} 😀`, { ...contact, ...agent, queue }));
    }
    const end = random(6);
    if (end === 0) continue;
    if (end === 1) {
      records.push(ticketStep(id, next(), 'pending', { ...base, queue, ...agent }));
      continue;
    }
    records.push(ticketStep(id, next(), 'closed', { ...base, queue, ...agent, tag: 'Resolved' }));
    if (end === 2) {
      records.push(ticketMessage(id, next(), 'MO', 'Mais uma coisa', contact));
      records.push(ticketStep(id, at, 'reopened', { ...base, queue }));
      records.push(ticketStep(id, next(), 'closed', { ...base, queue, ...agent, tag: 'Sale' }));
    }
  }
  return records;
}
