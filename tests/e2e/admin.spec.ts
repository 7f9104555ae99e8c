import { expect, test } from '@playwright/test';
import type { Device } from '../../shared/api/devices.ts';
import { seriousViolations } from './axe.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';
import { launchSupervisorBrowser, signInToApp, supervisorContext } from './supervisor.ts';

// Issue 13: Admin at 1280×800 against `pontual serve` in real Chromium: enrollment codes (shown
// once with a copy button, for N devices, a printable batch with QR codes), devices that report
// in, offline, and webhooks through the one section component the screen's lists share.

const TENANT = 'Acme Contact Center';
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

let server: ServerProcess;
test.beforeAll(async () => {
  server = await startServerProcess();
  await server.admin(['create-tenant', TENANT]);
  await server.admin(
    ['create-user', '--tenant', TENANT, '--email', ADMIN.email, '--role', 'admin'],
    `${ADMIN.password}\n`,
  );
});
test.afterAll(async () => {
  await server?.close();
});

test('codes: shown once with Copy, one for N devices, a printable batch with QR codes; devices report in', async () => {
  const browser = await launchSupervisorBrowser();
  try {
    const context = await supervisorContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const app = await context.newPage();
    await app.setViewportSize({ width: 1280, height: 800 });
    await signInToApp(app, server.url, ADMIN.email, ADMIN.password);
    await app.getByRole('link', { name: 'Admin' }).click();
    const codes = app.getByRole('region', { name: 'Enrollment codes' });

    // One code for one device: a warning that it is shown once, and a Copy button that copies it.
    await codes.getByLabel('Restrict to agents (optional)').fill('ana.souza');
    await codes.getByRole('button', { name: 'Create code' }).click();
    const created = codes.getByTestId('created-code');
    await expect(created).toContainText(/Code [A-Z0-9]{5}-[A-Z0-9]{5}, for one device/);
    await expect(created).toContainText('It will not be shown again: copy it now.');
    const single = await created.getByTestId('code-value').inputValue();
    await created.getByRole('button', { name: 'Copy' }).click();
    await expect(created.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(single);
    await expect(codes.getByRole('row', { name: /ana\.souza .* 0 of 1 Open/ })).toBeVisible();

    // One code for three devices, valid for a day: three enroll, the fourth is refused.
    await codes.getByLabel('Code for').selectOption({ label: 'Several devices, one shared code' });
    await codes.getByLabel('Devices', { exact: true }).fill('3');
    await codes.getByLabel('Valid for').selectOption({ label: '1 day' });
    await codes.getByRole('button', { name: 'Create code' }).click();
    await expect(created).toContainText('for 3 devices');
    const shared = await created.getByTestId('code-value').inputValue();
    const enroll = (code: string, deviceName: string) =>
      server.call<{ token: string }>('POST', '/api/v1/devices/enroll', { body: { code, deviceName } });
    const enrolled = [];
    for (const name of ['Pontual on Windows', 'Pontual on Windows', 'Pontual on Windows'])
      enrolled.push(await enroll(shared, name));
    expect(enrolled.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await enroll(shared, 'one too many')).status).toBe(403);

    // A batch of 4, one per PC: a printable list with a QR code each.
    await codes
      .getByLabel('Code for')
      .selectOption({ label: 'Several devices, one code each (printable list)' });
    await codes.getByLabel('Codes', { exact: true }).fill('4');
    await codes.getByRole('button', { name: 'Create code' }).click();
    await expect(codes.getByTestId('created-codes')).toContainText('4 codes, one device each');
    const sheet = codes.getByTestId('printable-codes');
    await expect(sheet.getByRole('listitem')).toHaveCount(4);
    await expect(sheet.getByRole('img', { name: /^Enrollment code [A-Z0-9]{5}-[A-Z0-9]{5}$/ })).toHaveCount(
      4,
    );
    await expect(sheet.getByRole('button', { name: 'Print' })).toBeVisible();
    // Printed, only the list shows (the print CSS hides the rest of the app and the button).
    await app.emulateMedia({ media: 'print' });
    await expect(app.getByRole('heading', { name: 'Pontual enrollment codes' })).toBeVisible();
    await expect(app.getByRole('region', { name: 'Devices' })).toBeHidden();
    await expect(sheet.getByRole('button', { name: 'Print' })).toBeHidden();
    await app.emulateMedia({ media: 'screen' });
    const printed = await sheet.locator('.code-text').allTextContents();
    expect((await enroll(printed[0]!, 'PC 12')).status).toBe(200);

    // Devices report with each push: the agent names the device; last seen, waiting, version.
    const now = new Date().toISOString();
    const pushed = await server.call('POST', '/api/v1/events/push', {
      token: enrolled[0]!.body.token,
      body: {
        events: [
          {
            id: '019a0000-0000-7000-8000-000000000001',
            type: 'heartbeat',
            at: now,
            agentId: 'ana.souza',
            agentName: 'Ana Souza',
          },
        ],
        waiting: 1234,
        version: '0.9.1',
      },
    });
    expect(pushed.status).toBe(200);
    await app.reload();
    const devices = app.getByRole('region', { name: 'Devices' });
    const ana = devices.getByRole('row', { name: /^Ana Souza/ });
    await expect(ana).toContainText('1,234');
    await expect(ana).toContainText('0.9.1');
    await expect(ana).toContainText('Active');
    await expect(devices.getByRole('row', { name: /^Pontual on Windows .* Not yet/ })).toHaveCount(2);
    await expect(codes.getByRole('row', { name: /3 of 3 Used/ })).toBeVisible();
    expect(await seriousViolations(app), 'admin, en').toEqual([]);

    // Revoked: one State for everyone.
    await ana.getByRole('button', { name: 'Revoke Ana Souza' }).click();
    await expect(devices.getByRole('row', { name: /^Ana Souza/ })).toContainText('Revoked on');
    const listed = await server.call<{ devices: Device[] }>('GET', '/api/v1/devices', {
      token: (await server.call<{ token: string }>('POST', '/api/v1/auth/login', { body: ADMIN })).body.token,
    });
    expect(listed.body.devices.find((device) => device.name === 'Ana Souza')?.revokedAt).toEqual(
      expect.any(String),
    );

    // Offline: it says so, shows what it last knew, and Create is disabled with the reason.
    await context.setOffline(true);
    await expect(codes.getByTestId('codes-offline')).toContainText('Codes are made on the server');
    await expect(codes.getByTestId('codes-last-known')).toContainText(
      'Offline: showing what this screen last knew',
    );
    await expect(codes.getByRole('button', { name: 'Create code' })).toBeDisabled();
    await expect(devices.getByRole('row', { name: /^Ana Souza/ })).toBeVisible();
    await expect(app.getByText('None yet.')).toHaveCount(0);
    // A fresh load offline, on a screen never seen: not available, never "None yet.".
    await app.evaluate(() => {
      for (const key of Object.keys(localStorage))
        if (key.startsWith('pontual.admin.')) localStorage.removeItem(key);
    });
    await app.getByRole('link', { name: 'Settings' }).click();
    await app.getByRole('link', { name: 'Admin' }).click();
    await expect(codes.getByTestId('codes-last-known')).toHaveText('Not available offline.');
    await expect(app.getByText('None yet.')).toHaveCount(0);
    expect(await seriousViolations(app), 'admin offline').toEqual([]);
    await context.setOffline(false);
    await expect(codes.getByRole('button', { name: 'Create code' })).toBeEnabled();

    // Portuguese: plain words, and axe stays clean.
    await app.getByRole('combobox', { name: 'Language', exact: true }).selectOption('pt-BR');
    const códigos = app.getByRole('region', { name: 'Códigos de registro' });
    await expect(códigos.getByLabel('Restringir a agentes (opcional)')).toBeVisible();
    await códigos.getByRole('button', { name: 'Criar código' }).click();
    await expect(códigos.getByTestId('created-code')).toContainText('Ele não será mostrado de novo');
    expect(await seriousViolations(app), 'admin, pt-BR').toEqual([]);
  } finally {
    await browser.close();
  }
});

test('webhooks: subscribe, the signing secret shown once with Copy, listed, deleted after confirming', async () => {
  const browser = await launchSupervisorBrowser();
  try {
    const context = await supervisorContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const app = await context.newPage();
    await app.setViewportSize({ width: 1280, height: 800 });
    await signInToApp(app, server.url, ADMIN.email, ADMIN.password);
    await app.getByRole('link', { name: 'Admin' }).click();
    const section = app.getByRole('region', { name: 'Webhooks' });
    await expect(section.getByText('None yet.')).toBeVisible();

    const form = section.getByRole('form', { name: 'Subscribe' });
    await form.getByLabel('URL').fill('https://example.com/hooks/pontual');
    await expect(form.getByRole('button', { name: 'Subscribe' })).toBeDisabled();
    await form.getByRole('checkbox').first().check();
    await form.getByRole('button', { name: 'Subscribe' }).click();
    const created = section.getByTestId('webhook-created');
    await expect(created).toBeVisible();
    const secret = await created.getByTestId('webhook-secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await created.getByRole('button', { name: 'Copy' }).click();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const rows = section.locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('https://example.com/hooks/pontual');
    await expect(section.getByText('None yet.')).toHaveCount(0);

    // Offline: the list stays, delete and subscribe are disabled, with the reason.
    await context.setOffline(true);
    await expect(section.getByTestId('webhooks-offline')).toBeVisible();
    await expect(
      section.getByRole('button', { name: 'Delete https://example.com/hooks/pontual' }),
    ).toBeDisabled();
    await expect(rows).toHaveCount(1);
    await context.setOffline(false);

    const dialogs: string[] = [];
    app.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await section.getByRole('button', { name: 'Delete https://example.com/hooks/pontual' }).click();
    await expect(rows).toHaveCount(0);
    expect(dialogs).toEqual([
      'Stop posting to https://example.com/hooks/pontual? Deliveries still owed to it are given up.',
    ]);
    // The secret is not shown again once the screen is left.
    await app.getByRole('link', { name: 'Settings' }).click();
    await app.getByRole('link', { name: 'Admin' }).click();
    await expect(section.getByTestId('webhook-created')).toHaveCount(0);
  } finally {
    await browser.close();
  }
});
