import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Writes generated records as JSON Lines, a megabyte at a time (a write per line is far slower),
 * stopping after `limit` of them; returns how many were written.
 */
export async function writeJsonLines(
  path: string,
  items: Iterable<unknown>,
  limit = Infinity,
): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  let buffer = '';
  for (const item of items) {
    if (count === limit) break;
    buffer += `${JSON.stringify(item)}\n`;
    count++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return count;
}
