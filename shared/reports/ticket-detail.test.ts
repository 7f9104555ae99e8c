import { describe, expect, it } from 'vitest';
import { loadTranscriptFonts } from '../../server/cli/transcript-fonts.ts';
import { reportFileChunks } from '../files/report-file.ts';
import { CONTACT as C } from '../testing/messaging.ts';
import { pdfPagesText } from '../testing/pdf-text.ts';
import { ANA, attendanceDay, local, runAttendance, ticketMessage, ticketStep } from '../testing/tickets.ts';
import { validateRequest } from './params.ts';
import { ticketDetail } from './ticket-detail.ts';

const run = (ticket: string, request: Parameters<typeof runAttendance>[2] = {}, records = attendanceDay()) =>
  runAttendance(ticketDetail, records, { ...request, options: { ticket, ...request.options } });

const ZONE = 'America/Sao_Paulo';

/** The run's result, its transcript included, over all the data (no period). */
function computed(ticket: string, records = attendanceDay(), locale: 'en' | 'pt-BR' = 'en') {
  const checked = validateRequest(ticketDetail, { timeZone: ZONE, locale, options: { ticket } });
  if (!checked.ok) throw new Error(checked.error);
  return ticketDetail.compute(records, checked.params);
}

async function pdfOf(result: ReturnType<typeof computed>): Promise<Uint8Array> {
  const chunks = await reportFileChunks(
    'pdf',
    {
      columns: result.columns,
      locale: result.transcript!.locale,
      timeZone: ZONE,
      title: 'Ticket detail',
      subtitleLines: ['Generated 2026-03-11 09:00:00'],
      transcript: result.transcript,
      transcriptFonts: loadTranscriptFonts,
    },
    result.rows,
  );
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk as Uint8Array);
  return parts[0]!;
}

describe('ticket-detail (DESIGN §11)', () => {
  it('one row per message of the ticket, in order, with who sent it', () => {
    expect(run('T-1')).toEqual([
      ['2026-03-10 09:58:00', 'Contact', 'Carla', 'Quero falar com um atendente'],
      ['2026-03-10 10:05:00', 'Agent', 'Ana Souza', 'Olá, como posso ajudar?'],
      ['2026-03-10 10:06:00', 'Contact', 'Carla', 'Minha fatura está errada 😀'],
      ['2026-03-10 10:20:00', 'Agent', 'Bruno Lima', 'Corrigido, ação concluída ✅'],
    ]);
  });

  it('a message without text shows its kind; a contact without a name, their number', () => {
    expect(run('T-3')).toEqual([
      ['2026-03-10 12:59:00', 'Contact', C, 'Oi'],
      ['2026-03-10 13:05:00', 'Contact', C, '[image]'],
    ]);
  });

  it("an MT before any agent is the bot's; an MT without an agent while one holds it is that agent's", () => {
    const records = [
      ticketMessage('B', local(9, 0), 'MO', 'Oi'),
      ticketMessage('B', local(9, 1), 'MT', 'Sou o robô. Escolha 1 ou 2'),
      ticketStep('B', local(9, 2), 'opened', { queue: 'Billing' }),
      ticketStep('B', local(9, 3), 'assigned', { queue: 'Billing', ...ANA }),
      ticketMessage('B', local(9, 4), 'MT', 'Mensagem automática do agente'),
      ticketMessage('B', local(9, 5), 'MT', undefined, {
        contentType: 'template',
        templateName: 'boas_vindas',
      }),
    ];
    expect(run('B', {}, records).map((row) => row.slice(1))).toEqual([
      ['Contact', C, 'Oi'],
      ['Bot', '', 'Sou o robô. Escolha 1 ou 2'],
      ['Agent', 'Ana Souza', 'Mensagem automática do agente'],
      ['Agent', 'Ana Souza', '[Template: boas_vindas]'],
    ]);
    expect(
      computed('B', records).transcript!.messages.map((message) => [message.sender, message.side]),
    ).toEqual([
      [C, 'contact'],
      ['Bot', 'business'],
      ['Ana Souza', 'business'],
      ['Ana Souza', 'business'],
    ]);
  });

  it('without a period, the whole conversation; with one, the messages sent in it', () => {
    // T-2 was reopened at noon: all of it, or the morning only.
    expect(computed('T-2').rows).toHaveLength(5);
    const morning = validateRequest(ticketDetail, {
      timeZone: ZONE,
      locale: 'en',
      from: '2026-03-10T00:00',
      to: '2026-03-10T11:06',
      options: { ticket: 'T-2' },
    });
    if (!morning.ok) throw new Error(morning.error);
    expect(ticketDetail.compute(attendanceDay(), morning.params).rows).toHaveLength(2);
  });

  it('asks for a ticket; an unknown ticket has no rows', () => {
    const checked = validateRequest(ticketDetail, { timeZone: ZONE, locale: 'en' });
    expect(checked).toEqual({ ok: false, error: expect.stringContaining('Ticket') });
    expect(computed('T-404').rows).toEqual([]);
    expect(computed('T-404').transcript).toBeUndefined();
  });

  it("the transcript's header: contact, queue, status, opened and closed, every agent who handled it", () => {
    expect(computed('T-1').transcript).toMatchObject({
      title: 'Ticket T-1',
      header: [
        { label: 'Contact', value: `Carla (${C})` },
        { label: 'WhatsApp number', value: expect.any(String) },
        { label: 'Queue', value: 'Support' },
        { label: 'Status', value: 'Closed' },
        { label: 'Opened', value: '2026-03-10 10:00:00' },
        { label: 'Closed', value: '2026-03-10 10:30:00' },
        { label: 'Agents', value: 'Ana Souza, Bruno Lima' },
      ],
    });
    // Still pending: no closing time.
    expect(computed('T-3', attendanceDay(), 'pt-BR').transcript).toMatchObject({
      title: 'Ticket T-3',
      header: [
        { label: 'Contato', value: C },
        expect.anything(),
        { label: 'Fila', value: 'Support' },
        { label: 'Status', value: 'Pendente' },
        { label: 'Aberto em', value: '10/03/2026 13:00:00' },
        { label: 'Encerrado em', value: '—' },
        { label: 'Agentes', value: 'Bruno Lima' },
      ],
    });
  });

  it('speaks Portuguese', () => {
    expect(run('T-1', { locale: 'pt-BR' })[1]).toEqual([
      '10/03/2026 10:05:00',
      'Agente',
      'Ana Souza',
      'Olá, como posso ajudar?',
    ]);
  });

  it('the PDF is a transcript: header, every message with its sender and time, emoji and accents intact', async () => {
    const records = [
      ...attendanceDay(),
      ticketMessage('T-1', local(10, 21), 'MO', 'Valeu! 👍😀 família 👨‍👩‍👧 ok 👍🏽 ❤️ ção'),
    ];
    const pdf = await pdfOf(computed('T-1', records));
    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    const [page = '', ...more] = await pdfPagesText(pdf);
    expect(more).toEqual([]);
    expect(page).toContain('Ticket T-1');
    expect(page).toContain(`Contact: Carla (${C})`);
    expect(page).toContain('Agents: Ana Souza, Bruno Lima');
    expect(page).toContain('Generated 2026-03-11 09:00:00');
    expect(page).toContain('Carla 2026-03-10 09:58:00 Quero falar com um atendente');
    expect(page).toContain('Ana Souza 2026-03-10 10:05:00 Olá, como posso ajudar?');
    expect(page).toContain('Minha fatura está errada 😀');
    expect(page).toContain('Corrigido, ação concluída ✅');
    // Emoji past U+FFFF, a ZWJ family (one glyph of Noto Emoji), a skin tone, accents.
    expect(page).toContain('👍😀');
    expect(page).toContain('👨‍👩‍👧');
    // A skin tone degrades to the plain emoji: the monochrome font draws no tones.
    expect(page).toContain('ok 👍');
    expect(page).toContain('❤️');
    expect(page).toContain('ção');
    expect(page).toContain('Page 1 of 1');
    // Nothing replaced by "?" (the one question is Ana's).
    expect(page.replace('ajudar?', '')).not.toContain('?');
  });

  it('wraps long messages, breaks pages and numbers them, in the locale', async () => {
    const long = `Começo ${'palavra '.repeat(400)}fim`;
    const records = [
      ticketStep('L', local(9, 0), 'opened', { queue: 'Billing', contactName: 'Zé' }),
      ...Array.from({ length: 120 }, (_, i) =>
        ticketMessage(
          'L',
          local(9, 1) + i * 1000,
          i % 2 ? 'MO' : 'MT',
          i === 60 ? long : `mensagem ${i} 😀`,
          ANA,
        ),
      ),
    ];
    const result = computed('L', records, 'pt-BR');
    const pages = await pdfPagesText(await pdfOf(result));
    expect(pages.length).toBeGreaterThan(3);
    for (const [index, text] of pages.entries())
      expect(text).toContain(`Página ${index + 1} de ${pages.length}`);
    const all = pages.join(' ');
    for (let i = 0; i < 120; i += 1) if (i !== 60) expect(all).toContain(`mensagem ${i} 😀`);
    expect(all).toContain('Começo palavra');
    expect(all.split('palavra').length - 1).toBe(400);
    expect(all).toContain('palavra fim');
  });
});
