import { systemTimeZone, ZoneClock } from '../../shared/time/zone.ts';

/** `pontual-events-2026-03-10.jsonl`, with the local date of `now` in `timeZone`. */
export function exportFileName(now: number, timeZone = systemTimeZone()): string {
  const p = new ZoneClock(timeZone).parts(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `pontual-events-${String(p.year).padStart(4, '0')}-${pad(p.month)}-${pad(p.day)}.jsonl`;
}

/** Saves text as a file through a temporary `<a download>` link. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download holds its own reference by now; the page's is released a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
