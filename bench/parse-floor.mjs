// The floor for the CLI: only read a JSON Lines file and JSON.parse each line, nothing else.
// Whole lines are decoded at once, as the CLI's reader does (shared/records/jsonl.ts): a newline
// byte never falls inside a UTF-8 sequence. With `--streaming`, the floor the figures before
// 3 Dec 2026 were taken against (unchanged): a stream and a streaming TextDecoder, which in Node takes a path about three
// times as costly, so that floor was mostly decoding.
// The whole-line floor reads 64 KiB at a time, as the CLI does (READ_CHUNK_BYTES in shared/records/jsonl.ts): a megabyte's
// decoded text is a large object in V8, and this floor was a third slower for it.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';

const [file, mode] = process.argv.slice(2);
const fd = openSync(file, 'r');
const buffer = Buffer.allocUnsafe(1 << 16);
const decoder = new TextDecoder();
let count = 0;
const parse = (line) => {
  if (line !== '' && JSON.parse(line)) count++;
};
if (mode === '--streaming') {
  let carry = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const lines = (carry + decoder.decode(chunk, { stream: true })).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) parse(line);
  }
  parse(carry + decoder.decode());
} else {
  let carry = Buffer.alloc(0);
  for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
    const chunk =
      carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, read)]) : buffer.subarray(0, read);
    const last = chunk.lastIndexOf(10);
    if (last >= 0) for (const line of decoder.decode(chunk.subarray(0, last)).split('\n')) parse(line);
    carry = Buffer.from(chunk.subarray(last + 1));
  }
  parse(decoder.decode(carry));
}
closeSync(fd);
process.stdout.write(`${count}\n`);
