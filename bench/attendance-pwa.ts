import type { Page } from '@playwright/test';
import type { AnyRecord } from '../shared/records/registry.ts';
import { startServerProcess, tenantWithSupervisor } from '../tests/e2e/server-process.ts';
import {
  chooseReport,
  launchSupervisorBrowser,
  signInToApp,
  supervisorContext,
} from '../tests/e2e/supervisor.ts';
import type { recordChunk as RecordChunkFn } from '../workers/local-store.ts';
import { buildForBench } from './build.ts';
import type { generateTicket as GenerateTicketFn } from './generate-tickets.ts';
import { fmt } from './measure.ts';
import { loadIntoPage, run, shiftDays } from './pwa.ts';

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
    await run(page, `attendance-history CSV, ${fmt(seeded.messages)} messages, ${DAYS} days`, {
      from: shiftDays(today, -DAYS),
      to: today,
      formats: ['CSV'],
      targetMs: 15_000,
    });
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Writes tickets (opened in a queue, taken by an agent, closed) and their conversations (contact
 * and agent in turn) straight into the PWA's local store, as sync would have stored them: one
 * `records` chunk per kind and 5,000 records, built in the page by the store's own `recordChunk`
 * from the generator bench/attendance-run.ts uses (bench/generate-tickets.ts).
 */
async function seedAttendance(
  page: Page,
  size: { tickets: number; messagesPerTicket: number },
): Promise<{ tickets: number; steps: number; messages: number; ms: number }> {
  await loadIntoPage(
    page,
    "export { recordChunk } from './workers/local-store.ts'; export { generateTicket } from './bench/generate-tickets.ts';",
  );
  return page.evaluate(
    async ({ tickets, messagesPerTicket, days, chunk }) => {
      const started = performance.now();
      const { recordChunk, generateTicket } = (
        window as unknown as {
          PontualBench: { recordChunk: typeof RecordChunkFn; generateTicket: typeof GenerateTicketFn };
        }
      ).PontualBench;
      const name = JSON.parse(localStorage.getItem('pontual.session')!).storeName as string;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const write = (kind: 'ticket' | 'message', batch: AnyRecord[]) =>
        new Promise<void>((resolve, reject) => {
          const tx = db.transaction('records', 'readwrite');
          tx.objectStore('records').add(recordChunk(kind, batch));
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      // Every ticket well inside the last `days` days.
      const period = { start: Date.now() - days * 86_400_000 + 3_600_000, days };
      let steps: AnyRecord[] = [];
      let messages: AnyRecord[] = [];
      let stepCount = 0;
      let messageCount = 0;
      for (let index = 0; index < tickets; index++) {
        for (const record of generateTicket(index, messagesPerTicket, 45_000, period)) {
          if (record.type === 'message') {
            messages.push(record);
            messageCount++;
          } else {
            steps.push(record);
            stepCount++;
          }
        }
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
