import type { MessageRecord } from '../shared/records/message.ts';
import type { TicketRecord } from '../shared/records/ticket.ts';

// No Node imports: bench/attendance-pwa.ts bundles this for the page, bench/attendance-run.ts runs it in Node.

const AGENTS = Array.from({ length: 200 }, (_, i) => ({ agentId: `agent.${i}`, agentName: `Agent ${i}` }));
const QUEUES = ['Billing', 'Support', 'Sales', 'Retention'];
const WORDS =
  'olá bom dia fatura ação não é possível verificar obrigado já pedido entrega prazo 😀 👍 ok'.split(' ');

/**
 * One ticket of `messages` messages, opened somewhere in the `days` from `start` (epoch ms):
 * opened, taken, contact and agent in turn every `spacingMs`, closed.
 */
export function* generateTicket(
  index: number,
  messages: number,
  spacingMs: number,
  window: { start: number; days: number },
): Generator<TicketRecord | MessageRecord> {
  const ticketId = `T-${index}`;
  const contact = `55119${String(10_000_000 + index)}`;
  const business = '551133334444';
  const agent = AGENTS[index % AGENTS.length]!;
  const queue = QUEUES[index % QUEUES.length]!;
  let at = window.start + ((index * 7_919_000) % ((window.days - 1) * 86_400_000));
  const iso = () => new Date(at).toISOString();
  const base = { type: 'ticket' as const, ticketId, contact, business, queue, kind: 'receptive' as const };
  yield { ...base, id: `t:${ticketId}:o`, at: iso(), action: 'opened', contactName: `Contato ${index}` };
  at += 30_000;
  yield { ...base, id: `t:${ticketId}:a`, at: iso(), action: 'assigned', ...agent };
  for (let m = 0; m < messages; m++) {
    at += spacingMs;
    const mo = m % 2 === 0;
    const text = Array.from(
      { length: 4 + ((index + m) % 12) },
      (_, w) => WORDS[(index + m * 3 + w) % WORDS.length],
    ).join(' ');
    yield {
      id: `m:${ticketId}:${m}`,
      type: 'message',
      at: iso(),
      messageId: `wamid.${index}.${m}`,
      channel: 'whatsapp',
      direction: mo ? 'MO' : 'MT',
      contact,
      business,
      contentType: 'text',
      text,
      ticketId,
      queue,
      ...(mo ? {} : { origin: 'attendance' as const, ...agent }),
    };
  }
  at += 60_000;
  yield { ...base, id: `t:${ticketId}:c`, at: iso(), action: 'closed', ...agent, tag: 'Resolved' };
}
