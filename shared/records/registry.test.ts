import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../testing/records.ts';
import { RECORD_KIND_NAMES } from './kind.ts';
import { parseRecordLine, RECORD_KINDS, validateRecord } from './registry.ts';

const errorOf = (value: unknown) => {
  const result = validateRecord(value);
  return result.ok ? 'ok' : result.error;
};

describe('record kinds (DESIGN §9)', () => {
  it('has one kind per name, each answering for its own types', () => {
    expect(RECORD_KINDS.map((kind) => kind.name)).toEqual([...RECORD_KIND_NAMES]);
    const types = RECORD_KINDS.flatMap((kind) => kind.types);
    expect(new Set(types).size).toBe(types.length);
  });

  it('accepts the documented example of every kind, and tells which kind it is', () => {
    for (const [kind, example] of Object.entries(EXAMPLES)) {
      expect(validateRecord({ ...example, extra: { kept: true } })).toEqual({
        ok: true,
        kind,
        record: { ...example, extra: { kept: true } },
      });
    }
    const login = {
      id: 'e',
      type: 'login',
      cause: 'refresh',
      at: '2026-03-10T18:41:00Z',
      agentId: 'a',
      agentName: 'A',
    };
    expect(validateRecord(login)).toMatchObject({ ok: true, kind: 'activity' });
  });

  it('names the field and what is wrong with it', () => {
    expect(errorOf({ ...EXAMPLES.message, direction: 'IN' })).toBe('direction: must be one of MT, MO');
    expect(errorOf({ ...EXAMPLES.message, contact: '+55 11 98765-4321' })).toBe(
      'contact: must be digits only (country and area code, no + or spaces)',
    );
    expect(errorOf({ ...EXAMPLES.message_status, status: 'seen' })).toMatch(
      /^status: must be one of accepted, sent, /,
    );
    expect(errorOf({ ...EXAMPLES.campaign, campaignId: '' })).toBe('campaignId: must not be empty');
    const { ticketId: _ticketId, ...noTicket } = EXAMPLES.ticket;
    expect(errorOf(noTicket)).toBe('ticketId: is required');
    expect(errorOf({ ...EXAMPLES.ticket, at: '2026-03-10 18:50' })).toMatch(/^at: /);
    expect(errorOf({ ...EXAMPLES.message, text: 'a\u0000b' })).toBe(
      'text: contains a NUL character (U+0000)',
    );
    expect(errorOf({ ...EXAMPLES.message, type: 'sms' })).toMatch(
      /^type: must be one of login, .*message, message_status, campaign, ticket, webhook_delivery, user, business_number$/,
    );
    expect(errorOf([EXAMPLES.ticket])).toBe('must be a JSON object');
  });

  it('says a line that is not JSON is not JSON', () => {
    expect(parseRecordLine('{"id": ')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not valid JSON/),
    });
  });

  it('refuses from a line the strings PostgreSQL refuses, however they are written', () => {
    // The line's one scan lets a line without escapes or surrogates skip the per-string test.
    const line = (fields: object) => JSON.stringify({ ...EXAMPLES.message, ...fields });
    expect(parseRecordLine(line({ text: 'a\u0000b' }))).toMatchObject({
      error: 'text: contains a NUL character (U+0000)',
    });
    expect(parseRecordLine(line({ text: 'a\ud800b' }))).toMatchObject({
      error: 'text: contains an unpaired surrogate (\\ud800)',
    });
    expect(parseRecordLine(line({ text: 'ok' }).replace('"ok"', '"ok\\ud800"'))).toMatchObject({ ok: false });
    expect(parseRecordLine(`{"\\u0000":1,${line({}).slice(1)}`)).toMatchObject({
      error: 'has a key that contains a NUL character (U+0000)',
    });
    expect(parseRecordLine(line({ text: 'Olá 🎧', note: '\\u0000 as text' }))).toMatchObject({ ok: true });
    expect(
      parseRecordLine(line({ text: 'Olá', extra: { deep: null } }).replace('null', '1e400')),
    ).toMatchObject({
      error: 'extra.deep: is a number too large to store',
    });
  });

  it('keys records for partitioning, and says how long the app keeps each kind', () => {
    const message = RECORD_KINDS[1];
    expect(message.keys.contact?.(EXAMPLES.message as never)).toBe('5511987654321');
    expect(message.keys.campaign?.(EXAMPLES.message as never)).toBe('c-1');
    for (const kind of RECORD_KINDS) expect(kind.keepLocallyDays).toBeGreaterThan(0);
  });
});
