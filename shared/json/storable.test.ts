import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, storableText, unstorableProblem } from './storable.ts';

const nested = (levels: number): unknown => (levels === 1 ? {} : { a: nested(levels - 1) });

describe('unstorableProblem', () => {
  it('passes any JSON value of well-formed text without NUL, within the depth', () => {
    const text = fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\u0000', ''));
    const key = text.filter((k) => k !== '__proto__' && k !== 'constructor');
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: MAX_JSON_DEPTH - 1, stringUnit: fc.constantFrom('a', 'ç', '🎧', '\u0001') }),
        (value) => {
          expect(unstorableProblem(value)).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.array(text)), (value) => {
        expect(unstorableProblem(value)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a NUL', { note: 'a\u0000b' }, 'note: contains a NUL character (U+0000)'],
    ['a lone high surrogate', { note: 'a\ud83d' }, 'note: contains an unpaired surrogate (\\ud83d)'],
    ['a lone low surrogate', { note: '\ude00a' }, 'note: contains an unpaired surrogate (\\ude00)'],
    ['two high surrogates', { note: '\ud83d\ud83d\ude00' }, 'note: contains an unpaired surrogate (\\ud83d)'],
    [
      'a NUL in a key',
      { list: [{ 'k\u0000': 1 }] },
      'list.0: has a key that contains a NUL character (U+0000)',
    ],
    ['a lone surrogate in a key', { '\udfff': 1 }, 'has a key that contains an unpaired surrogate (\\udfff)'],
    ['Infinity', { n: [1, Number.POSITIVE_INFINITY] }, 'n.1: is a number too large to store'],
    ['-Infinity', { n: Number.NEGATIVE_INFINITY }, 'n: is a number too large to store'],
    [
      'a __proto__ key',
      JSON.parse('{"a":{"__proto__":{"x":1}}}'),
      "a.__proto__: is not allowed as a key: it would change objects' prototypes",
    ],
    [
      'constructor.prototype',
      JSON.parse('{"constructor":{"prototype":{"x":1}}}'),
      "constructor.prototype: is not allowed as a key: it would change objects' prototypes",
    ],
    ['nesting one level too deep', { deep: nested(MAX_JSON_DEPTH) }, 'deep: nested deeper than 32 levels'],
    ['nesting in an array', [1, [[nested(MAX_JSON_DEPTH - 1)]]], '1: nested deeper than 32 levels'],
  ])('refuses %s, naming where', (_name, value, problem) => {
    expect(unstorableProblem(value)).toBe(problem);
  });

  it('names the value itself with the path given, and takes a constructor that is only a name', () => {
    expect(unstorableProblem({ email: 'a\u0000' }, 'body')).toBe(
      'body.email: contains a NUL character (U+0000)',
    );
    expect(unstorableProblem('a\u0000', 'body')).toBe('body: contains a NUL character (U+0000)');
    expect(
      unstorableProblem({ constructor: 'Acme', prototype: 1, deep: nested(MAX_JSON_DEPTH - 1) }),
    ).toBeUndefined();
    expect(unstorableProblem({ emoji: '\ud83c\udfa7', nul: '\\u0000' })).toBeUndefined();
  });
});

describe('storableText', () => {
  it('replaces NUL and unpaired surrogates with U+FFFD, keeps pairs, and never cuts one in half', () => {
    expect(storableText('Lunch\u0000x')).toBe('Lunch\ufffdx');
    expect(storableText('Tea\ud800')).toBe('Tea\ufffd');
    expect(storableText('\udc00Tea')).toBe('\ufffdTea');
    expect(storableText('\udc00\ud800')).toBe('\ufffd\ufffd');
    expect(storableText('Call \ud83c\udfa7 back')).toBe('Call \ud83c\udfa7 back');
    // 199 letters and an emoji: a cut at 200 would leave half of it.
    expect(storableText(`${'a'.repeat(199)}\ud83c\udfa7`, 200)).toBe('a'.repeat(199));
    expect(storableText(`${'a'.repeat(198)}\ud83c\udfa7`, 200)).toBe(`${'a'.repeat(198)}\ud83c\udfa7`);
    expect(storableText('abc', 2)).toBe('ab');
  });

  it('anything it returns can be stored, and fits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 40 }), (text, max) => {
        const stored = storableText(text, max);
        expect(unstorableProblem(stored)).toBeUndefined();
        expect(stored.length).toBeLessThanOrEqual(max);
      }),
    );
  });
});
