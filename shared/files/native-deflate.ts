import type { ZipInputFile } from 'fflate';

/** Bytes on an `ArrayBuffer` (what streams take and give). */
type Bytes = Uint8Array<ArrayBuffer>;

/**
 * One zip entry compressed by the platform's `CompressionStream` (a web standard in browsers and
 * Node ≥ 18, so `shared/` stays pure): native zlib runs several times faster than fflate's
 * JavaScript DEFLATE. It compresses as gzip rather than `deflate-raw` because gzip's trailer
 * carries the CRC-32 the zip entry needs, computed natively too; the gzip header and trailer are
 * cut off and the raw DEFLATE between them is the entry's data. `file` goes to fflate's `Zip.add`.
 */
export interface NativeDeflateEntry {
  readonly file: ZipInputFile;
  /** Compresses the bytes; resolves once the compressor has taken them (that is the back-pressure). */
  write(bytes: Bytes): Promise<void>;
  /** Ends the entry: flushes the compressor and hands fflate the CRC-32 and size. */
  end(): Promise<void>;
}

const GZIP_TRAILER = 8;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/**
 * Length of the gzip header (RFC 1952 §2.3) at the start of `head`, or -1 while it is incomplete.
 * Compressors write the 10 fixed bytes only, but the optional fields are allowed, so they are read.
 */
export function gzipHeaderLength(head: Uint8Array): number {
  if (head.length < 10) return -1;
  if (head[0] !== 0x1f || head[1] !== 0x8b || head[2] !== 8) {
    throw new Error(
      `Not a gzip DEFLATE stream: it starts with bytes ${[...head.subarray(0, 3)].join(',')}, not 31,139,8`,
    );
  }
  const flags = head[3]!;
  let at = 10;
  if (flags & FEXTRA) {
    if (head.length < at + 2) return -1;
    at += 2 + (head[at]! | (head[at + 1]! << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const zero = head.indexOf(0, at);
      if (zero < 0) return -1;
      at = zero + 1;
    }
  }
  if (flags & FHCRC) at += 2;
  return at <= head.length ? at : -1;
}

function concat(a: Bytes, b: Bytes): Bytes {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Unwraps a gzip stream read in chunks of any size: `push` returns the raw DEFLATE bytes known to
 * be neither header nor trailer yet; `end` reads the trailer.
 */
export class GzipBody {
  /** Bytes read before the header was complete; null once it was cut off. */
  private head: Bytes | null = new Uint8Array(0);
  /** The last bytes read, held back: at the end they are the trailer. */
  private tail: Bytes = new Uint8Array(0);

  push(chunk: Bytes): Bytes[] {
    let data = chunk;
    if (this.head) {
      this.head = concat(this.head, data);
      const length = gzipHeaderLength(this.head);
      if (length < 0) return [];
      data = this.head.subarray(length);
      this.head = null;
    }
    const body: Bytes[] = [];
    if (data.length >= GZIP_TRAILER) {
      if (this.tail.length > 0) body.push(this.tail);
      if (data.length > GZIP_TRAILER) body.push(data.subarray(0, data.length - GZIP_TRAILER));
      this.tail = data.subarray(data.length - GZIP_TRAILER);
    } else {
      const joined = concat(this.tail, data);
      if (joined.length > GZIP_TRAILER) body.push(joined.subarray(0, joined.length - GZIP_TRAILER));
      this.tail = joined.subarray(Math.max(0, joined.length - GZIP_TRAILER));
    }
    return body;
  }

  /** The trailer's CRC-32 and size (modulo 2³²) of the uncompressed data. */
  end(what: string): { crc: number; size: number } {
    if (this.head || this.tail.length < GZIP_TRAILER) {
      throw new Error(`The gzip stream of ${what} ended without its 8-byte trailer`);
    }
    const view = new DataView(this.tail.buffer, this.tail.byteOffset, GZIP_TRAILER);
    return { crc: view.getUint32(0, true), size: view.getUint32(4, true) };
  }
}

/** A zip entry named `filename` whose data is DEFLATE-compressed natively (see `NativeDeflateEntry`). */
export function nativeDeflateEntry(filename: string): NativeDeflateEntry {
  const file: ZipInputFile = { filename, size: 0, crc: 0, compression: 8 };
  const gzip = new CompressionStream('gzip');
  const writer = gzip.writable.getWriter();
  const reader = gzip.readable.getReader();
  const body = new GzipBody();
  let size = 0;

  // Reads while the entry is written, so the compressor's output never piles up inside it.
  const drained = (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      for (const chunk of body.push(read.value)) file.ondata!(null, chunk, false);
    }
  })();
  // A failure surfaces from write/end; this keeps it from being reported as unhandled meanwhile.
  drained.catch(() => {});

  return {
    file,
    async write(bytes) {
      size += bytes.length;
      await writer.write(bytes);
    },
    async end() {
      await writer.close();
      await drained;
      const trailer = body.end(filename);
      if (trailer.size !== size % 2 ** 32) {
        throw new Error(
          `The gzip stream of ${filename} counted ${trailer.size} bytes, but ${size} were written`,
        );
      }
      file.crc = trailer.crc;
      file.size = size;
      file.ondata!(null, new Uint8Array(0), true);
    },
  };
}
