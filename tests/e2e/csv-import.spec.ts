import { expect, test } from '@playwright/test';
import { type ServerProcess, startServerProcess, tenantWithSupervisor } from './server-process.ts';
import { launchSupervisorBrowser, signInToApp, supervisorContext } from './supervisor.ts';

// Issue 10 §5: a broadcast export of the messaging platform (pt-BR, `;`, Windows-1252) imported
// through the mapping step, in real Chromium, parsed in the data worker.

/** Windows-1252 bytes of Latin-1 text, as the platform's exports (and Excel in Brazil) save them. */
function windows1252(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

const EXPORT = [
  'Número;Data de envio;Status;Campanha;Template;Custo',
  '+55 (11) 98765-4321;10/03/2026 15:41;Entregue;Black Friday;promoção_nov;0,0625',
  '5511912345678;10/03/2026 15:42:10;Lida;Black Friday;promoção_nov;0,0625',
  '5511900000000;31/02/2026 15:43;Entregue;Black Friday;promoção_nov;0,0625',
  '5511911111111;10/03/2026 15:44;Não entregue;Black Friday;promoção_nov;0,0625',
  '5511922222222;10/03/2026 15:45;Perdida;Black Friday;promoção_nov;0,0625',
].join('\r\n');

let server: ServerProcess;
let supervisor: Awaited<ReturnType<typeof tenantWithSupervisor>>;
test.beforeAll(async () => {
  server = await startServerProcess();
  supervisor = await tenantWithSupervisor(server);
});
test.afterAll(async () => {
  await server?.close();
});

test('a pt-BR broadcast export in Windows-1252 with `;`: mapped, previewed, imported, errors listed by line', async () => {
  const browser = await launchSupervisorBrowser();
  try {
    const app = await (await supervisorContext(browser)).newPage();
    await signInToApp(app, server.url, supervisor.email, supervisor.password);
    await app.getByRole('link', { name: 'Import' }).click();
    await app.getByLabel('Choose a .csv file').setInputFiles({
      name: 'disparos-black-friday.csv',
      mimeType: 'text/csv',
      buffer: windows1252(EXPORT),
    });

    // What the worker detected, and the file's own rows with their accents read right.
    await expect(app.getByTestId('csv-detected')).toHaveText(
      'Separator ";", encoding Windows-1252, 6 columns.',
    );
    await expect(app.getByRole('table', { name: 'First rows of the file' })).toContainText('promoção_nov');

    // The suggested mapping names the export's columns; the business number is not in the file.
    await expect(app.getByLabel('contact', { exact: true })).toHaveValue('Número');
    await expect(app.getByLabel('at', { exact: true })).toHaveValue('Data de envio');
    await expect(app.getByLabel('status', { exact: true })).toHaveValue('Status');
    await expect(app.getByTestId('csv-problems')).toContainText(
      'business: is required; choose a column or a constant',
    );
    await expect(app.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await app.getByLabel('business', { exact: true }).selectOption({ label: 'A constant…' });
    await app.getByLabel('Constant for business').fill('55 11 3333-4444');

    // The records the first rows make, and the bad ones with their line and field.
    const records = app.getByTestId('csv-records-preview');
    await expect(records).toContainText('Line 2: {"type":"message","at":"2026-03-10T18:41:00.000Z"');
    await expect(records).toContainText('"contact":"5511987654321","business":"551133334444"');
    await expect(records).toContainText('"type":"message_status"');
    await expect(records).toContainText(
      'Line 4: at: "31/02/2026 15:43" is not a date dd/MM/yyyy HH:mm[:ss] that exists',
    );

    // Saved by name, it comes back for next month's export.
    await app.getByLabel('Save mapping as…').fill('Disparos BF');
    await app.getByRole('button', { name: 'Save mapping' }).click();
    await expect(app.getByText('Mapping "Disparos BF" saved.')).toBeVisible();
    await expect(app.getByLabel('Saved mapping')).toContainText('Disparos BF');

    await app.getByRole('button', { name: 'Import', exact: true }).click();
    const result = app.getByTestId('csv-import-result');
    // 3 good rows, each a message and its status; 2 invalid lines.
    await expect(result).toContainText('6 records kept from 5 rows, 2 invalid lines.');
    await expect(result).toContainText('Line 4: at: "31/02/2026 15:43" is not a date');
    await expect(result).toContainText(
      'Line 6: status: "Perdida" is not a status of the catalog (e.g. Entregue, Lida, Delivered, read)',
    );

    // A file in neither encoding is refused, saying which byte.
    await app.getByLabel('Choose a .csv file').setInputFiles({
      name: 'utf16.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\ufeffNúmero;Data\r\n1;2\r\n', 'utf16le'),
    });
    await expect(app.getByRole('alert')).toContainText(
      'The file cannot be imported: the file is UTF-16, neither UTF-8 nor Windows-1252: save it as UTF-8 or Windows-1252 CSV',
    );
  } finally {
    await browser.close();
  }
});
