import { chooseStatus, signIn } from './browser.ts';
import { activityLines, exportCapturedEvents, waitForStored } from './captured.ts';
import { expect, test } from './fixtures.ts';
import { pullAll, readOutbox } from './outbox.ts';
import { requestPending, startServerProcess, tenantWithSupervisor } from './server-process.ts';

// Issue 5's sync, end to end: the extension in Chromium pushes to `pontual serve` on loopback
// while the server is killed (SIGKILL) in the middle of a push and started again.

test('the outbox survives the server killed mid-push: the database holds every event exactly once', async ({
  attendance,
  agent,
}) => {
  const server = await startServerProcess();
  try {
    const supervisor = await tenantWithSupervisor(server);
    const created = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: supervisor.token,
      body: { agentIds: ['fabio.rocha'] },
    });
    expect(created.status).toBe(200);

    // The admin sets the server, the code, and heartbeats every second.
    const options = await agent.context.newPage();
    await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
    await options.fill('#server-url', server.url);
    await options.fill('#enrollment-code', created.body.code);
    await options.fill('#adapter-heartbeat-seconds', '1');
    await options.click('#save-settings');
    await expect(options.locator('#settings-message')).toContainText(/Enrolled as|Registrado como/);
    // The background enrolls at once.
    await expect
      .poll(async () => (await readOutbox(options)).meta.syncToken, { timeout: 10_000 })
      .toBeTruthy();

    const page = await agent.context.newPage();
    await signIn(page, attendance.url, 'fabio.rocha');
    // How many events the extension holds, waiting (marks[0]) or pushed (marks[1]).
    const held = async () => (await readOutbox(options)).marks;
    const total = (marks: number[]) => marks[0]! + marks[1]!;
    // The agent changes status the whole time, each change once the extension has stored the last.
    let producing = true;
    const statuses = ['break:Training', 'available', 'break:Coffee', 'available'];
    const producer = (async () => {
      for (let i = 0; producing; i++) {
        const before = total(await held());
        await chooseStatus(page, statuses[i % statuses.length]!);
        await expect.poll(async () => total(await held()), { timeout: 10_000 }).toBeGreaterThan(before);
      }
    })();

    await expect.poll(async () => (await held())[1], { timeout: 30_000 }).toBeGreaterThanOrEqual(12);
    // Frozen first, so that the kill lands while a push is in flight: the request sits unread in
    // the server's connection (the kernel still accepts it) until the process dies.
    server.pause();
    await expect.poll(() => requestPending(server.port), { timeout: 10_000, intervals: [50] }).toBe(true);
    await server.kill('SIGKILL');
    // That push failed, and the popup's error says so.
    await expect
      .poll(async () => String((await readOutbox(options)).meta.lastSyncError), { timeout: 5_000 })
      .toMatch(/^could not reach the server/);
    // Changes pile up while the server is away…
    await expect.poll(async () => (await held())[0], { timeout: 30_000 }).toBeGreaterThanOrEqual(12);
    await server.restart(); // the same port and data folder
    // …and more are pushed once it is back.
    const pushedAtRestart = (await held())[1]!;
    await expect
      .poll(async () => (await held())[1], { timeout: 30_000 })
      .toBeGreaterThanOrEqual(pushedAtRestart + 24);
    producing = false;
    await producer;

    await page.click('#logout-button');
    await waitForStored(agent.context, agent.extensionId, { type: 'logout', count: 1 });
    await page.close(); // no more heartbeats

    // The popup shows nothing waiting, and no error.
    const popup = await agent.context.newPage();
    await popup.goto(`chrome-extension://${agent.extensionId}/popup.html`);
    await expect(popup.locator('#sync-waiting')).toHaveAttribute('data-count', '0', { timeout: 30_000 });
    await expect(popup.locator('#sync-error')).toHaveCount(0);
    const outbox = await readOutbox(options);
    expect(outbox.marks).toEqual([0, expect.any(Number), 0]);

    const exported = await exportCapturedEvents(agent.context, agent.extensionId);
    const pulled = await pullAll(server, supervisor.token);
    const pulledIds = pulled.map((event) => event.id);
    // Exactly once: no id twice in the database…
    expect(new Set(pulledIds).size).toBe(pulledIds.length);
    // …and every event the extension holds is there, as it was captured.
    const byId = new Map(pulled.map((event) => [event.id, event]));
    for (const event of exported)
      expect(byId.get(event.id)).toEqual({ ...event, clockOffsetMs: expect.any(Number) });
    // The database may have more only of heartbeats: one pushed while a newer one replaced it locally.
    const exportedIds = new Set(exported.map((event) => event.id));
    const extra = pulled.filter((event) => !exportedIds.has(event.id));
    expect(extra.filter((event) => event.type !== 'heartbeat')).toEqual([]);
    expect(pulled.length - extra.length).toBe(exported.length);
    expect(exported.filter((event) => event.type === 'status').length).toBeGreaterThan(30);
    test.info().annotations.push({
      type: 'sync',
      description: `${exported.length} events exported, ${pulled.length} in the database (${extra.length} heartbeats superseded locally while in flight)`,
    });

    // The reports the supervisor computes from the database are the agent's own.
    const now = Date.now();
    expect(activityLines(pulled, now)).toEqual(activityLines(exported, now));
    expect(activityLines(exported, now).length).toBeGreaterThan(15);
  } catch (error) {
    console.error(`pontual serve's output (the end):\n${server.log().slice(-5_000)}`);
    throw error;
  } finally {
    await server.close();
  }
});
