import { chooseStatus, signIn } from './browser.ts';
import { activityLines, exportCapturedEvents, waitForStored } from './captured.ts';
import { expectActivity } from './expect-lines.ts';
import { at, expect, loginCauses, logOutAndExport, test } from './fixtures.ts';

// The capture scenarios of issue 3, each in compressed time on the reference attendance screen.

test('"use here" in a second tab takes the session over', async ({ attendance, agent }) => {
  const first = await agent.context.newPage();
  await signIn(first, attendance.url, 'fabio.rocha');
  const start = Date.now();
  await at(start, 2);
  await chooseStatus(first, 'break:Training');
  const second = await agent.context.newPage();
  await second.goto(attendance.url);
  await second.fill('#username', 'fabio.rocha');
  await second.fill('#password', 'secret');
  await second.click('#login-button');
  await second.waitForSelector('#use-here-button');
  await at(start, 5);
  await second.click('#use-here-button');
  await first.waitForSelector('#session-taken', { state: 'visible' });
  await second.waitForSelector('#connection-state:text("connected")');
  await at(start, 8);
  const events = await logOutAndExport(agent, second);

  expect(loginCauses(events)).toEqual(['page_load', 'use_here']);
  expectActivity(activityLines(events), [
    ['Login', 5],
    ['Break - Training', 3],
    ['Login', 3],
    ['Break - Training', 3],
    ['Logout', 0],
  ]);
});

test('a connection drop during a break: a new login and the same break after reconnecting', async ({
  attendance,
  agent,
}) => {
  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha');
  const start = Date.now();
  await at(start, 2);
  await chooseStatus(page, 'break:Lunch');
  await at(start, 4);
  await agent.context.setOffline(true);
  attendance.dropConnections();
  await page.waitForSelector('#unstable-connection', { state: 'visible' });
  await at(start, 7);
  await agent.context.setOffline(false);
  await page.waitForSelector('#unstable-connection', { state: 'hidden' });
  await at(start, 9);
  await chooseStatus(page, 'available');
  await at(start, 10);
  const events = await logOutAndExport(agent, page);

  expect(loginCauses(events)).toEqual(['page_load', 'reconnect']);
  expectActivity(activityLines(events), [
    ['Login', 7],
    ['Break - Lunch', 5],
    ['Login', 3],
    ['Break - Lunch', 2],
    ['Logout', 0],
  ]);
});

test('a network change is a new login', async ({ attendance, agent }) => {
  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha');
  const start = Date.now();
  const cdp = await agent.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await at(start, 2);
  // From broadband to a mobile network, as the DevTools network panel does it.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 300,
    downloadThroughput: 50_000,
    uploadThroughput: 20_000,
    connectionType: 'cellular3g',
  });
  await waitForStored(agent.context, agent.extensionId, { type: 'login', count: 2 });
  await at(start, 4);
  const events = await logOutAndExport(agent, page);

  expect(loginCauses(events)).toEqual(['page_load', 'network_change']);
  expectActivity(activityLines(events), [
    ['Login', 2],
    ['Login', 2],
    ['Logout', 0],
  ]);
});

test('a tab closed without logout: the rows end at its last sign of life', async ({ attendance, agent }) => {
  // Heartbeats every second instead of every minute, set as an admin would.
  const options = await agent.context.newPage();
  await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
  await options.fill('#adapter-heartbeat-seconds', '1');
  await options.click('#save-settings');
  await expect(options.locator('#settings-message')).toContainText(/Saved|Salvo/);
  await options.close();

  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha');
  const start = Date.now();
  await at(start, 2);
  await chooseStatus(page, 'break:Meeting');
  await at(start, 5);
  await page.close();
  const closedAt = Date.now();

  const events = await exportCapturedEvents(agent.context, agent.extensionId);
  // Only the latest heartbeat of the session is kept.
  expect(events.filter((event) => event.type === 'heartbeat')).toHaveLength(1);
  // Four minutes later the session is silent for more than three: its rows end at the heartbeat.
  const lines = activityLines(events, closedAt + 4 * 60_000);
  expect(lines.every((line) => !line.ongoing)).toBe(true);
  expectActivity(lines, [
    ['Login', 4.5],
    ['Break - Meeting', 2.5],
  ]);
});

test('the background service worker stopped mid-shift loses nothing', async ({ attendance, agent }) => {
  const options = await agent.context.newPage();
  await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
  const cdp = await agent.context.newCDPSession(options);
  // The latest running status of each worker version, and how many times one reported stopping.
  const runningStatus = new Map<string, string>();
  let stops = 0;
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) {
      runningStatus.set(version.versionId, version.runningStatus);
      if (version.runningStatus === 'stopped') stops++;
    }
  });
  await cdp.send('ServiceWorker.enable');
  const anyWorkerRunning = () => [...runningStatus.values()].includes('running');
  // Stops the extension's service worker, as Chrome does after 30 s idle, and waits until it has.
  // It first waits for the agent's last action to have woken the worker: stopping a worker that is
  // not running would test nothing, and would report no change to wait for. The stop is counted,
  // not polled: a message sent meanwhile may wake the worker again before a poll could see it.
  const stopWorker = async () => {
    await expect.poll(anyWorkerRunning, { timeout: 15_000 }).toBe(true);
    const before = stops;
    await cdp.send('ServiceWorker.stopAllWorkers');
    await expect.poll(() => stops, { timeout: 15_000 }).toBeGreaterThan(before);
  };

  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha');
  const start = Date.now();
  await stopWorker();
  await at(start, 2);
  await chooseStatus(page, 'break:Coffee');
  await stopWorker();
  await at(start, 4);
  await chooseStatus(page, 'available');
  await stopWorker();
  await at(start, 6);
  const events = await logOutAndExport(agent, page);

  expect(new Set(events.map((event) => event.seq)).size).toBe(events.length);
  expectActivity(activityLines(events), [
    ['Login', 6],
    ['Break - Coffee', 2],
    ['Logout', 0],
  ]);
});

test('a page script cannot forge a logout or a break', async ({ attendance, agent }) => {
  const page = await agent.context.newPage();
  await signIn(page, attendance.url, 'fabio.rocha');
  const start = Date.now();
  await at(start, 1);
  await page.evaluate(() => {
    const frames = [
      JSON.stringify({ type: 'STATUS', status: 'break', reason: 'Forged' }),
      JSON.stringify({ type: 'LOGGED_OUT' }),
    ];
    // 1. Messages on window, as a naive bridge would use.
    for (const data of frames) window.postMessage({ type: 'pontual/capture', data }, '*');
    // 2. The channel's event names, on the document and on a look-alike element.
    const fake = document.createElement('pontual-channel');
    fake.setAttribute('data-pontual-channel', '');
    document.documentElement.appendChild(fake);
    for (const data of frames) {
      for (const target of [document, document.documentElement, fake]) {
        target.dispatchEvent(
          new CustomEvent('pontual:socket-message', { detail: `1 ${data}`, bubbles: true }),
        );
      }
    }
    // 3. Made-up events on a socket to the platform's own URL.
    const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/ws?token=forged`);
    for (const data of frames) socket.dispatchEvent(new MessageEvent('message', { data }));
    socket.dispatchEvent(new CloseEvent('close', { code: 1006 }));
    // Events dispatched above were handled before dispatchEvent returned; posted messages are
    // delivered in order, so once this last one arrives every forged one has been seen.
    return new Promise<void>((resolve) => {
      window.addEventListener('message', (event) => event.data === 'pontual-test/last' && resolve());
      window.postMessage('pontual-test/last', '*');
    });
  });
  await at(start, 3);
  const events = await logOutAndExport(agent, page);

  expect(events.some((event) => event.type === 'status' && event.status === 'break')).toBe(false);
  expectActivity(activityLines(events), [
    ['Login', 3],
    ['Logout', 0],
  ]);
});
