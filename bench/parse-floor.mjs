// The floor for the CLI: only read a JSON Lines file and JSON.parse each line, nothing else.
import { createReadStream } from 'node:fs';

let carry = '';
let count = 0;
const decoder = new TextDecoder();
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20 })) {
  const lines = (carry + decoder.decode(chunk, { stream: true })).split('\n');
  carry = lines.pop() ?? '';
  for (const line of lines) if (line !== '' && JSON.parse(line)) count++;
}
if (carry !== '' && JSON.parse(carry)) count++;
process.stdout.write(`${count}\n`);
