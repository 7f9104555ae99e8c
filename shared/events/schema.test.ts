import { describe, expect, it } from 'vitest';
import { parseEventLine, validateEvent } from './schema.ts';

const valid = {
  id: '0192f0c4-7a1e-7cc2-9d3e-52f0d6b1c2aa',
  type: 'login',
  cause: 'page_load',
  at: '2026-03-10T18:41:00.000Z',
  agentId: 'fabio.rocha',
  agentName: 'Fabio Rocha',
  ip: '203.0.113.7',
  sessionId: 's-1',
  deviceId: 'd-1',
  seq: 12,
};
const line = (fields: Record<string, unknown>) => JSON.stringify(fields);
const errorOf = (fields: Record<string, unknown>) => {
  const result = parseEventLine(line(fields));
  return result.ok ? 'ok' : result.error;
};

describe('activity event schema (DESIGN §3)', () => {
  it('accepts the documented event and keeps unknown fields', () => {
    const result = parseEventLine(line({ ...valid, extra: { nested: true } }));
    expect(result).toEqual({ ok: true, event: { ...valid, extra: { nested: true } } });
  });

  it('accepts each type with its own fields, and offsets', () => {
    const base = { id: 'x', at: '2026-03-10T15:41:00-03:00', agentId: 'a', agentName: '' };
    expect(errorOf({ ...base, type: 'status', status: 'break', reason: 'Lunch' })).toBe('ok');
    expect(errorOf({ ...base, type: 'status', status: 'break' })).toBe('ok');
    expect(errorOf({ ...base, type: 'status', status: 'available' })).toBe('ok');
    expect(errorOf({ ...base, type: 'logout' })).toBe('ok');
    expect(errorOf({ ...base, type: 'heartbeat' })).toBe('ok');
  });

  it.each([
    [{ ...valid, at: '2026-03-10T18:41:00' }, 'at: must be an ISO-8601 instant with Z or an offset'],
    [{ ...valid, at: '2026-02-30T18:41:00Z' }, 'at: names a day or time that does not exist'],
    [{ ...valid, at: '0000-03-10T18:41:00Z' }, 'at: the year must be between 0001 and 9999'],
    [{ ...valid, at: '2026-03-10T18:41:00-14:01' }, 'at: the offset must be within ±14:00'],
    [{ ...valid, agentName: 'Fabio\u0000' }, 'agentName: contains a NUL character (U+0000)'],
    [{ ...valid, extra: { note: ['\ud800'] } }, 'extra.note.0: contains an unpaired surrogate (\\ud800)'],
    [{ ...valid, type: 'pause' }, 'type: must be one of login, status, logout, heartbeat'],
    [
      { ...valid, cause: 'f5' },
      'cause: must be one of page_load, refresh, use_here, reconnect, network_change, token_renewal',
    ],
    [{ ...valid, cause: undefined }, 'cause: is required'],
    [{ ...valid, id: '' }, 'id: must not be empty'],
    [{ ...valid, id: 'x'.repeat(129) }, 'id: expected string length less or equal to 128'],
    [{ ...valid, seq: 1.5 }, 'seq: expected integer'],
    [{ ...valid, agentId: undefined }, 'agentId: is required'],
    [{ ...valid, type: 'logout' }, 'cause: is only allowed on login events'],
    [
      { ...valid, type: 'status', status: 'available', cause: undefined, reason: 'x' },
      'reason: is only allowed on break status events',
    ],
    [{ ...valid, type: 'status', status: 'away', cause: undefined }, 'status: must be available or break'],
  ])('rejects %j: %s', (fields, message) => {
    expect(errorOf(fields)).toBe(message);
  });

  it('names several problems at once and says when a line is not JSON', () => {
    expect(errorOf({ ...valid, id: '', agentId: '' })).toBe(
      'id: must not be empty; agentId: must not be empty',
    );
    expect(parseEventLine('{"id": 1,')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not valid JSON \(/),
    });
    expect(validateEvent([valid])).toEqual({ ok: false, error: 'must be a JSON object' });
  });

  it('names a problem of the schema and of what cannot be stored together', () => {
    expect(errorOf({ ...valid, seq: -1, extra: 'x\u0000' })).toBe(
      'seq: expected integer to be greater or equal to 0; extra: contains a NUL character (U+0000)',
    );
  });

  it('refuses a __proto__ key in the event alone, as JSON.parse makes it an own property', () => {
    expect(parseEventLine(`{${line(valid).slice(1, -1)},"__proto__":{"admin":true}}`)).toEqual({
      ok: false,
      error: "__proto__: is not allowed as a key: it would change objects' prototypes",
    });
  });

  it('refuses SQL-looking or hostile text only by length, never by content', () => {
    const hostile = "x'; DROP TABLE events; --";
    expect(errorOf({ ...valid, agentName: hostile, ip: hostile })).toBe('ok');
  });
});
