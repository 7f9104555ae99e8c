import { describe, expect, it } from 'vitest';
import { parseRecordLine } from '../../../shared/records/registry.ts';
import { humanLineError } from './line-errors.ts';

/** The validator's own message for a line, as an import lists it. */
function problemOf(line: string): { error: string; value: unknown } {
  const result = parseRecordLine(line);
  if (result.ok) throw new Error(`expected ${line} to be refused`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  return { error: result.error, value };
}

const human = (line: string, locale: 'en' | 'pt-BR' = 'en') => {
  const { error, value } = problemOf(line);
  return humanLineError(error, value, locale);
};

describe('import line errors in a supervisor’s words', () => {
  const login = { id: 'e1', type: 'login', cause: 'page_load', agentId: 'ana', agentName: 'Ana' };

  it('quotes the value that is not a date and time, in both languages', () => {
    const line = JSON.stringify({ ...login, at: 'yesterday' });
    expect(problemOf(line).error).toBe('at: must be an ISO-8601 instant with Z or an offset');
    expect(human(line)).toBe(
      'the time "yesterday" is not a date and time like 2026-12-02T13:00:00-03:00 (with its UTC offset, or Z)',
    );
    expect(human(line, 'pt-BR')).toBe(
      'o horário "yesterday" não é uma data e hora como 2026-12-02T13:00:00-03:00 (com o fuso em relação a UTC, ou Z)',
    );
  });

  it('says what is missing, what is not allowed, and what is not JSON', () => {
    const { agentId: _gone, ...noAgent } = { ...login, at: '2026-12-02T13:00:00Z' };
    expect(human(JSON.stringify(noAgent))).toBe('the agent id is missing');
    expect(human(JSON.stringify({ ...login, at: '2026-12-02T13:00:00Z', cause: 'magic' }))).toBe(
      'the login cause "magic" is not one of: page_load, refresh, use_here, reconnect, network_change, token_renewal',
    );
    expect(human('{"type": "login",')).toBe(
      'this line is not a record in JSON (a quote, comma or brace may be missing)',
    );
    expect(human('{"type": "login",', 'pt-BR')).toBe(
      'esta linha não é um registro em JSON (pode faltar uma aspa, vírgula ou chave)',
    );
  });

  it('keeps a message it has no words for, as the validator wrote it', () => {
    expect(humanLineError('weird: something new', {}, 'en')).toBe('weird: something new');
  });
});
