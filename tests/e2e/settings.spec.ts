import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe.ts';
import { type ServerProcess, startServerProcess, tenantWithSupervisor } from './server-process.ts';
import {
  launchSupervisorBrowser,
  pushAsDevice,
  signInToApp,
  supervisorContext,
  twoAgentsDay,
} from './supervisor.ts';

// Issue 13: Settings at 1280×800 — "Sync now" says what it did, and the report defaults (zone,
// language, formats) are kept on this machine for the Reports form to start with.

let server: ServerProcess;
let supervisor: { email: string; password: string; token: string };
test.beforeAll(async () => {
  server = await startServerProcess();
  supervisor = await tenantWithSupervisor(server);
  await pushAsDevice(server, supervisor.token, twoAgentsDay());
});
test.afterAll(async () => {
  await server?.close();
});

test('Sync now says what it synced or why not; report defaults are kept, checked, in both languages', async () => {
  const browser = await launchSupervisorBrowser();
  try {
    const context = await supervisorContext(browser);
    const app = await context.newPage();
    await app.setViewportSize({ width: 1280, height: 800 });
    await signInToApp(app, server.url, supervisor.email, supervisor.password);
    await app.getByRole('link', { name: 'Settings' }).click();

    // One more event on the server: the sync brings it and says so, with the time.
    await pushAsDevice(server, supervisor.token, [
      {
        id: '019a0000-0000-7000-8000-0000000000aa',
        type: 'heartbeat',
        at: new Date().toISOString(),
        agentId: 'ana.souza',
        agentName: 'Ana Souza',
      },
    ]);
    await app.getByRole('button', { name: 'Sync now' }).click();
    await expect(app.getByTestId('sync-note')).toHaveText(/^Synced \d+ records? at \d\d:\d\d( [AP]M)?\.$/);
    await expect(app.getByRole('button', { name: 'Sync now' })).toBeEnabled();

    // Offline: the sync fails and says why.
    await context.setOffline(true);
    await app.getByRole('button', { name: 'Sync now' }).click();
    await expect(app.getByTestId('sync-note')).toContainText('Sync failed:');
    await context.setOffline(false);

    // Report defaults: a zone from the list, a language, and formats; kept across a reload.
    const defaults = app.getByRole('region', { name: 'Report defaults' });
    await defaults.getByLabel('Time zone').fill('Mars/Olympus');
    await defaults.getByLabel('Report language').focus();
    await expect(defaults.getByTestId('defaults-note')).toContainText('“Mars/Olympus” is not a time zone');
    await defaults.getByLabel('Time zone').fill('America/Manaus');
    await defaults.getByLabel('Report language').selectOption('pt-BR');
    await defaults.getByRole('checkbox', { name: 'PDF' }).uncheck();
    await defaults.getByRole('checkbox', { name: 'XLSX' }).uncheck();
    // The last format cannot be unticked.
    await expect(defaults.getByRole('checkbox', { name: 'CSV' })).toBeDisabled();
    await expect(defaults.getByTestId('defaults-note')).toHaveText('Saved.');
    await app.reload();
    await expect(defaults.getByLabel('Time zone')).toHaveValue('America/Manaus');
    await expect(defaults.getByLabel('Report language')).toHaveValue('pt-BR');
    await expect(defaults.getByRole('checkbox', { name: 'CSV' })).toBeChecked();
    await expect(defaults.getByRole('checkbox', { name: 'PDF' })).not.toBeChecked();
    expect(
      await app.evaluate(() => JSON.parse(localStorage.getItem('pontual.reportDefaults') ?? '{}')),
    ).toEqual({ timeZone: 'America/Manaus', locale: 'pt-BR', formats: ['csv'] });
    expect(await seriousViolations(app), 'settings, en').toEqual([]);

    // The Reports form starts from those defaults, and the app's language does not override the saved one.
    await app.getByRole('link', { name: 'Reports' }).click();
    await expect(app.getByLabel('Time zone')).toHaveValue('America/Manaus');
    await expect(app.getByLabel('Report language')).toHaveValue('pt-BR');
    await expect(app.getByRole('checkbox', { name: 'CSV' })).toBeChecked();
    await expect(app.getByRole('checkbox', { name: 'XLSX' })).not.toBeChecked();
    await expect(app.getByRole('checkbox', { name: 'PDF' })).not.toBeChecked();
    await app.getByRole('link', { name: 'Settings' }).click();

    await app.getByRole('combobox', { name: 'Language', exact: true }).selectOption('pt-BR');
    await expect(app.getByRole('region', { name: 'Padrões dos relatórios' })).toBeVisible();
    await app.getByRole('button', { name: 'Sincronizar agora' }).click();
    await expect(app.getByTestId('sync-note')).toContainText(/sincronizados? às \d\d:\d\d/);
    expect(await seriousViolations(app), 'settings, pt-BR').toEqual([]);
  } finally {
    await browser.close();
  }
});
