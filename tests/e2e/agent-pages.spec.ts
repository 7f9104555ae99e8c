import { chooseStatus, signIn } from './browser.ts';
import { waitForStored } from './captured.ts';
import { expect, test } from './fixtures.ts';

// What the agent and the admin see: the popup's day and the options page, in both languages.

for (const [locale, text] of [
  [
    'en',
    {
      onBreak: /On break/,
      login: 'Login',
      pause: 'Break - Lunch',
      saved: 'Saved',
      bad: /Not saved: .*serverUrl/,
    },
  ],
  [
    'pt-BR',
    {
      onBreak: /Em pausa/,
      login: 'Login',
      pause: 'Pausa - Lunch',
      saved: 'Salvo',
      bad: /Não salvo: .*serverUrl/,
    },
  ],
] as const) {
  test.describe(locale, () => {
    test.use({ agentLocale: locale });
    test('the popup shows the day from the same engine as the reports', async ({ attendance, agent }) => {
      const page = await agent.context.newPage();
      await signIn(page, attendance.url, 'fabio.rocha');
      await chooseStatus(page, 'break:Lunch');
      await waitForStored(agent.context, agent.extensionId, { type: 'status', count: 2 });

      const popup = await agent.context.newPage();
      await popup.goto(`chrome-extension://${agent.extensionId}/popup.html`);
      await expect(popup.locator('#popup-status')).toHaveAttribute('data-status', 'break');
      await expect(popup.locator('#popup-status')).toContainText(text.onBreak);
      await expect(popup.locator('#day-rows tbody tr')).toHaveCount(2);
      await expect(popup.locator('#day-rows tbody tr').nth(0)).toContainText(text.login);
      await expect(popup.locator('#day-rows tbody tr').nth(1)).toContainText(text.pause);
      // No server configured: everything waits locally.
      await expect(popup.locator('#sync-waiting')).toHaveAttribute('data-count', /^[1-9]\d*$/);

      const options = await agent.context.newPage();
      await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
      await options.fill('#server-url', 'ftp://nope');
      await options.click('#save-settings');
      await expect(options.locator('#settings-message')).toContainText(text.bad);
      await options.fill('#server-url', 'https://pontual.example.com');
      await options.click('#save-settings');
      await expect(options.locator('#settings-message')).toContainText(text.saved);
      await options.reload();
      await expect(options.locator('#server-url')).toHaveValue('https://pontual.example.com');
      await expect(options.locator('#event-count')).toHaveAttribute('data-count', /^[1-9]\d*$/);
    });
  });
}
