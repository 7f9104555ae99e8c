import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, expect, type Page } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './browser.ts';

/** A supervisor's Chromium: no extension, just the PWA. */
export async function launchSupervisorBrowser(): Promise<Browser> {
  return chromium.launch({
    headless: true,
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
}

/** The zone the supervisors' browsers are in: reports default to it. */
export const SUPERVISOR_ZONE = 'America/Sao_Paulo';

export async function supervisorContext(browser: Browser, locale = 'en-US'): Promise<BrowserContext> {
  return browser.newContext({
    acceptDownloads: true,
    locale,
    timezoneId: SUPERVISOR_ZONE,
    viewport: { width: 1280, height: 900 },
  });
}

/** Signs in to the PWA and waits for the first sync to finish. */
export async function signInToApp(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('freshness')).toContainText('Data as of', { timeout: 30_000 });
}

/** Picks a report in the catalog and sets the period to today (local dates in the browser's zone). */
export async function chooseReport(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('button', { name: new RegExp(`^${title}`) }).click();
}

/** Clicks Generate and waits for the job on screen to be READY (or ERROR, returned as such). */
export async function generate(page: Page): Promise<string> {
  // A job already on screen (Ready) must not pass for the new one: wait for the card to change.
  const heading = page.locator('.current-job [data-testid="job"] h3');
  const before = (await heading.count()) > 0 ? await heading.getAttribute('id') : null;
  await page.getByRole('button', { name: 'Generate' }).click();
  if (before !== null) await expect(heading).not.toHaveAttribute('id', before);
  const status = page.locator('.current-job [data-testid="job-status"]');
  await expect(status).toHaveText(/Ready|Error/, { timeout: 60_000 });
  return (await status.textContent()) ?? '';
}

/** Clicks a download button of the current job and returns the file's bytes and name. */
export async function download(
  page: Page,
  format: 'CSV' | 'XLSX' | 'PDF',
): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page
      .locator('.current-job')
      .getByRole('button', { name: new RegExp(`^Download ${format}`) })
      .click(),
  ]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

/**
 * Enrolls a device through the API and pushes these events with it (a stand-in office); `sentAt`
 * is the device's clock at the push, for a device whose clock is off.
 */
export async function pushAsDevice(
  server: {
    call: (
      method: string,
      path: string,
      options?: { token?: string; body?: unknown },
    ) => Promise<{ status: number; body: unknown }>;
  },
  supervisorToken: string,
  events: object[],
  sentAt?: string,
): Promise<void> {
  const code = (await server.call('POST', '/api/v1/enrollment-codes', { token: supervisorToken, body: {} }))
    .body as {
    code: string;
  };
  const enrolled = (
    await server.call('POST', '/api/v1/devices/enroll', {
      body: { code: code.code, deviceName: 'office pc' },
    })
  ).body as { token: string };
  const pushed = await server.call('POST', '/api/v1/events/push', {
    token: enrolled.token,
    body: sentAt === undefined ? { events } : { events, sentAt },
  });
  expect(pushed.status).toBe(200);
  expect((pushed.body as { accepted: string[] }).accepted).toHaveLength(events.length);
}

/** A short day for two agents, ending a few minutes ago: login, a break, back, logout. */
export function twoAgentsDay(now = Date.now()): object[] {
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  return ['ana.souza', 'bruno.lima'].flatMap((agentId, index) => {
    const agentName = agentId === 'ana.souza' ? 'Ana Souza' : 'Bruno Lima';
    const base = { agentId, agentName, sessionId: `s-${agentId}` };
    return [
      {
        ...base,
        id: `${agentId}-1`,
        type: 'login',
        cause: 'page_load',
        at: at(50 - index),
        ip: '203.0.113.7',
      },
      { ...base, id: `${agentId}-2`, type: 'status', status: 'break', reason: 'Coffee', at: at(40 - index) },
      { ...base, id: `${agentId}-3`, type: 'status', status: 'available', at: at(30 - index) },
      { ...base, id: `${agentId}-4`, type: 'logout', at: at(10 - index) },
    ];
  });
}

/**
 * Writes many events straight into the signed-in app's local store, as sync stores them (chunks
 * of 5,000 as JSON text, day by day): each agent-day is a login, a break and a return every 11
 * minutes, and a logout. For the bench and for jobs that must run long enough to be cancelled.
 */
export async function seedLocalStore(
  page: Page,
  size: { events: number; agents: number; days: number },
): Promise<{ events: number; ms: number }> {
  // tsx names inner functions with a helper the page does not have.
  await page.evaluate('window.__name = (f) => f');
  return page.evaluate(
    async ({ events, agents, days, chunk }) => {
      const started = performance.now();
      const name = JSON.parse(localStorage.getItem('pontual.session')!).storeName as string;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      // Each agent-day: a login, breaks and returns every few minutes, a logout (~42 events).
      const perDay = Math.ceil(events / (agents * days));
      const today = new Date();
      today.setHours(8, 0, 0, 0);
      const reasons = ['Coffee', 'Training', 'Meeting', 'Lunch'];
      let batch: object[] = [];
      let written = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const ats = batch.map((event) => Date.parse((event as { at: string }).at));
        const record = {
          minAt: Math.min(...ats),
          maxAt: Math.max(...ats),
          count: batch.length,
          text: JSON.stringify(batch),
        };
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction('chunks', 'readwrite');
          tx.objectStore('chunks').add(record);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        written += batch.length;
        batch = [];
      };
      const names = Array.from({ length: agents }, (_, agent) => ({
        agentId: `agent.${agent}`,
        name: `Agent ${String(agent).padStart(4, '0')}`,
        lastAt: today.getTime(),
      }));
      // Day by day, as sync stores them: a pull returns events in the order they reached the server.
      for (let day = days - 1; day >= 0; day--) {
        for (const [agent, { agentId, name: agentName }] of names.entries()) {
          const start = today.getTime() - day * 86_400_000 + (agent % 60) * 60_000;
          const base = { agentId, agentName, sessionId: `${agentId}-${day}`, ip: '203.0.113.7' };
          const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
          batch.push({ ...base, id: `${agentId}-${day}-0`, type: 'login', cause: 'page_load', at: at(0) });
          for (let step = 1; step < perDay - 1; step++) {
            const onBreak = step % 2 === 1;
            batch.push({
              ...base,
              id: `${agentId}-${day}-${step}`,
              type: 'status',
              status: onBreak ? 'break' : 'available',
              ...(onBreak ? { reason: reasons[step % reasons.length] } : {}),
              at: at(step * 11),
            });
          }
          batch.push({ ...base, id: `${agentId}-${day}-end`, type: 'logout', at: at(perDay * 11) });
          if (batch.length >= chunk) await flush();
        }
      }
      await flush();
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['agents', 'cursors'], 'readwrite');
        for (const agent of names) tx.objectStore('agents').put(agent);
        // Activity's count beside its cursor (workers/local-store.ts `cursors`), the cursor kept.
        const cursors = tx.objectStore('cursors');
        const before = cursors.get('activity');
        before.onsuccess = () => {
          const row = before.result as { cursor: string; count: number } | undefined;
          cursors.put({ kind: 'activity', cursor: row?.cursor ?? '0', count: (row?.count ?? 0) + written });
        };
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      return { events: written, ms: performance.now() - started };
    },
    { ...size, chunk: 5_000 },
  );
}
