import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import * as XLSX from 'xlsx';
import { SIGNATURE_HEADER, signatureFor } from '../../server/integrations/whatsapp-cloud.ts';
import { shiftDate } from '../../shared/reports/filters.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';
import {
  chooseReport,
  download,
  generate,
  launchSupervisorBrowser,
  SUPERVISOR_ZONE,
  signInToApp,
  supervisorContext,
} from './supervisor.ts';

// Issue 11 §4: webhook payloads posted to the real server, synced into the PWA in real Chromium,
// the message reports run there and their XLSX files parsed and checked against what was posted.

const TENANT = 'Acme Contact Center';
const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
const APP_SECRET = 'meta-app-secret-for-the-test';
const BUSINESS = '551133334444';
const START = Date.now();
/** Whole seconds (WhatsApp's timestamps are), some minutes before the test started. */
const minutesAgo = (minutes: number) => Math.floor((START - minutes * 60_000) / 1000) * 1000;
const unix = (ms: number) => String(ms / 1000);

/** Three templates agents sent, as the messaging platform pushes them with its API token. */
const SENT = [
  { wamid: 'wamid.A', contact: '5511987654321', template: 'boleto_lembrete', at: minutesAgo(40) },
  { wamid: 'wamid.B', contact: '5511912340002', template: 'boleto_lembrete', at: minutesAgo(39) },
  { wamid: 'wamid.C', contact: '5511912340003', template: 'pesquisa_nps', at: minutesAgo(38) },
];
const messageRecord = (sent: (typeof SENT)[number]) => ({
  id: `msg-${sent.wamid}`,
  type: 'message',
  at: new Date(sent.at).toISOString(),
  messageId: sent.wamid,
  channel: 'whatsapp',
  direction: 'MT',
  contact: sent.contact,
  business: BUSINESS,
  contentType: 'template',
  origin: 'attendance',
  templateId: `tpl-${sent.template}`,
  templateName: sent.template,
  text: `Olá! (${sent.template})`,
  agentId: 'ana.souza',
  agentName: 'Ana Souza',
});

/** What Meta posts: A delivered then read, B fails (131026: not delivered), C only sent; A's contact answers. */
function webhookPayload(): string {
  const [a, b, c] = SENT as [(typeof SENT)[number], (typeof SENT)[number], (typeof SENT)[number]];
  const status = (sent: typeof a, value: string, at: number, extra: object = {}) => ({
    id: sent.wamid,
    status: value,
    timestamp: unix(at),
    recipient_id: sent.contact,
    ...extra,
  });
  const value = (inner: object) => ({
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: BUSINESS, phone_number_id: '106540352242922' },
      ...inner,
    },
  });
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          value({
            statuses: [
              // Out of order, as Meta may send them: read before delivered.
              status(a, 'read', a.at + 120_000),
              status(a, 'delivered', a.at + 5_000),
              status(b, 'failed', b.at + 3_000, {
                errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable' }],
              }),
              status(c, 'sent', c.at + 1_000),
            ],
          }),
          value({
            contacts: [{ profile: { name: 'Ana Souza' }, wa_id: a.contact }],
            messages: [
              {
                context: { from: BUSINESS, id: a.wamid },
                from: a.contact,
                id: 'wamid.MO1',
                timestamp: unix(a.at + 300_000),
                text: { body: 'Já paguei, segue o comprovante.' },
                type: 'text',
              },
            ],
          }),
        ],
      },
    ],
  });
}

/** A datetime cell of the XLSX (a spreadsheet date in the report's zone) as epoch ms. */
function instantOf(serial: unknown): number {
  const localMs = Math.round((Number(serial) - 25_569) * 86_400_000);
  // São Paulo has no daylight saving time since 2019: UTC−3 all year.
  expect(SUPERVISOR_ZONE).toBe('America/Sao_Paulo');
  return localMs + 3 * 3_600_000;
}

async function xlsxRows(page: Page): Promise<unknown[][]> {
  const file = await download(page, 'XLSX');
  expect(file.name).toMatch(/\.xlsx$/);
  const book = XLSX.read(file.bytes, { type: 'buffer' });
  return XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1, raw: true });
}

/** Only the XLSX is written: the test reads it. */
async function onlyXlsx(page: Page): Promise<void> {
  const files = page.getByRole('group', { name: 'Files' });
  await files.getByLabel('CSV').uncheck();
  await files.getByLabel('PDF').uncheck();
  await expect(files.getByLabel('XLSX')).toBeChecked();
}

let server: ServerProcess;
test.beforeAll(async () => {
  server = await startServerProcess();
  await server.admin(['create-tenant', TENANT]);
  await server.admin(
    ['create-user', '--tenant', TENANT, '--email', ADMIN.email, '--role', 'admin'],
    `${ADMIN.password}\n`,
  );
  // The integrations: Meta's webhook (statuses, replies) and the platform's token (messages sent).
  const admin = (await server.call<{ token: string }>('POST', '/api/v1/auth/login', { body: ADMIN })).body
    .token;
  const whatsApp = await server.call<{ integration: { webhookPath: string } }>(
    'POST',
    '/api/v1/integrations',
    {
      token: admin,
      body: {
        provider: 'whatsapp-cloud',
        name: 'Main number',
        appSecret: APP_SECRET,
        verifyToken: 'verify-1234',
      },
    },
  );
  expect(whatsApp.status).toBe(201);
  const platform = await server.call<{ token: string }>('POST', '/api/v1/integrations', {
    token: admin,
    body: { provider: 'api', name: 'Messaging platform' },
  });
  expect(platform.status).toBe(201);
  const pushed = await server.call<{ accepted: string[] }>('POST', '/api/v1/events/push', {
    token: platform.body.token,
    body: { events: SENT.map(messageRecord) },
  });
  expect(pushed.status).toBe(200);
  expect(pushed.body.accepted).toHaveLength(SENT.length);
  const body = webhookPayload();
  const posted = await fetch(`${server.url}${whatsApp.body.integration.webhookPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureFor(body, APP_SECRET) },
    body,
  });
  expect(posted.status).toBe(200);
});
test.afterAll(async () => {
  await server?.close();
});

test('webhook statuses and a reply reach the PWA; the HSM reports count them and their XLSX says so', async () => {
  const browser = await launchSupervisorBrowser();
  try {
    const app = await (await supervisorContext(browser)).newPage();
    await signInToApp(app, server.url, ADMIN.email, ADMIN.password);

    // The detailed view counts its results before anything is generated, once the data is here.
    await chooseReport(app, 'HSM — detailed');
    const count = app.getByTestId('result-count');
    await expect(count).toHaveText('3 results', { timeout: 30_000 });
    // A period without messages: none; the count follows the filters.
    const today = await app.getByLabel('To (inclusive)').inputValue();
    const weekAgo = await app.getByLabel('From').inputValue();
    await app.getByLabel('To (inclusive)').fill(weekAgo);
    await expect(count).toHaveText('0 results');
    await app.getByLabel('To (inclusive)').fill(today);
    await expect(count).toHaveText('3 results');
    // In Portuguese, as a Brazilian supervisor reads it.
    await app.getByRole('combobox', { name: 'Language', exact: true }).selectOption('pt-BR');
    await expect(count).toHaveText('3 resultados');
    await app.getByRole('combobox', { name: 'Idioma', exact: true }).selectOption('en');
    await expect(count).toHaveText('3 results');

    await onlyXlsx(app);
    expect(await generate(app)).toBe('Ready');
    const [header, ...rows] = await xlsxRows(app);
    expect(header).toEqual([
      'Number',
      'CPF/CNPJ',
      'Send Date',
      'Status',
      'Status Date',
      'Message',
      'Template ID',
      'Template Name',
      'Replied',
    ]);
    // By send date: A read (its deciding update the read), B not delivered, C sent; A replied.
    const [a, b, c] = SENT as [(typeof SENT)[number], (typeof SENT)[number], (typeof SENT)[number]];
    expect(rows.map((row) => [row[0], row[3], row[5], row[6], row[7], row[8]])).toEqual([
      [a.contact, 'Read', `Olá! (${a.template})`, `tpl-${a.template}`, a.template, 'Yes'],
      [b.contact, 'Not delivered', `Olá! (${b.template})`, `tpl-${b.template}`, b.template, 'No'],
      [c.contact, 'Sent', `Olá! (${c.template})`, `tpl-${c.template}`, c.template, 'No'],
    ]);
    expect(rows.map((row) => instantOf(row[2]))).toEqual([a.at, b.at, c.at]);
    // The preview explains a status: the catalog's words as the cell's tooltip and description.
    const notDelivered = app
      .locator('.current-job')
      .getByRole('cell', { name: 'Not delivered', exact: true });
    await expect(notDelivered).toHaveAttribute('title', 'The provider could not deliver it.');
    await expect(notDelivered).toHaveAccessibleDescription('The provider could not deliver it.');
    expect(rows.map((row) => instantOf(row[4]))).toEqual([a.at + 120_000, b.at + 3_000, c.at + 1_000]);

    // Saved as a model with a relative period, and applied in one click after a reload.
    const models = app.getByRole('group', { name: 'Models' });
    await models.getByLabel('Name for this model').fill('HSM this week');
    // Dates typed, ending today: kept as "the last 7 days".
    await models.getByLabel('Keep the period relative: the last 7 days, whenever it is applied').check();
    await models.getByRole('button', { name: 'Save this search as a model' }).click();
    await expect(models.getByRole('button', { name: 'Apply model "HSM this week"' })).toBeVisible();
    await expect(models).toContainText('(last 7 days)');
    await app.reload();
    await chooseReport(app, 'HSM — detailed');
    await app.getByLabel('From').fill(today);
    await app.getByRole('group', { name: 'Files' }).getByLabel('PDF').uncheck();
    await app.getByRole('button', { name: 'Apply model "HSM this week"' }).click();
    await expect(app.getByLabel('From')).toHaveValue(weekAgo);
    await expect(app.getByLabel('To (inclusive)')).toHaveValue(today);
    await expect(app.getByRole('group', { name: 'Files' }).getByLabel('PDF')).not.toBeChecked();
    await expect(app.getByRole('group', { name: 'Files' }).getByLabel('CSV')).not.toBeChecked();
    await expect(count).toHaveText('3 results');

    // The consolidated view: one row of the period's counts by the catalog's groups.
    await chooseReport(app, 'HSM — consolidated');
    await expect(count).toHaveText('1 result');
    await onlyXlsx(app);
    expect(await generate(app)).toBe('Ready');
    const [consolidatedHeader, totals] = await xlsxRows(app);
    expect(consolidatedHeader).toEqual([
      'Start Date',
      'End Date',
      'Total Dispatches',
      'Read Dispatches',
      'Sent',
      'Delivered',
      'Blocked',
      'Failures',
      'Replied',
    ]);
    // Sent ⊇ Delivered ⊇ Read: A read, C sent; B failed; A replied.
    expect(totals!.slice(2)).toEqual([3, 1, 2, 1, 0, 1, 1]);
  } finally {
    await browser.close();
  }
});

test('messages: channel and direction pick the rows, a model restores them; the consolidated view shows totals and a day chart', async () => {
  const browser = await launchSupervisorBrowser();
  try {
    const app = await (await supervisorContext(browser)).newPage();
    await signInToApp(app, server.url, ADMIN.email, ADMIN.password);
    await chooseReport(app, 'Messages — detailed');
    const count = app.getByTestId('result-count');
    // The last 7 days by default: the three templates sent (MT, the default direction).
    await expect(count).toHaveText('3 results', { timeout: 30_000 });
    const today = await app.getByLabel('To (inclusive)').inputValue();
    const channel = app.getByRole('combobox', { name: 'Channel' });
    const direction = app.getByRole('combobox', { name: 'Direction' });
    await expect(channel.getByRole('option')).toHaveText(['—', 'WhatsApp', 'SMS']);
    await channel.selectOption({ label: 'SMS' });
    await expect(count).toHaveText('0 results');
    await channel.selectOption({ label: 'WhatsApp' });
    await expect(count).toHaveText('3 results');
    await direction.selectOption({ label: 'Received (MO)' });
    await expect(count).toHaveText('1 result');

    // Saved as a model, then applied after a reload: channel and direction come back in one click.
    const models = app.getByRole('group', { name: 'Models' });
    await models.getByLabel('Name for this model').fill('Replies on WhatsApp');
    await models.getByLabel(/^Keep “Last 7 days”/).check();
    await models.getByRole('button', { name: 'Save this search as a model' }).click();
    await expect(models.getByRole('button', { name: 'Apply model "Replies on WhatsApp"' })).toBeVisible();
    await app.reload();
    await chooseReport(app, 'Messages — detailed');
    await expect(count).toHaveText('3 results', { timeout: 30_000 });
    await expect(direction).toHaveValue('');
    await app.getByRole('button', { name: 'Apply model "Replies on WhatsApp"' }).click();
    await expect(channel).toHaveValue('whatsapp');
    await expect(direction).toHaveValue('MO');
    await expect(count).toHaveText('1 result');

    // The reply, as the webhook brought it: the MO columns.
    await onlyXlsx(app);
    expect(await generate(app)).toBe('Ready');
    const [moHeader, reply] = await xlsxRows(app);
    const cell = (name: string) => reply![(moHeader as string[]).indexOf(name)];
    expect(cell('Origin')).toBe(SENT[0]!.contact);
    expect(cell('Message Received')).toBe('Já paguei, segue o comprovante.');
    expect(instantOf(cell('Replied At'))).toBe(SENT[0]!.at + 300_000);

    // The consolidated view: the period's totals with their shares, and a chart of each day.
    await chooseReport(app, 'Messages — consolidated');
    await expect(count).toHaveText('8 results');
    await onlyXlsx(app);
    expect(await generate(app)).toBe('Ready');
    const headline = app.getByRole('region', { name: 'Totals' });
    await expect(headline.getByRole('term')).toHaveText([
      'Total',
      'Sent',
      'Delivered',
      'Read',
      'Failures',
      'Blocked',
    ]);
    await expect(headline.getByRole('definition')).toHaveText([
      '3',
      '2 66.7% of Total',
      '1 33.3% of Total',
      '1 33.3% of Total',
      '1 33.3% of Total',
      '0 0% of Total',
    ]);
    const table = app.getByRole('table', { name: 'Delivered and failed per day: numbers per day' });
    await expect(table.getByRole('columnheader')).toHaveText(['Date', 'Delivered', 'Failures']);
    const days = table.locator('tbody tr');
    await expect(days).toHaveCount(7);
    await expect(days.last()).toHaveText([today, '1', '1'].join(''));
    await expect(days.first()).toHaveText([shiftDate(today, 6), '0', '0'].join(''));
    // Each day, focused with the keyboard, shows its numbers; and is read out with them.
    const chart = app.getByRole('group', { name: 'Delivered and failed per day' });
    const todayBar = chart.getByRole('img', { name: `${today}: Delivered 1, Failures 1` });
    await expect(app.getByTestId('chart-tooltip')).toHaveCount(0);
    await todayBar.focus();
    await expect(app.getByTestId('chart-tooltip')).toHaveText(`${today} Delivered: 1 Failures: 1`);
    await app.keyboard.press('Shift+Tab');
    await expect(app.getByTestId('chart-tooltip')).toContainText(shiftDate(today, 1));
    const serious = (await new AxeBuilder({ page: app }).include('.current-job').analyze()).violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    expect(serious.map((violation) => violation.id)).toEqual([]);

    // The file has the same days and the total last.
    const [, ...consolidated] = await xlsxRows(app);
    expect(consolidated).toHaveLength(8);
    expect(consolidated.at(-1)!.slice(1, 3)).toEqual(['Total', 3]);
  } finally {
    await browser.close();
  }
});
