import { describe, expect, it } from 'vitest';
import {
  type CsvMapping,
  compileMapping,
  describeInvalid,
  mappingProblems,
  suggestMapping,
} from './csv-mapping.ts';

const HEADERS_PT = ['Número', 'Data de envio', 'Status', 'Campanha', 'Template', 'Custo', 'Tarifado'];
const ZONE = 'America/Sao_Paulo';

describe('suggestMapping', () => {
  it('maps a pt-BR broadcast export to messages with their status, constants for what it never states', () => {
    const mapping = suggestMapping(HEADERS_PT, { timeZone: ZONE });
    expect(mapping.kind).toBe('message');
    expect(mapping.fields).toMatchObject({
      contact: { source: 'column', column: 'Número', transform: 'phone' },
      at: { source: 'column', column: 'Data de envio', transform: 'date' },
      status: { source: 'column', column: 'Status', transform: 'status' },
      campaignId: { source: 'column', column: 'Campanha', transform: 'text' },
      templateName: { source: 'column', column: 'Template', transform: 'text' },
      cost: { source: 'column', column: 'Custo', transform: 'number' },
      billable: { source: 'column', column: 'Tarifado', transform: 'boolean' },
      direction: { source: 'constant', value: 'MT' },
      channel: { source: 'constant', value: 'whatsapp' },
      contentType: { source: 'constant', value: 'template' },
    });
    expect(mappingProblems(mapping, HEADERS_PT)).toEqual([
      'business: is required; choose a column or a constant',
    ]);
  });

  it('reads English headers, and picks tickets or statuses from what the header fills', () => {
    expect(
      suggestMapping(['Phone number', 'Sent at', 'Message id', 'Sender'], { timeZone: ZONE }).fields,
    ).toMatchObject({
      contact: { column: 'Phone number' },
      at: { column: 'Sent at' },
      messageId: { column: 'Message id' },
      business: { column: 'Sender' },
    });
    expect(suggestMapping(['Protocolo', 'Data', 'Ação', 'Fila', 'Atendente'], { timeZone: ZONE }).kind).toBe(
      'ticket',
    );
    expect(
      suggestMapping(['Message ID', 'Status date', 'Status'], { timeZone: ZONE, kind: 'message_status' })
        .fields,
    ).toMatchObject({
      messageId: { column: 'Message ID' },
      status: { column: 'Status' },
    });
  });
});

const base = (fields: CsvMapping['fields'], extra: Partial<CsvMapping> = {}): CsvMapping => ({
  kind: 'message',
  dateFormat: 'dd/MM/yyyy',
  timeZone: ZONE,
  fields: {
    direction: { source: 'constant', value: 'MT', transform: 'text' },
    channel: { source: 'constant', value: 'sms', transform: 'text' },
    contentType: { source: 'constant', value: 'text', transform: 'text' },
    business: { source: 'constant', value: '551133334444', transform: 'phone' },
    contact: { source: 'column', column: 'n', transform: 'phone' },
    at: { source: 'column', column: 'd', transform: 'date' },
    ...fields,
  },
  ...extra,
});
const col = (
  column: string,
  transform: CsvMapping['fields'][string] extends infer R
    ? R extends { transform: infer T }
      ? T
      : never
    : never,
) => ({ source: 'column', column, transform }) as const;

describe('compileMapping', () => {
  it('applies every transform: dates in the zone, digits-only phones, decimal commas, yes/no, catalog statuses', () => {
    const headers = ['n', 'd', 'v', 'b', 's', 'when'];
    const mapper = compileMapping(
      base({
        cost: col('v', 'number'),
        billable: col('b', 'boolean'),
        status: col('s', 'status'),
        statusAt: col('when', 'date'),
      }),
      headers,
    );
    const result = mapper.map([
      '+55 (11) 98765-4321',
      '10/03/2026 15:41',
      'R$ 1.234,56',
      'Sim',
      'Não entregue',
      '10/03/2026 15:42:07',
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [message, status] = result.records;
    expect(message).toMatchObject({
      type: 'message',
      contact: '5511987654321',
      at: '2026-03-10T18:41:00.000Z',
      cost: 1234.56,
      billable: true,
      channel: 'sms',
    });
    expect(message).not.toHaveProperty('status');
    expect((message as { messageId: string }).messageId).toBe(message!.id);
    expect(status).toMatchObject({
      type: 'message_status',
      messageId: message!.id,
      status: 'undelivered',
      at: '2026-03-10T18:42:07.000Z',
      contact: '5511987654321',
    });
    const more = (cells: string[]) => mapper.map(cells);
    expect(more(['1', '1/3/2026', '0.0625', 'no', 'Read', ''])).toMatchObject({
      ok: true,
      records: [{ cost: 0.0625, billable: false, at: '2026-03-01T03:00:00.000Z' }, { status: 'read' }],
    });
    expect(more(['1', '01/03/2026', '0', 'yes', 'Lida', ''])).toMatchObject({
      ok: true,
      records: [{}, { status: 'read' }],
    });
    expect(more(['1', '01/03/2026', '0', 'yes', 'Rejeitada pela operadora', ''])).toMatchObject({
      ok: true,
      records: [{}, { status: 'rejected' }],
    });
  });

  it('reads ISO and month-first dates', () => {
    const iso = compileMapping(base({}, { dateFormat: 'iso' }), ['n', 'd']);
    expect(iso.map(['1', '2026-03-10T18:41:00Z'])).toMatchObject({
      ok: true,
      records: [{ at: '2026-03-10T18:41:00.000Z' }],
    });
    expect(iso.map(['1', '2026-03-10 15:41'])).toMatchObject({
      ok: true,
      records: [{ at: '2026-03-10T18:41:00.000Z' }],
    });
    const us = compileMapping(base({}, { dateFormat: 'MM/dd/yyyy', timeZone: 'UTC' }), ['n', 'd']);
    expect(us.map(['1', '03/10/2026 18:41'])).toMatchObject({
      ok: true,
      records: [{ at: '2026-03-10T18:41:00.000Z' }],
    });
  });

  it('gives the same id for the same row and mapping, and a different one for a different row or mapping', () => {
    const mapper = compileMapping(base({}), ['n', 'd']);
    const ids = (cells: string[], on = mapper) =>
      (on.map(cells) as { records: { id: string }[] }).records.map((record) => record.id);
    const [id] = ids(['5511', '10/03/2026 15:41']);
    expect(id).toMatch(/^csv-[0-9a-f]{16}$/);
    expect(ids(['5511', '10/03/2026 15:41'])).toEqual([id]);
    // Spaces around a cell are not part of it.
    expect(ids([' 5511 ', '10/03/2026 15:41 '])).toEqual([id]);
    expect(ids(['5512', '10/03/2026 15:41'])).not.toEqual([id]);
    // Cells are told apart: moving text from one cell to the next changes the id.
    const texts = compileMapping(base({ campaignId: col('c', 'text'), text: col('t', 'text') }), [
      'n',
      'd',
      'c',
      't',
    ]);
    expect(ids(['5511', '10/03/2026', 'ab', 'c'], texts)).not.toEqual(
      ids(['5511', '10/03/2026', 'a', 'bc'], texts),
    );
    // The same cells read another way (another zone, another constant) are other records.
    expect(
      ids(['5511', '10/03/2026 15:41'], compileMapping(base({}, { timeZone: 'UTC' }), ['n', 'd'])),
    ).not.toEqual([id]);
    const sms = base({ channel: { source: 'constant', value: 'whatsapp', transform: 'text' } });
    expect(ids(['5511', '10/03/2026 15:41'], compileMapping(sms, ['n', 'd']))).not.toEqual([id]);
    // A constant is read trimmed, as the records get it.
    const spaced = base({ channel: { source: 'constant', value: ' sms ', transform: 'text' } });
    expect(ids(['5511', '10/03/2026 15:41'], compileMapping(spaced, ['n', 'd']))).toEqual([id]);
    // The same mapping written in another order is the same mapping.
    const reordered: CsvMapping = {
      ...base({}),
      fields: Object.fromEntries(Object.entries(base({}).fields).reverse()),
    };
    expect(ids(['5511', '10/03/2026 15:41'], compileMapping(reordered, ['n', 'd']))).toEqual([id]);
    // A message's status record has an id of its own.
    const withStatus = compileMapping(base({ status: col('s', 'status') }), ['n', 'd', 's']);
    const [message, status] = ids(['5511', '10/03/2026 15:41', 'Lida'], withStatus);
    expect(status).toMatch(/^csv-[0-9a-f]{16}$/);
    expect(status).not.toBe(message);
  });

  it('says what is wrong with a bad row, field by field', () => {
    const mapper = compileMapping(
      base({ cost: col('v', 'number'), billable: col('b', 'boolean'), status: col('s', 'status') }),
      ['n', 'd', 'v', 'b', 's'],
    );
    const bad = mapper.map(['abc', '31/02/2026 10:00', 'dez', 'talvez', 'Perdida']);
    expect(bad).toEqual({
      ok: false,
      error:
        'at: "31/02/2026 10:00" is not a date dd/MM/yyyy HH:mm[:ss] that exists; contact: "abc" has no digits; ' +
        'cost: "dez" is not a number; billable: "talvez" is not yes/no (sim/não); ' +
        'status: "Perdida" is not a status of the catalog (e.g. Entregue, Lida, Delivered, read)',
    });
    expect(mapper.map(['', '10/03/2026', '', '', ''])).toEqual({ ok: false, error: 'contact: is required' });
    expect(describeInvalid({ line: 7, error: 'contact: is required' })).toBe('line 7: contact: is required');
    const choices = compileMapping(base({ direction: col('dir', 'text') }), ['n', 'd', 'dir']);
    expect(choices.map(['1', '10/03/2026', 'mo'])).toMatchObject({
      ok: true,
      records: [{ direction: 'MO' }],
    });
    expect(choices.map(['1', '10/03/2026', 'up'])).toEqual({
      ok: false,
      error: 'direction: "up" must be one of MT, MO',
    });
  });

  it('refuses a mapping whose columns are not in the file, naming them', () => {
    const mapping = base({ cost: col('Valor', 'number') });
    expect(mappingProblems(mapping, ['n', 'd'])).toEqual([
      'cost: column "Valor" is not in the file (its columns: n, d)',
    ]);
    expect(() => compileMapping(mapping, ['n', 'd'])).toThrow(
      'the mapping does not fit this file: cost: column "Valor" is not in the file (its columns: n, d)',
    );
    // The rows' texts come from the decoder, which lets no NUL through; a constant is checked here.
    expect(
      mappingProblems(base({ campaignId: { source: 'constant', value: 'a\u0000b', transform: 'text' } }), [
        'n',
        'd',
      ]),
    ).toEqual(['campaignId: the constant contains a NUL character (U+0000)']);
    expect(
      mappingProblems({ kind: 'ticket', dateFormat: 'iso', timeZone: 'Mars/Base', fields: {} }, []),
    ).toEqual([
      'time zone: "Mars/Base" is not a known zone',
      'at: is required; choose a column or a constant',
      'ticketId: is required; choose a column or a constant',
      'action: is required; choose a column or a constant',
    ]);
  });
});
