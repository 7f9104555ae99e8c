import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { startServerProcess, tenantWithSupervisor } from '../tests/e2e/server-process.ts';
import {
  chooseReport,
  launchSupervisorBrowser,
  signInToApp,
  supervisorContext,
} from '../tests/e2e/supervisor.ts';
import { buildForBench } from './build.ts';
import { fmt } from './measure.ts';
import { run, shiftDays } from './pwa.ts';

/**
 * Tickets seeded into the PWA's store, 20 messages each: 50,000 tickets are 1M messages
 * (`PONTUAL_BENCH_ATTENDANCE_TICKETS=200000` for the 4M, if the machine has the time
 * and memory to seed them).
 */
const TICKETS = Number(process.env.PONTUAL_BENCH_ATTENDANCE_TICKETS ?? 50_000);
const MESSAGES_PER_TICKET = 20;
const DAYS = 30;

/**
 * Issue 12 in the PWA: `attendance-history` over the tickets and messages of the local store,
 * Generate → downloadable CSV through the report worker, and the longest main-thread task.
 */
export async function benchAttendancePwa(): Promise<void> {
  buildForBench('pwa');
  const server = await startServerProcess();
  const browser = await launchSupervisorBrowser();
  try {
    const supervisor = await tenantWithSupervisor(server);
    const context = await supervisorContext(browser);
    const page = await context.newPage();
    await signInToApp(page, server.url, supervisor.email, supervisor.password);
    const seeded = await seedAttendance(page, { tickets: TICKETS, messagesPerTicket: MESSAGES_PER_TICKET });
    console.log(
      `store: ${fmt(seeded.tickets)} tickets (${fmt(seeded.steps)} steps) and ${fmt(seeded.messages)} messages over ${DAYS} days, written in ${fmt(seeded.ms)} ms`,
    );
    await page.reload();
    await chooseReport(page, 'Attendance history');
    const today = await page.getByLabel('To (inclusive)').inputValue();
    const cpuBefore = chromiumCpuMs();
    await run(page, `attendance-history CSV, ${fmt(seeded.messages)} messages, ${DAYS} days`, {
      from: shiftDays(today, -DAYS),
      to: today,
      formats: ['CSV'],
      targetMs: 15_000,
    });
    console.log(
      `  CPU time of Chromium's processes over that run: ${fmt(chromiumCpuMs() - cpuBefore)} ms (less moved by other work on the machine than the wall time)`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Writes tickets (opened in a queue, taken by an agent, closed) and their conversations (contact
 * and agent in turn) straight into the PWA's local store, as sync would have stored them: one
 * `records` chunk per kind and 5,000 records. The same shape as bench/attendance-run.ts's.
 */
async function seedAttendance(
  page: Page,
  size: { tickets: number; messagesPerTicket: number },
): Promise<{ tickets: number; steps: number; messages: number; ms: number }> {
  await page.evaluate('window.__name = (f) => f');
  return page.evaluate(
    async ({ tickets, messagesPerTicket, days, chunk }) => {
      const started = performance.now();
      const name = JSON.parse(localStorage.getItem('pontual.session')!).storeName as string;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const write = (kind: string, batch: { at: string }[]) => {
        let minAt = Number.POSITIVE_INFINITY;
        let maxAt = Number.NEGATIVE_INFINITY;
        for (const record of batch) {
          const at = Date.parse(record.at);
          minAt = Math.min(minAt, at);
          maxAt = Math.max(maxAt, at);
        }
        const row = { kind, minAt, maxAt, count: batch.length, text: JSON.stringify(batch) };
        return new Promise<void>((resolve, reject) => {
          const tx = db.transaction('records', 'readwrite');
          tx.objectStore('records').add(row);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      };
      const words =
        'olá bom dia fatura ação não é possível verificar obrigado já pedido entrega prazo 😀 👍 ok'.split(
          ' ',
        );
      const queues = ['Billing', 'Support', 'Sales', 'Retention'];
      // Every ticket well inside the last `days` days, its conversation 15 minutes long.
      const start = Date.now() - days * 86_400_000 + 3_600_000;
      const span = (days - 1) * 86_400_000;
      let steps: { at: string; [field: string]: unknown }[] = [];
      let messages: { at: string }[] = [];
      let stepCount = 0;
      let messageCount = 0;
      for (let index = 0; index < tickets; index++) {
        const ticketId = `T-${index}`;
        const contact = `55119${String(10_000_000 + index)}`;
        const business = '551133334444';
        const agent = { agentId: `agent.${index % 200}`, agentName: `Agent ${index % 200}` };
        const queue = queues[index % queues.length]!;
        let at = start + ((index * 7_919_000) % span);
        const iso = () => new Date(at).toISOString();
        const base = { type: 'ticket', ticketId, contact, business, queue, kind: 'receptive' };
        steps.push({
          ...base,
          id: `t:${ticketId}:o`,
          at: iso(),
          action: 'opened',
          contactName: `Contato ${index}`,
        });
        at += 30_000;
        steps.push({ ...base, id: `t:${ticketId}:a`, at: iso(), action: 'assigned', ...agent });
        for (let m = 0; m < messagesPerTicket; m++) {
          at += 45_000;
          const mo = m % 2 === 0;
          const text = Array.from(
            { length: 4 + ((index + m) % 12) },
            (_, w) => words[(index + m * 3 + w) % words.length],
          ).join(' ');
          messages.push({
            id: `m:${ticketId}:${m}`,
            type: 'message',
            at: iso(),
            messageId: `wamid.${index}.${m}`,
            channel: 'whatsapp',
            direction: mo ? 'MO' : 'MT',
            contact,
            business,
            contentType: 'text',
            text,
            ticketId,
            queue,
            ...(mo ? {} : { origin: 'attendance', ...agent }),
          } as { at: string });
          messageCount++;
        }
        at += 60_000;
        steps.push({
          ...base,
          id: `t:${ticketId}:c`,
          at: iso(),
          action: 'closed',
          ...agent,
          tag: 'Resolved',
        });
        stepCount += 3;
        if (steps.length >= chunk) {
          await write('ticket', steps);
          steps = [];
        }
        if (messages.length >= chunk) {
          await write('message', messages);
          messages = [];
        }
      }
      if (steps.length > 0) await write('ticket', steps);
      if (messages.length > 0) await write('message', messages);
      db.close();
      return { tickets, steps: stepCount, messages: messageCount, ms: performance.now() - started };
    },
    { ...size, days: DAYS, chunk: 5_000 },
  );
}

/**
 * CPU time (user + system, ms) of the Chromium processes this bench started (its descendants),
 * from /proc: the report worker runs in one of them.
 */
function chromiumCpuMs(): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  const isChromium = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // `pid (comm) state ppid …`: comm may hold spaces, so the fields count from its closing parenthesis.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const pid = Number(entry);
    parents.set(pid, Number(fields[1]));
    cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS);
    if (/chrom/i.test(stat.slice(stat.indexOf('(') + 1, close))) isChromium.add(pid);
  }
  const ours = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
      if (at === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const pid of isChromium) if (ours(pid)) total += cpu.get(pid)!;
  return total;
}

/** `getconf CLK_TCK` on Linux. */
const CLOCK_TICKS = 100;
