import { describe, expect, it } from 'vitest';
import { ByteChunks } from './bytes.ts';

describe('ByteChunks', () => {
  it('writes text as TextEncoder does: accents, three-byte characters, emoji, lone surrogates', () => {
    const texts = [
      'plain',
      'Conceição Ávila',
      '€ ≥ 日本',
      'olá 👋🏽!',
      'lone \uD83D end',
      'low \uDC00',
      'last \uD83D',
    ];
    for (const text of texts) {
      const out = new ByteChunks(4);
      out.addUtf8(text);
      expect(out.take()).toEqual(new TextEncoder().encode(text));
    }
  });

  it('grows past its chunk for a long text and starts over once taken', () => {
    const out = new ByteChunks(8);
    out.add('ab');
    expect(out.full).toBe(false);
    out.addUtf8('ç'.repeat(100));
    out.addByte(59);
    out.addWhole(1_234_567);
    expect(out.full).toBe(true);
    expect(new TextDecoder().decode(out.take())).toBe(`ab${'ç'.repeat(100)};1234567`);
    expect(out.take()).toEqual(new Uint8Array(0));
    expect(() => out.add('não')).toThrow('Non-ASCII');
  });
});
