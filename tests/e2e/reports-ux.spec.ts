import { type Browser, expect, type Page, test } from '@playwright/test';
import { seriousViolations } from './axe.ts';
import { type ServerProcess, startServerProcess, tenantWithSupervisor } from './server-process.ts';
import {
  chooseReport,
  generate,
  launchSupervisorBrowser,
  pushAsDevice,
  SUPERVISOR_ZONE,
  signInToApp,
  twoAgentsDay,
} from './supervisor.ts';

// Issue 13: the supervisor's Reports and History screens, as a new supervisor meets them, at 1280×800.

const VIEWPORT = { width: 1280, height: 800 };

/** Two agents' short day with a long break reason, ending a few minutes ago. */
function dayWithLongReason(): object[] {
  return twoAgentsDay().map((event) =>
    (event as { reason?: string }).reason ? { ...event, reason: 'Training and coaching' } : event,
  );
}

async function appAt(browser: Browser, server: ServerProcess, who: { email: string; password: string }) {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: 'en-US',
    timezoneId: SUPERVISOR_ZONE,
    viewport: VIEWPORT,
  });
  const page = await context.newPage();
  return { context, page, signIn: () => signInToApp(page, server.url, who.email, who.password) };
}

/** The cells of the preview whose text does not fit their column (cut with "…"). */
function cutCells(page: Page): Promise<string[]> {
  return page
    .locator('.preview td, .preview th button')
    .evaluateAll((cells) =>
      cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent ?? ''),
    );
}

let server: ServerProcess;
let supervisor: { email: string; password: string; token: string };
let browser: Browser;
test.beforeEach(async () => {
  server = await startServerProcess();
  supervisor = await tenantWithSupervisor(server);
  await pushAsDevice(server, supervisor.token, dayWithLongReason());
  browser = await launchSupervisorBrowser();
});
test.afterEach(async () => {
  await browser?.close();
  await server?.close();
});

test('Generate: the job card comes into view and the button is back, and three quick clicks make one job', async () => {
  const { page, signIn } = await appAt(browser, server, supervisor);
  await signIn();
  await chooseReport(page, 'Activity');
  const button = page.getByRole('button', { name: 'Generate' });
  await button.click({ clickCount: 3, delay: 0 });
  const card = page.locator('.current-job');
  await expect(card.getByTestId('job-status')).toHaveText('Ready', { timeout: 60_000 });
  await expect(card).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Generate' })).toBeEnabled();
  // One job here and in the shared history.
  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByTestId('job')).toHaveCount(1);
  const shared = await server.call<{ jobs: unknown[] }>('GET', '/api/v1/report-jobs', {
    token: supervisor.token,
  });
  expect(shared.body.jobs).toHaveLength(1);
});

test('the preview shows whole values, Login/Logout fits 1280 px, and the agent summary lists its data columns', async () => {
  const { page, signIn } = await appAt(browser, server, supervisor);
  await signIn();
  await chooseReport(page, 'Activity');
  expect(await generate(page)).toBe('Ready');
  const preview = page.getByRole('table', { name: /^Preview/ });
  await expect(preview.getByRole('cell', { name: 'Break - Training and coaching' }).first()).toBeVisible();
  await expect.poll(() => cutCells(page)).toEqual([]);

  await chooseReport(page, 'Login/Logout');
  expect(await generate(page)).toBe('Ready');
  await expect(preview.getByRole('cell', { name: 'Ana Souza' }).first()).toBeVisible();
  await expect.poll(() => cutCells(page)).toEqual([]);
  const scroller = page.locator('.preview-scroll');
  expect(await scroller.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);

  // The agent summary's column per break reason is in the Columns list, and can be left out.
  await chooseReport(page, 'Agent daily summary');
  const columns = page.getByRole('group', { name: 'Columns' });
  const reason = columns.getByLabel('Break - Training and coaching');
  await expect(reason).toBeChecked();
  await expect(page.getByText('Available (logged in, not on break)')).toHaveCount(0);
  await reason.uncheck();
  expect(await generate(page)).toBe('Ready');
  await expect(page.getByText('Available (logged in, not on break)')).toBeVisible();
  await expect(preview.getByRole('columnheader', { name: /Break \(no reason\)|Break - / })).toHaveCount(0);
  await expect(page.locator('.current-job .meta').first()).toContainText('2 rows');
});

test('History offline keeps the jobs made on this machine, with their files', async () => {
  const { context, page, signIn } = await appAt(browser, server, supervisor);
  await signIn();
  await chooseReport(page, 'Activity');
  expect(await generate(page)).toBe('Ready');
  await page.getByRole('link', { name: 'History' }).click();
  // Shared: the upload is done before going offline.
  await expect(page.getByTestId('job').getByRole('button', { name: /^Download CSV/ })).toBeVisible();
  await expect
    .poll(async () => {
      const answer = await server.call<{ jobs: { status: string; files: unknown[] }[] }>(
        'GET',
        '/api/v1/report-jobs',
        { token: supervisor.token },
      );
      return answer.body.jobs[0]?.files.length;
    })
    .toBe(3);

  await context.setOffline(true);
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('link', { name: 'History' }).click();
  const job = page.getByTestId('job');
  await expect(job).toHaveCount(1);
  await expect(job.getByRole('heading', { name: 'Activity' })).toBeVisible();
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    job.getByRole('button', { name: /^Download CSV/ }).click(),
  ]);
  expect(file.suggestedFilename()).toMatch(/^activity_.*\.csv$/);
});

test('a saved filter on "Today" moves with the calendar; the chosen period survives a reload', async () => {
  const { page, signIn } = await appAt(browser, server, supervisor);
  const start = Date.now();
  await page.clock.install({ time: start });
  await signIn();
  await chooseReport(page, 'Activity');
  const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
  await page.getByRole('button', { name: 'Today', exact: true }).click();
  await expect(page.getByLabel('From')).toHaveValue(today);
  await expect(page.getByLabel(/^To/)).toHaveValue(today);
  await page.getByLabel('Name for these filters').fill('Daily');
  await expect(page.getByLabel(/Keep “Today” moving with the calendar/)).toBeChecked();
  await page.getByRole('button', { name: 'Save filters' }).click();
  await expect(page.getByRole('button', { name: 'Apply "Daily"' })).toBeVisible();
  await expect(page.getByText('(Today)')).toBeVisible();

  // Yesterday, picked in one click, is what the form shows after a reload.
  await page.getByRole('button', { name: 'Yesterday' }).click();
  const yesterday = await page.getByLabel('From').inputValue();
  expect(yesterday < today).toBe(true);
  await page.reload();
  await chooseReport(page, 'Activity');
  await expect(page.getByRole('button', { name: 'Yesterday' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByLabel('From')).toHaveValue(yesterday);

  // Two days later, "Daily" means that day.
  await page.clock.setSystemTime(start + 2 * 86_400_000);
  const later = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
  expect(later > today).toBe(true);
  await page.getByRole('button', { name: 'Apply "Daily"' }).click();
  await expect(page.getByLabel('From')).toHaveValue(later);
  await expect(page.getByLabel(/^To/)).toHaveValue(later);
  await expect(page.getByRole('button', { name: 'Today', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('one language at a time: the report follows the app, History titles in the reader’s language; axe is clean', async () => {
  const { page, signIn } = await appAt(browser, server, supervisor);
  await signIn();
  await chooseReport(page, 'Activity');
  expect(await generate(page)).toBe('Ready');
  expect(await seriousViolations(page), 'reports, en').toEqual([]);

  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('pt-BR');
  await page.getByRole('link', { name: 'Relatórios' }).click();
  await page.getByRole('button', { name: /^Atividades/ }).click();
  // The column checkboxes and the report's language follow the app's.
  await expect(page.getByRole('group', { name: 'Colunas' }).getByLabel('Nome do Agente')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Idioma do relatório' })).toHaveValue('pt-BR');
  await expect(page.getByRole('button', { name: 'Hoje', exact: true })).toBeVisible();
  expect(await seriousViolations(page), 'relatórios').toEqual([]);

  // The English job reads as "Atividades", its file's language plainly, with pt-BR dates.
  await page.getByRole('link', { name: 'Histórico' }).click();
  const job = page.getByTestId('job');
  await expect(job.getByRole('heading', { name: 'Atividades' })).toBeVisible();
  await expect(job).toContainText('Arquivo em English');
  await expect(job).toContainText(/\d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}/);
  await expect(job).toContainText('6 linhas');
  expect(await seriousViolations(page), 'histórico').toEqual([]);

  // Delete asks first, in the reader's language.
  page.once('dialog', (dialog) => {
    expect(dialog.message()).toContain('Atividades');
    void dialog.dismiss();
  });
  await job.getByRole('button', { name: 'Excluir' }).click();
  await expect(job).toHaveCount(1);
  page.once('dialog', (dialog) => void dialog.accept());
  await job.getByRole('button', { name: 'Excluir' }).click();
  await expect(page.getByText('Nenhum relatório foi gerado ainda.')).toBeVisible();
});
