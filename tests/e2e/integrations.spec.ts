import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { SIGNATURE_HEADER, signatureFor } from '../../server/integrations/whatsapp-cloud.ts';
import { EXAMPLES } from '../../shared/testing/records.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';
import { launchSupervisorBrowser, signInToApp, supervisorContext } from './supervisor.ts';

// Issue 10 §5: Admin → Integrations in the PWA, against `pontual serve`, in real Chromium; then a
// signed WhatsApp Cloud API delivery reaches the supervisor's local store through the stream.

const FIXTURE = join(import.meta.dirname, '../fixtures/whatsapp-cloud/statuses.json');
const TENANT = 'Acme Contact Center';
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

/** The fixture with its instants moved to a minute ago (offsets kept): inside the 90 days kept. */
function statusesNow(): string {
  const payload = JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown;
  const shift = Math.floor(Date.now() / 1000) - 60 - 1773168060;
  const move = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(move);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        (key === 'timestamp' || key === 'expiration_timestamp') && typeof inner === 'string'
          ? String(Number(inner) + shift)
          : move(inner),
      ]),
    );
  };
  return JSON.stringify(move(payload));
}

/** The ids of the delivery statuses in the PWA's local store (read from IndexedDB in the page). */
function localStatusIds(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const name = (JSON.parse(localStorage.getItem('pontual.session')!) as { storeName: string }).storeName;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const chunks = await new Promise<{ kind: string; text: string }[]>((resolve, reject) => {
      const request = db.transaction('records').objectStore('records').getAll();
      request.onsuccess = () => resolve(request.result as { kind: string; text: string }[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return chunks
      .filter((chunk) => chunk.kind === 'message_status')
      .flatMap((chunk) => (JSON.parse(chunk.text) as { id: string }[]).map((record) => record.id))
      .sort();
  });
}

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

test('an admin connects WhatsApp and creates an API token; a signed delivery reaches the local store', async () => {
  const browser = await launchSupervisorBrowser();
  try {
    const context = await supervisorContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const app = await context.newPage();
    await signInToApp(app, server.url, ADMIN.email, ADMIN.password);
    await app.getByRole('link', { name: 'Admin' }).click();
    const section = app.getByRole('region', { name: 'Integrations' });
    await expect(section).toBeVisible();

    // Offline, nothing can be created or deleted, and the screen says why.
    await context.setOffline(true);
    await expect(section.getByTestId('integrations-offline')).toBeVisible();
    await expect(section.getByRole('button', { name: 'Connect WhatsApp' })).toBeDisabled();
    await context.setOffline(false);
    await expect(section.getByRole('button', { name: 'Connect WhatsApp' })).toBeEnabled();

    // WhatsApp Cloud API: the callback URL and the verify token to paste into Meta's settings.
    const appSecret = 'meta-app-secret-for-the-test';
    const whatsApp = section.getByRole('form', { name: 'WhatsApp Cloud API' });
    await whatsApp.getByLabel('Name').fill('Main number');
    await whatsApp.getByLabel(/^App secret/).fill(appSecret);
    await whatsApp.getByLabel(/^Verify token/).fill('pontual-verify-42');
    await whatsApp.getByRole('button', { name: 'Connect WhatsApp' }).click();
    const connected = section.getByTestId('whatsapp-connected');
    await expect(connected.getByTestId('webhook-url')).toHaveValue(
      new RegExp(`^${server.url}/api/v1/integrations/[^/]+/webhook$`),
    );
    await expect(connected.getByTestId('verify-token')).toHaveValue('pontual-verify-42');
    const webhookUrl = await connected.getByTestId('webhook-url').inputValue();
    await connected.getByRole('button', { name: 'Copy' }).first().click();
    await expect(connected.getByRole('button', { name: 'Copied' })).toBeVisible();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(webhookUrl);
    // Meta's verification call on that URL with that token succeeds.
    const verification = await fetch(
      `${webhookUrl}?hub.mode=subscribe&hub.verify_token=pontual-verify-42&hub.challenge=1158201444`,
    );
    expect(verification.status).toBe(200);
    expect(await verification.text()).toBe('1158201444');

    // An API token: shown once, with a warning, and it works.
    const api = section.getByRole('form', { name: 'API token' });
    await api.getByLabel('Name').fill('Broadcast platform');
    await api.getByRole('button', { name: 'Create token' }).click();
    const created = section.getByTestId('api-token-created');
    await expect(created).toContainText('shown only this once');
    const token = await created.getByTestId('api-token').inputValue();
    const ticket = (id: string) => ({ ...EXAMPLES.ticket, id });
    const pushed = await server.call('POST', '/api/v1/events/push', {
      token,
      body: { events: [ticket('tk-a')] },
    });
    expect(pushed.status).toBe(200);
    await expect(section.getByTestId('whatsapp-connected')).toHaveCount(0);

    // The list: both, with their provider; the API token deleted after confirming.
    const rows = section.locator('tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('Main number');
    await expect(rows.nth(0)).toContainText('WhatsApp Cloud API');
    await expect(rows.nth(1)).toContainText('Broadcast platform');
    await expect(rows.nth(1)).toContainText('API token');
    const dialogs: string[] = [];
    app.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await section.getByRole('button', { name: 'Delete Broadcast platform' }).click();
    await expect(rows).toHaveCount(1);
    expect(dialogs).toEqual([
      'Delete the integration “Broadcast platform”? Its webhook and token stop at once.',
    ]);
    const afterDelete = await server.call('POST', '/api/v1/events/push', {
      token,
      body: { events: [ticket('tk-b')] },
    });
    expect(afterDelete.status).toBe(401);

    // Meta delivers statuses, signed with the app secret: the stream announces them and the
    // PWA pulls them into its local store, exactly what the server stored.
    const body = statusesNow();
    const delivered = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureFor(body, appSecret) },
      body,
    });
    expect(delivered.status).toBe(200);
    const signedIn = await server.call<{ token: string }>('POST', '/api/v1/auth/login', { body: ADMIN });
    const stored = await server.call<{ events: { id: string }[] }>(
      'GET',
      '/api/v1/events/pull?kinds=message_status&limit=1000',
      { token: signedIn.body.token },
    );
    const storedIds = stored.body.events.map((record) => record.id).sort();
    expect(storedIds.length).toBeGreaterThan(0);
    await expect.poll(() => localStatusIds(app), { timeout: 30_000 }).toEqual(storedIds);

    // Settings says what is kept, and for how long.
    await app.getByRole('link', { name: 'Settings' }).click();
    await expect(app.getByTestId('kept-locally')).toContainText(
      `Delivery statuses: ${storedIds.length} records, kept for 90 days`,
    );
  } finally {
    await browser.close();
  }
});
