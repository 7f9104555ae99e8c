import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decidingUpdate,
  MESSAGE_STATUS_CATALOG,
  type MessageStatus,
  statusInGroup,
} from './status-catalog.ts';

const at = (minute: number) => Date.UTC(2026, 2, 10, 18, minute);
const update = (id: string, minute: number, status: MessageStatus) => ({ id, at: at(minute), status });

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) yield items;
  else
    for (let i = 0; i < items.length; i++)
      for (const rest of permutations([...items.slice(0, i), ...items.slice(i + 1)]))
        yield [items[i] as T, ...rest];
}

describe('the status catalog (DESIGN §9)', () => {
  it('labels and explains every status in both locales, with groups that nest', () => {
    for (const status of MESSAGE_STATUS_CATALOG) {
      expect(
        status.label.en && status.label['pt-BR'] && status.explanation.en && status.explanation['pt-BR'],
      ).toBeTruthy();
      if (statusInGroup(status.value, 'read')) expect(statusInGroup(status.value, 'delivered')).toBe(true);
      if (statusInGroup(status.value, 'delivered')) expect(statusInGroup(status.value, 'sent')).toBe(true);
    }
    expect(MESSAGE_STATUS_CATALOG.find((s) => s.value === 'invalid_session')?.explanation.en).toBe(
      'Invalid session: no 24 h window was open and no fallback template is configured.',
    );
  });
});

describe("a message's status, whatever order its updates arrived in", () => {
  const decide = (updates: ReturnType<typeof update>[]) => {
    const decided = new Set(
      [...permutations(updates)].map((order) => {
        const deciding = decidingUpdate(order);
        return deciding ? `${deciding.status}@${deciding.id}` : 'accepted';
      }),
    );
    expect(decided.size).toBe(1);
    return [...decided][0];
  };

  it('is accepted with no update yet', () => {
    expect(decide([])).toBe('accepted');
  });

  it('is read when any update says read, even before delivered arrives', () => {
    expect(decide([update('r', 3, 'read'), update('s', 1, 'sent'), update('d', 2, 'delivered')])).toBe(
      'read@r',
    );
    expect(decide([update('r', 1, 'read'), update('d', 2, 'delivered')])).toBe('read@r');
  });

  it('stays delivered when failed comes after delivered', () => {
    expect(decide([update('s', 1, 'sent'), update('d', 2, 'delivered'), update('f', 3, 'failed')])).toBe(
      'delivered@d',
    );
  });

  it('takes the latest failure or block, then the id on a tie', () => {
    expect(
      decide([update('s', 1, 'sent'), update('f', 2, 'invalid_session'), update('b', 3, 'opt_out')]),
    ).toBe('opt_out@b');
    expect(decide([update('a', 2, 'expired'), update('b', 2, 'rejected')])).toBe('rejected@b');
  });

  it('is sent with only sent updates, dated by the first', () => {
    expect(decide([update('s2', 4, 'sent'), update('s1', 1, 'sent')])).toBe('sent@s1');
  });

  it('decides the same over random update sets in any order', () => {
    const values = MESSAGE_STATUS_CATALOG.map((status) => status.value);
    const updates = fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 4 }),
        at: fc.integer({ min: 0, max: 5 }),
        status: fc.constantFrom(...values),
      }),
      { selector: (u) => u.id, maxLength: 8 },
    );
    fc.assert(
      fc.property(updates, fc.func(fc.integer()), (list, shuffleKey) => {
        const shuffled = [...list].sort((a, b) => shuffleKey(a.id) - shuffleKey(b.id));
        expect(decidingUpdate(shuffled)).toEqual(decidingUpdate(list));
      }),
    );
  });
});
