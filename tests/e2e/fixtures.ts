import { test as base, type Page } from '@playwright/test';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import { type AttendanceServer, startAttendanceServer } from '../fixtures/attendance/server.ts';
import { launchAgentBrowser, sleep } from './browser.ts';
import { exportCapturedEvents, waitForStored } from './captured.ts';

type AgentBrowser = Awaited<ReturnType<typeof launchAgentBrowser>>;

/**
 * Each test gets the reference attendance screen (its own server) and an agent's Chromium with
 * the built extension; both are closed after the test.
 */
export const test = base.extend<{
  renewTokenMs: number;
  agentLocale: string | undefined;
  attendance: AttendanceServer;
  agent: AgentBrowser;
}>({
  renewTokenMs: [2 * 3_600_000, { option: true }],
  agentLocale: [undefined, { option: true }],
  attendance: async ({ renewTokenMs }, use) => {
    const server = await startAttendanceServer({ port: 0, renewTokenMs });
    await use(server);
    await server.close();
  },
  agent: async ({ agentLocale }, use) => {
    const agent = await launchAgentBrowser({ locale: agentLocale });
    await use(agent);
    await agent.close();
  },
});

export { expect } from '@playwright/test';

/** Waits until `seconds` after `start` on the compressed schedule, whatever the steps before took. */
export const at = (start: number, seconds: number) => sleep(Math.max(0, start + seconds * 1000 - Date.now()));

/** Clicks the screen's logout, waits until the extension stored it, and exports the events. */
export async function logOutAndExport(agent: AgentBrowser, page: Page): Promise<ActivityEvent[]> {
  await page.click('#logout-button');
  await waitForStored(agent.context, agent.extensionId, { type: 'logout', count: 1 });
  return exportCapturedEvents(agent.context, agent.extensionId);
}

/** The causes of the logins, in order. */
export const loginCauses = (events: ActivityEvent[]) =>
  events.flatMap((event) => (event.type === 'login' ? [event.cause] : []));
