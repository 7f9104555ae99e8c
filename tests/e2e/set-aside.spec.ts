import { readFileSync } from 'node:fs';
import type { BrowserContext } from '@playwright/test';
import { chooseStatus, signIn } from './browser.ts';
import { waitForStored } from './captured.ts';
import { expect, test } from './fixtures.ts';
import { pullAll, readOutbox } from './outbox.ts';
import { startServerProcess, tenantWithSupervisor } from './server-process.ts';

// Issue 9, end to end: events the server refuses are set aside in the extension, shown in the
// popup and on the options page with the server's reason, downloadable, and sent again on "Try
// again"; they never hold back the other events. The refusal is a real one of `pontual serve`:
// the device is enrolled for one agent only, and a second agent signs in on the same browser.

const NOT_ENROLLED = 'agentId: maria.souza is not enrolled on this device';

async function openExtensionPage(context: BrowserContext, extensionId: string, name: string) {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${name}.html`);
  return page;
}

test('events the server refuses are set aside and shown with the reason; the rest, and what comes after, syncs', async ({
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

    const options = await openExtensionPage(agent.context, agent.extensionId, 'options');
    await options.fill('#server-url', server.url);
    await options.fill('#enrollment-code', created.body.code);
    await options.click('#save-settings');
    await expect(options.locator('#settings-message')).toContainText(/Enrolled as|Registrado como/);
    await expect.poll(async () => (await readOutbox(options)).meta.syncToken).toBeTruthy();
    // Nothing set aside yet: the section is not there.
    await expect(options.locator('#set-aside')).toHaveCount(0);

    // Fabio, whom the device is enrolled for, takes a break; Maria signs in on the same browser.
    const fabio = await agent.context.newPage();
    await signIn(fabio, attendance.url, 'fabio.rocha');
    await chooseStatus(fabio, 'break:Lunch');
    const maria = await agent.context.newPage();
    await signIn(maria, attendance.url, 'maria.souza');
    await chooseStatus(maria, 'break:Coffee');
    await maria.click('#logout-button');
    await waitForStored(agent.context, agent.extensionId, { type: 'logout', count: 1 });
    await maria.close();

    // The popup lists Maria's events as set aside, with the server's reason, and nothing waits.
    const popup = await openExtensionPage(agent.context, agent.extensionId, 'popup');
    const count = popup.locator('#set-aside-count');
    await expect(count).toHaveText(/^\d+ events set aside$/, { timeout: 30_000 });
    await expect(popup.locator('#sync-waiting')).toHaveAttribute('data-count', '0');
    const outbox = await readOutbox(options);
    const aside = outbox.setAside;
    expect(aside.length).toBeGreaterThanOrEqual(3); // login, break, logout, and maybe heartbeats
    expect(new Set(aside.map((event) => event.agentId))).toEqual(new Set(['maria.souza']));
    expect(new Set(aside.map((event) => event.syncError))).toEqual(new Set([NOT_ENROLLED]));
    expect(aside.every((event) => event.syncStatus === 200)).toBe(true);
    await expect(count).toHaveAttribute('data-count', String(aside.length));
    const rows = popup.locator('#set-aside-rows tbody tr');
    await expect(rows).toHaveCount(aside.length);
    await expect(rows.filter({ hasText: 'Break - Coffee' })).toHaveCount(1);
    await expect(rows.filter({ hasText: 'Login' }).first()).toContainText(NOT_ENROLLED);
    await expect(popup.locator('#sync-error')).toContainText(`the server refused ${aside.length} events`);

    // The good events reached the server; the refused ones did not.
    const onServer = await pullAll(server, supervisor.token);
    expect(new Set(onServer.map((event) => event.agentId))).toEqual(new Set(['fabio.rocha']));
    expect(onServer.some((event) => event.type === 'status' && event.reason === 'Lunch')).toBe(true);

    // Sync goes on: Fabio's next breaks reach the server, even one whose reason the platform sent
    // with a NUL in it (kept, with U+FFFD in its place: PostgreSQL cannot store a NUL), and the
    // one after it.
    await fabio.evaluate(() => {
      const option = document.createElement('option');
      option.value = 'break:Lunch\u0000x';
      option.textContent = 'Break - Lunch';
      document.querySelector('#status')!.append(option);
    });
    await chooseStatus(fabio, 'break:Lunch\u0000x');
    await chooseStatus(fabio, 'break:Training');
    await expect
      .poll(
        async () =>
          (await pullAll(server, supervisor.token))
            .filter((event) => event.type === 'status' && event.status === 'break')
            .map((event) => (event.type === 'status' ? event.reason : undefined))
            .sort(),
        { timeout: 30_000 },
      )
      .toEqual(['Lunch', 'Lunch\ufffdx', 'Training']);
    await fabio.close();

    // The options page shows them too, and downloads them for support with their reasons.
    await options.reload();
    await expect(options.locator('#set-aside-count')).toHaveAttribute('data-count', String(aside.length));
    await expect(options.locator('#set-aside-rows tbody tr')).toHaveCount(aside.length);
    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.click('#set-aside-download'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^pontual-set-aside-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { reason: string; status: number; event: { id: string } });
    expect(lines.map((line) => line.event.id).sort()).toEqual(aside.map((event) => event.id).sort());
    expect(lines.every((line) => line.reason === NOT_ENROLLED && line.status === 200)).toBe(true);

    // "Try again" puts them back in the queue and the background pushes at once: this server
    // still refuses them, so they come back set aside, refused anew.
    const retriedAt = Date.now();
    await options.click('#set-aside-retry');
    await expect(options.locator('#set-aside-message')).toHaveText(
      `${aside.length} events are back in the queue`,
    );
    await expect
      .poll(
        async () => {
          const again = (await readOutbox(options)).setAside;
          return (
            again.length === aside.length && again.every((event) => (event.setAsideAt ?? 0) >= retriedAt)
          );
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await expect(options.locator('#set-aside-count')).toHaveAttribute('data-count', String(aside.length));
    expect((await pullAll(server, supervisor.token)).some((event) => event.agentId === 'maria.souza')).toBe(
      false,
    );
  } catch (error) {
    console.error(`pontual serve's output (the end):\n${server.log().slice(-5_000)}`);
    throw error;
  } finally {
    await server.close();
  }
});
