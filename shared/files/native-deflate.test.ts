import { gzipSync, inflateSync, strFromU8, strToU8, unzipSync, Zip } from 'fflate';
import { describe, expect, it } from 'vitest';
import { GzipBody, gzipHeaderLength, nativeDeflateEntry } from './native-deflate.ts';

/** Deterministic, poorly compressible bytes (so the compressor's output has many chunks). */
function noise(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let x = 0x2545f491;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

const join = (parts: Uint8Array[]) => {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
};

/** fflate's (JavaScript) gzip of `data`: its trailer holds the CRC-32 the native one must match. */
const trailerOf = (data: Uint8Array) => {
  const gz = gzipSync(data);
  const view = new DataView(gz.buffer, gz.byteOffset + gz.length - 8, 8);
  return { crc: view.getUint32(0, true), size: view.getUint32(4, true) };
};

describe('gzipHeaderLength', () => {
  it('reads the fixed header and every optional field, and waits while one is incomplete', () => {
    expect(gzipHeaderLength(Uint8Array.of(31, 139, 8, 0, 0, 0, 0, 0, 0, 3))).toBe(10);
    // FEXTRA (3 bytes), FNAME "ab", FCOMMENT "c", FHCRC.
    const full = Uint8Array.of(
      31,
      139,
      8,
      4 | 8 | 16 | 2,
      0,
      0,
      0,
      0,
      0,
      3,
      3,
      0,
      1,
      2,
      3,
      97,
      98,
      0,
      99,
      0,
      7,
      7,
    );
    expect(gzipHeaderLength(full)).toBe(full.length);
    for (let cut = 0; cut < full.length; cut++) expect(gzipHeaderLength(full.subarray(0, cut))).toBe(-1);
  });

  it('names the bytes of a stream that is not gzip', () => {
    expect(() => gzipHeaderLength(Uint8Array.of(80, 75, 3, 4, 0, 0, 0, 0, 0, 0))).toThrow(
      'Not a gzip DEFLATE stream: it starts with bytes 80,75,3, not 31,139,8',
    );
  });
});

describe('GzipBody', () => {
  it('yields exactly the DEFLATE body and the trailer however the stream is cut', () => {
    const data = noise(5000);
    const gz = gzipSync(data, { filename: 'named.xml' }); // a header with FNAME
    for (const step of [1, 3, 7, 8, 9, 4096, gz.length]) {
      const body = new GzipBody();
      const parts: Uint8Array[] = [];
      for (let at = 0; at < gz.length; at += step) parts.push(...body.push(gz.subarray(at, at + step)));
      expect(inflateSync(join(parts)), `chunks of ${step}`).toEqual(data);
      expect(body.end('named.xml')).toEqual(trailerOf(data));
    }
  });

  it('says which stream ended without its trailer', () => {
    const body = new GzipBody();
    body.push(gzipSync(strToU8('x')).subarray(0, 14));
    expect(() => body.end('xl/styles.xml')).toThrow(
      'The gzip stream of xl/styles.xml ended without its 8-byte trailer',
    );
  });
});

describe('nativeDeflateEntry', () => {
  it('makes zip entries a reader inflates back, with the CRC-32 and size of what was written', async () => {
    const output: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      output.push(chunk);
    });
    const big = noise(300_000);
    const first = nativeDeflateEntry('a/noise.bin');
    zip.add(first.file);
    for (let at = 0; at < big.length; at += 65_536) await first.write(big.subarray(at, at + 65_536));
    await first.end();
    expect({ crc: first.file.crc, size: first.file.size }).toEqual(trailerOf(big));

    const empty = nativeDeflateEntry('empty.xml');
    zip.add(empty.file);
    await empty.end();
    const text = nativeDeflateEntry('text.xml');
    zip.add(text.file);
    await text.write(strToU8('<a>Conceição</a>'));
    await text.end();
    zip.end();

    const files = unzipSync(join(output));
    expect(files['a/noise.bin']).toEqual(big);
    expect(files['empty.xml']).toEqual(new Uint8Array(0));
    expect(strFromU8(files['text.xml']!)).toBe('<a>Conceição</a>');
  });
});
