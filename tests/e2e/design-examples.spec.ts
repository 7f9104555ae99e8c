import { expect, test } from '@playwright/test';
import { type AttendanceServer, startAttendanceServer } from '../fixtures/attendance/server.ts';
import { chooseStatus, launchAgentBrowser, signIn, sleep } from './browser.ts';
import { activityLines, exportCapturedEvents, waitForStored } from './captured.ts';
import { expectActivity } from './expect-lines.ts';

// DESIGN §4's worked examples, driven on the reference attendance screen in compressed time.

let server: AttendanceServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Waits until `seconds` after `start` (compressed schedule), whatever the steps before took. */
const at = async (start: number, seconds: number) => sleep(Math.max(0, start + seconds * 1000 - Date.now()));

test('A. break, F5, logout (1 minute = 1 second)', async () => {
  server = await startAttendanceServer({ port: 0 });
  const agent = await launchAgentBrowser();
  try {
    const page = await agent.context.newPage();
    await signIn(page, server.url, 'fabio.rocha');
    const start = Date.now();
    await at(start, 3);
    await chooseStatus(page, 'break:Coffee');
    await at(start, 12);
    await chooseStatus(page, 'available');
    await at(start, 20);
    await page.reload();
    await page.waitForSelector('#connection-state:text("connected")');
    await at(start, 21);
    await page.click('#logout-button');
    await waitForStored(agent.context, agent.extensionId, { type: 'logout', count: 1 });

    const events = await exportCapturedEvents(agent.context, agent.extensionId);
    expect(
      events.every((event) => event.agentName === 'Fabio Rocha' && event.agentId === 'fabio.rocha'),
    ).toBe(true);
    expect(
      events.filter((event) => event.type === 'login').map((event) => event.type === 'login' && event.cause),
    ).toEqual(['page_load', 'refresh']);
    expectActivity(activityLines(events), [
      ['Login', 20],
      ['Break - Coffee', 9],
      ['Login', 1],
      ['Logout', 0],
    ]);
  } finally {
    await agent.close();
  }
});

test('B. F5 during a break (1 minute = 1 second)', async () => {
  server = await startAttendanceServer({ port: 0 });
  const agent = await launchAgentBrowser();
  try {
    const page = await agent.context.newPage();
    await signIn(page, server.url, 'fabio.rocha');
    const start = Date.now(); // 09:58:10
    await at(start, 0.83); // 09:59:00
    await chooseStatus(page, 'break:Training');
    await at(start, 9.53); // 10:07:42
    await page.reload();
    await page.waitForSelector('#connection-state:text("connected")');
    await at(start, 11.83); // 10:10:00
    await chooseStatus(page, 'break:Meeting');
    await at(start, 16.67); // 10:14:50
    await page.click('#logout-button');
    await waitForStored(agent.context, agent.extensionId, { type: 'logout', count: 1 });

    expectActivity(activityLines(await exportCapturedEvents(agent.context, agent.extensionId)), [
      ['Login', 9.53],
      ['Break - Training', 8.7],
      ['Login', 7.14],
      ['Break - Training', 2.3],
      ['Break - Meeting', 4.84],
      ['Logout', 0],
    ]);
  } finally {
    await agent.close();
  }
});

test('C. token renewal during a long break (1 hour = 2 seconds)', async () => {
  server = await startAttendanceServer({ port: 0, renewTokenMs: 4_000 });
  const agent = await launchAgentBrowser();
  try {
    const page = await agent.context.newPage();
    await signIn(page, server.url, 'fabio.rocha'); // 08:00:00
    const start = Date.now();
    await chooseStatus(page, 'break:Lunch'); // 08:00:03
    await waitForStored(agent.context, agent.extensionId, { type: 'login', count: 3 }, 15_000); // renewals at 10:00 and 12:00
    await at(start, 9); // 12:30
    await chooseStatus(page, 'available');
    await at(start, 10); // 13:00
    await page.click('#logout-button');
    await waitForStored(agent.context, agent.extensionId, { type: 'logout', count: 1 });

    const events = await exportCapturedEvents(agent.context, agent.extensionId);
    expect(
      events.filter((event) => event.type === 'login').map((event) => event.type === 'login' && event.cause),
    ).toEqual(['page_load', 'token_renewal', 'token_renewal']);
    expectActivity(activityLines(events), [
      ['Login', 4],
      ['Break - Lunch', 4],
      ['Login', 4],
      ['Break - Lunch', 4],
      ['Login', 2],
      ['Break - Lunch', 1],
      ['Logout', 0],
    ]);
  } finally {
    await agent.close();
  }
});
