// Refreshes the README's screenshots of the Reports and History screens (not a test):
//   npm run build:pwa && npx tsx tests/e2e/readme-screenshots.ts [out-dir]
// With a second argument `check`, also writes tablet (820×1180) and pt-BR shots to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess, tenantWithSupervisor } from './server-process.ts';
import {
  chooseReport,
  generate,
  launchSupervisorBrowser,
  pushAsDevice,
  SUPERVISOR_ZONE,
  signInToApp,
  twoAgentsDay,
} from './supervisor.ts';

const out = process.argv[2] ?? 'docs/screenshots';
const check = process.argv[3] === 'check';
mkdirSync(out, { recursive: true });
const server = await startServerProcess();
const browser = await launchSupervisorBrowser();
try {
  const supervisor = await tenantWithSupervisor(server);
  await pushAsDevice(server, supervisor.token, twoAgentsDay());
  const sizes = check
    ? [
        { name: '', width: 1280, height: 800 },
        { name: '-tablet', width: 820, height: 1180 },
      ]
    : [{ name: '', width: 1280, height: 800 }];
  for (const size of sizes) {
    const context = await browser.newContext({
      locale: 'en-US',
      timezoneId: SUPERVISOR_ZONE,
      viewport: { width: size.width, height: size.height },
    });
    const page = await context.newPage();
    await signInToApp(page, server.url, supervisor.email, supervisor.password);
    await chooseReport(page, 'Login/Logout');
    await generate(page);
    await chooseReport(page, 'Agent daily summary');
    await generate(page);
    await page.locator('.preview td').first().waitFor();
    await page.screenshot({ path: join(out, `reports${size.name}.png`) });
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByTestId('job').nth(1).waitFor();
    await page.screenshot({ path: join(out, `history${size.name}.png`) });
    if (check) {
      await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('pt-BR');
      await page.getByTestId('job').first().waitFor();
      await page.screenshot({ path: join(out, `history${size.name}-pt.png`) });
      await page.getByRole('link', { name: 'Relatórios' }).click();
      await page
        .getByRole('button', { name: /^Resumo/ })
        .first()
        .click();
      await page.screenshot({ path: join(out, `reports${size.name}-pt.png`), fullPage: true });
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
