import { expect, test } from '@playwright/test';
import { type ServerProcess, startServerProcess, tenantWithSupervisor } from './server-process.ts';
import { chooseReport, launchSupervisorBrowser, SUPERVISOR_ZONE, signInToApp } from './supervisor.ts';

// Issue 13: a supervisor shares a saved search with the team; it reaches a teammate's machine,
// applies its filters there, and keeps working offline once fetched. Personal ones stay personal.

let server: ServerProcess;
test.beforeEach(async () => {
  server = await startServerProcess();
});
test.afterEach(async () => {
  await server.close();
});

test('a model shared by supervisor A appears on supervisor B’s machine, applies its filters, and works offline', async () => {
  const first = await tenantWithSupervisor(server);
  await server.admin(
    [
      'create-user',
      '--tenant',
      'Acme Contact Center',
      '--email',
      'second@example.com',
      '--role',
      'supervisor',
    ],
    'second password 123\n',
  );
  const browser = await launchSupervisorBrowser();
  try {
    const machine = () =>
      browser.newContext({
        locale: 'en-US',
        timezoneId: SUPERVISOR_ZONE,
        viewport: { width: 1280, height: 800 },
      });
    const contextA = await machine();
    const contextB = await machine();
    const a = await contextA.newPage();
    const b = await contextB.newPage();
    await signInToApp(a, server.url, first.email, first.password);
    await signInToApp(b, server.url, 'second@example.com', 'second password 123');
    await chooseReport(b, 'Activity');
    await expect(b.getByText('None saved for this report yet.')).toBeVisible();

    // A saves one for herself, then shares one with the team.
    await chooseReport(a, 'Activity');
    await a.getByLabel('Name for these filters').fill('Mine only');
    await a.getByRole('button', { name: 'Save filters' }).click();
    await expect(a.getByRole('button', { name: 'Apply "Mine only"' })).toBeVisible();
    await a.getByLabel('Split rows at midnight').check();
    await a.getByLabel('Device clocks (no skew correction)').check();
    await a.getByLabel('Name for these filters').fill('Night shift');
    await a.getByLabel('Share with team').check();
    await a.getByRole('button', { name: 'Save filters' }).click();
    const sharedOnA = a.locator('.templates li', { hasText: 'Night shift' });
    await expect(sharedOnA.getByText('Shared', { exact: true })).toBeVisible();

    // B's app hears of it on the stream, without a reload; A's personal one never arrives.
    const apply = b.getByRole('button', { name: 'Apply "Night shift"' });
    await expect(apply).toBeVisible({ timeout: 30_000 });
    const sharedOnB = b.locator('.templates li', { hasText: 'Night shift' });
    await expect(sharedOnB.getByText('Shared', { exact: true })).toHaveAttribute(
      'title',
      `Shared with the team by ${first.email}`,
    );
    await expect(b.getByRole('button', { name: 'Apply "Mine only"' })).toHaveCount(0);
    // Only the person who shared it (or an admin) may delete it.
    await expect(sharedOnB.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
    await expect(b.getByLabel('Split rows at midnight')).not.toBeChecked();
    await apply.click();
    await expect(b.getByLabel('Split rows at midnight')).toBeChecked();
    await expect(b.getByLabel('Device clocks (no skew correction)')).toBeChecked();

    // Offline, after a reload, the model is still on B's machine and still applies.
    await b.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await contextB.setOffline(true);
    await b.reload();
    await expect(b.getByText('Offline: reports use the data already on this machine')).toBeVisible();
    await chooseReport(b, 'Activity');
    await expect(b.getByLabel('Split rows at midnight')).not.toBeChecked();
    await b.getByRole('button', { name: 'Apply "Night shift"' }).click();
    await expect(b.getByLabel('Split rows at midnight')).toBeChecked();
    await contextB.setOffline(false);
    await b.reload();
    await chooseReport(b, 'Activity');
    await expect(b.getByRole('button', { name: 'Apply "Night shift"' })).toBeVisible();

    // A deletes it: it leaves B's machine too.
    await sharedOnA.getByRole('button', { name: 'Delete "Night shift"' }).click();
    await expect(b.getByRole('button', { name: 'Apply "Night shift"' })).toHaveCount(0, { timeout: 30_000 });
  } finally {
    await browser.close();
  }
});
