import { expect, test } from './fixtures.ts';
import { readOutbox } from './outbox.ts';
import { startServerProcess, tenantWithSupervisor } from './server-process.ts';

// Issue 13: the options page says whether the browser is enrolled, or the server's reason why not,
// where the admin is looking — not "Saved" for a code the server never accepted.

test('the options page checks the code with the server: a bad code and an unreachable server say why, a good one says "Enrolled as … since …" and clears the code', async ({
  agent,
}) => {
  const server = await startServerProcess();
  try {
    const supervisor = await tenantWithSupervisor(server);
    const options = await agent.context.newPage();
    await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
    const message = options.locator('#settings-message');

    // A code the server does not know.
    await options.fill('#server-url', server.url);
    await options.fill('#enrollment-code', 'ZZZZ-ZZZZ-ZZZZ');
    await options.click('#save-settings');
    await expect(message).toHaveAttribute('data-state', 'error');
    await expect(message).toContainText(
      'Saved, but not enrolled: the enrollment code is unknown, expired or already used',
    );
    await expect(options.locator('#enrollment-status')).toHaveAttribute('data-enrolled', 'no');

    // A server nobody answers at (a port nothing listens on).
    await options.fill('#server-url', 'http://127.0.0.1:9');
    await options.fill('#enrollment-code', 'AAAA-BBBB-CCCC');
    await options.click('#save-settings');
    await expect(message).toContainText('Saved, but not enrolled: could not reach the server');

    // A real code.
    const created = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: supervisor.token,
      body: { agentIds: ['fabio.rocha'] },
    });
    expect(created.status).toBe(200);
    await options.fill('#server-url', server.url);
    await options.fill('#enrollment-code', created.body.code);
    await options.click('#save-settings');
    await expect(message).toHaveAttribute('data-state', 'ok');
    await expect(message).toContainText(new RegExp(`^Enrolled as “Pontual on .+” on ${server.url} since .+`));
    await expect(options.locator('#enrollment-code')).toHaveValue('');
    expect((await readOutbox(options)).meta.syncToken).toBeTruthy();

    // It still says so on the next visit, and the server lists the device.
    await options.reload();
    await expect(options.locator('#enrollment-status')).toHaveAttribute('data-enrolled', 'yes');
    await expect(options.locator('#enrollment-status')).toContainText(`on ${server.url} since`);
    await expect(options.locator('#enrollment-code')).toHaveValue('');
    const devices = await server.call<{ devices: unknown[] }>('GET', '/api/v1/devices', {
      token: supervisor.token,
    });
    expect(devices.body.devices).toHaveLength(1);
  } finally {
    await server.close();
  }
});
