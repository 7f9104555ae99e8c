import { chooseStatus, signIn } from './browser.ts';
import { activityLines, waitForStored } from './captured.ts';
import { expectActivity } from './expect-lines.ts';
import { at, expect, loginCauses, logOutAndExport, test } from './fixtures.ts';

// DESIGN §4's worked examples, driven on the reference attendance screen in compressed time.

test('A. break, F5, logout (1 minute = 1 second)', async ({ attendance, agent }) => {
  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha'); // 15:41:00
  const start = Date.now();
  await at(start, 3); // 15:44:00
  await chooseStatus(page, 'break:Coffee');
  await at(start, 12); // 15:53:00
  await chooseStatus(page, 'available');
  await at(start, 20); // 16:01:00
  await page.reload();
  await page.waitForSelector('#connection-state:text("connected")');
  await at(start, 21); // 16:02:00
  const events = await logOutAndExport(agent, page);

  expect(events.every((event) => event.agentName === 'Fabio Rocha' && event.agentId === 'fabio.rocha')).toBe(
    true,
  );
  expect(loginCauses(events)).toEqual(['page_load', 'refresh']);
  expectActivity(activityLines(events), [
    ['Login', 20],
    ['Break - Coffee', 9],
    ['Login', 1],
    ['Logout', 0],
  ]);
});

test('B. F5 during a break (1 minute = 1 second)', async ({ attendance, agent }) => {
  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha'); // 09:58:10
  const start = Date.now();
  await at(start, 0.83); // 09:59:00
  await chooseStatus(page, 'break:Training');
  await at(start, 9.53); // 10:07:42
  await page.reload();
  await page.waitForSelector('#connection-state:text("connected")');
  await at(start, 11.83); // 10:10:00
  await chooseStatus(page, 'break:Meeting');
  await at(start, 16.67); // 10:14:50

  expectActivity(activityLines(await logOutAndExport(agent, page)), [
    ['Login', 9.53],
    ['Break - Training', 8.7],
    ['Login', 7.14],
    ['Break - Training', 2.3],
    ['Break - Meeting', 4.84],
    ['Logout', 0],
  ]);
});

test.describe('with renewals every 4 seconds', () => {
  test.use({ renewTokenMs: 4_000 });

  test('C. token renewal during a long break (1 hour = 2 seconds)', async ({ attendance, agent }) => {
    const page = await agent.context.newPage();
    await signIn(page, attendance.url, 'fabio.rocha'); // 08:00:00
    const start = Date.now();
    await chooseStatus(page, 'break:Lunch'); // 08:00:03
    await waitForStored(agent.context, agent.extensionId, { type: 'login', count: 3 }, 15_000); // 10:00, 12:00
    await at(start, 9); // 12:30
    await chooseStatus(page, 'available');
    await at(start, 10); // 13:00
    const events = await logOutAndExport(agent, page);

    expect(loginCauses(events)).toEqual(['page_load', 'token_renewal', 'token_renewal']);
    expectActivity(activityLines(events), [
      ['Login', 4],
      ['Break - Lunch', 4],
      ['Login', 4],
      ['Break - Lunch', 4],
      ['Login', 2],
      ['Break - Lunch', 1],
      ['Logout', 0],
    ]);
  });
});
