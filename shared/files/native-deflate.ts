import type { ZipInputFile } from 'fflate';

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
  write(bytes: Uint8Array): Promise<void>;
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
      `CompressionStream('gzip') wrote no gzip DEFLATE header (bytes ${[...head.subarray(0, 3)].join(',')})`,
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** A zip entry named `filename` whose data is DEFLATE-compressed natively (see `NativeDeflateEntry`). */
export function nativeDeflateEntry(filename: string): NativeDeflateEntry {
  const file: ZipInputFile = { filename, size: 0, crc: 0, compression: 8 };
  const emit = (chunk: Uint8Array, final: boolean) => file.ondata!(null, chunk, final);

  const gzip = new CompressionStream('gzip');
  const writer = gzip.writable.getWriter();
  const reader = gzip.readable.getReader();
  let size = 0;
  /** Bytes read before the header was complete; null once it was cut off. */
  let head: Uint8Array | null = new Uint8Array(0);
  /** The last bytes read, held back: at the end they are the trailer. */
  let tail = new Uint8Array(0);

  const take = (chunk: Uint8Array) => {
    let data = chunk;
    if (head) {
      head = concat(head, data);
      const length = gzipHeaderLength(head);
      if (length < 0) return;
      data = head.subarray(length);
      head = null;
    }
    if (data.length >= GZIP_TRAILER) {
      if (tail.length > 0) emit(tail, false);
      if (data.length > GZIP_TRAILER) emit(data.subarray(0, data.length - GZIP_TRAILER), false);
      tail = data.subarray(data.length - GZIP_TRAILER);
    } else {
      const joined = concat(tail, data);
      if (joined.length > GZIP_TRAILER) emit(joined.subarray(0, joined.length - GZIP_TRAILER), false);
      tail = joined.subarray(Math.max(0, joined.length - GZIP_TRAILER));
    }
  };
  // Reads while the entry is written, so the compressor's output never piles up inside it.
  const drained = (async () => {
    for (let read = await reader.read(); !read.done; read = await reader.read()) take(read.value);
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
      if (head || tail.length < GZIP_TRAILER) {
        throw new Error(`CompressionStream('gzip') ended ${filename} without its 8-byte trailer`);
      }
      const view = new DataView(tail.buffer, tail.byteOffset, GZIP_TRAILER);
      const storedSize = view.getUint32(4, true);
      if (storedSize !== size % 2 ** 32) {
        throw new Error(
          `CompressionStream('gzip') counted ${storedSize} bytes for ${filename}, but ${size} were written`,
        );
      }
      file.crc = view.getUint32(0, true);
      file.size = size;
      emit(new Uint8Array(0), true);
    },
  };
}
