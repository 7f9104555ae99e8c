import { parse } from 'csv-parse/sync';
import * as XLSX from 'xlsx';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import { CellFormatter } from '../../shared/format/cells.ts';
import { activity } from '../../shared/reports/activity.ts';
import { defaultHiddenColumns, shiftDate, withoutColumns } from '../../shared/reports/filters.ts';
import { pdfPagesText } from '../../shared/testing/pdf-text.ts';
import { seriousViolations } from './axe.ts';
import { chooseStatus, signIn } from './browser.ts';
import { exportCapturedEvents, waitForStored } from './captured.ts';
import { at, expect, test } from './fixtures.ts';
import { type ServerProcess, startServerProcess, tenantWithSupervisor } from './server-process.ts';
import {
  chooseReport,
  download,
  generate,
  launchSupervisorBrowser,
  pushAsDevice,
  SUPERVISOR_ZONE,
  seedLocalStore,
  signInToApp,
  supervisorContext,
  twoAgentsDay,
} from './supervisor.ts';

// Issue 5: the supervisors' PWA, served by `pontual serve`, in real Chromium.

/** The Activity rows these events make, as the CSV shows them (no open rows: the day ended). */
function expectedActivityRows(events: ActivityEvent[]): string[][] {
  // As the form runs it: the columns hidden by default (Cause) left out.
  const all = activity.compute(events, {
    timeZone: SUPERVISOR_ZONE,
    locale: 'en',
    now: Date.now(),
    splitDays: false,
  });
  const formatter = new CellFormatter('en', SUPERVISOR_ZONE);
  const result = withoutColumns(all, defaultHiddenColumns(activity));
  return result.rows.map((row) =>
    row.map((value, index) => formatter.format(result.columns[index]!.type, value)),
  );
}

function csvRows(bytes: Buffer): string[][] {
  const text = bytes.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text.slice(1), { delimiter: ';' }) as string[][];
}

test('the whole pipeline: example B captured by the extension, synced, reported and downloaded in the PWA', async ({
  attendance,
  agent,
}) => {
  const server = await startServerProcess();
  const browser = await launchSupervisorBrowser();
  try {
    const supervisor = await tenantWithSupervisor(server);
    const created = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: supervisor.token,
      body: { agentIds: ['fabio.rocha'] },
    });
    const options = await agent.context.newPage();
    await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
    await options.fill('#server-url', server.url);
    await options.fill('#enrollment-code', created.body.code);
    await options.click('#save-settings');
    await expect(options.locator('#settings-message')).toContainText(/Enrolled as|Registrado como/);

    // DESIGN example B, 1 minute = 1 second.
    const page = await agent.context.newPage();
    await signIn(page, attendance.url, 'fabio.rocha');
    const start = Date.now();
    await at(start, 0.83);
    await chooseStatus(page, 'break:Training');
    await at(start, 9.53);
    await page.reload();
    await page.waitForSelector('#connection-state:text("connected")');
    await at(start, 11.83);
    await chooseStatus(page, 'break:Meeting');
    await at(start, 16.67);
    await page.click('#logout-button');
    await waitForStored(agent.context, agent.extensionId, { type: 'logout', count: 1 });
    await page.close();
    const captured = await exportCapturedEvents(agent.context, agent.extensionId);
    const expected = expectedActivityRows(captured);
    expect(expected.map((row) => row[1])).toEqual([
      'Login',
      'Break - Training',
      'Login',
      'Break - Training',
      'Break - Meeting',
      'Logout',
    ]);

    // The supervisor's app: signs in, syncs, and keeps up through the stream until every event is there.
    const context = await supervisorContext(browser);
    const app = await context.newPage();
    await signInToApp(app, server.url, supervisor.email, supervisor.password);
    await chooseReport(app, 'Activity');
    await expect
      .poll(
        async () => {
          expect(await generate(app)).toBe('Ready');
          return app.locator('.current-job .meta').first().textContent();
        },
        { timeout: 60_000, intervals: [2_000] },
      )
      .toContain(`${expected.length} rows`);

    const csv = await download(app, 'CSV');
    expect(csv.name).toMatch(/^activity_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = csvRows(csv.bytes);
    expect(header).toEqual(
      activity.columns.filter((column) => !column.hiddenByDefault).map((column) => column.label.en),
    );
    expect(rows).toEqual(expected);

    const xlsx = await download(app, 'XLSX');
    const sheet = XLSX.read(xlsx.bytes, { type: 'buffer' }).Sheets.Activity!;
    const cells = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true });
    expect(cells.slice(1).map((row) => [row[0], row[1]])).toEqual(expected.map((row) => [row[0], row[1]]));
    // Durations are numbers (days) there: the same seconds as the CSV shows.
    const seconds = (text: string) => text.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
    expect(cells.slice(1).map((row) => Math.round(Number(row[6]) * 86_400))).toEqual(
      expected.map((row) => seconds(row[6]!)),
    );

    const pdf = (await pdfPagesText((await download(app, 'PDF')).bytes)).join('\n');
    expect(pdf).toContain('Activity');
    for (const row of expected) expect(pdf).toContain(`${row[1]} `.trimEnd());
    expect(pdf.match(/Fabio Rocha/g)?.length).toBe(expected.length);

    // The job is in the shared history with its files.
    const history = await server.call<{ jobs: { status: string; files: unknown[] }[] }>(
      'GET',
      '/api/v1/report-jobs',
      {
        token: supervisor.token,
      },
    );
    expect(history.body.jobs[0]).toMatchObject({
      status: 'READY',
      files: expect.arrayContaining([expect.anything()]),
    });
  } finally {
    await browser.close();
    await server.close();
  }
});

test.describe('with a server holding a day of two agents', () => {
  let server: ServerProcess;
  let supervisor: { email: string; password: string; token: string };
  test.beforeEach(async () => {
    server = await startServerProcess();
    supervisor = await tenantWithSupervisor(server);
    await pushAsDevice(server, supervisor.token, twoAgentsDay());
  });
  test.afterEach(async () => {
    await server.close();
  });

  test('offline: the app opens from its service worker and reports on local data', async () => {
    const browser = await launchSupervisorBrowser();
    try {
      const context = await supervisorContext(browser);
      const app = await context.newPage();
      await signInToApp(app, server.url, supervisor.email, supervisor.password);
      await app.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

      await context.setOffline(true);
      await app.reload();
      await expect(app.getByText('Offline: reports use the data already on this machine')).toBeVisible();
      await chooseReport(app, 'Activity');
      expect(await generate(app)).toBe('Ready');
      const [, ...rows] = csvRows((await download(app, 'CSV')).bytes);
      expect(rows.map((row) => row[0])).toEqual([
        ...Array(3).fill('Ana Souza'),
        ...Array(3).fill('Bruno Lima'),
      ]);
      await expect(app.locator('.current-job')).toContainText('Not shared');
    } finally {
      await browser.close();
    }
  });

  test("a second supervisor sees the first one's job appear in the history without reloading", async () => {
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
      const first = await (await supervisorContext(browser)).newPage();
      const second = await (await supervisorContext(browser)).newPage();
      await signInToApp(first, server.url, supervisor.email, supervisor.password);
      await signInToApp(second, server.url, 'second@example.com', 'second password 123');
      await second.getByRole('link', { name: 'History' }).click();
      await expect(second.getByText('No report has been run yet.')).toBeVisible();

      await chooseReport(first, 'Agent daily summary');
      expect(await generate(first)).toBe('Ready');
      // The chart of logged-in and break time, from the worker's rows.
      await expect(
        first.getByRole('img', { name: 'Logged in and on break, per agent and day' }),
      ).toBeVisible();

      const job = second.getByTestId('job').first();
      await expect(job).toContainText(supervisor.email);
      await expect(job.getByTestId('job-status')).toHaveText('Ready');
      await expect(job.getByRole('button', { name: /^Download CSV/ })).toBeVisible();
    } finally {
      await browser.close();
    }
  });

  test('bad input: broken import lines, a period over the limit and a report failing in the worker', async () => {
    const browser = await launchSupervisorBrowser();
    try {
      const app = await (await supervisorContext(browser)).newPage();
      await signInToApp(app, server.url, supervisor.email, supervisor.password);

      // An import with broken lines keeps the good ones and says which lines and why.
      await app.getByRole('link', { name: 'Import' }).click();
      const good = twoAgentsDay(Date.now() - 3_600_000).map((event) => ({
        ...event,
        id: `imported-${(event as { id: string }).id}`,
        agentId: 'carla.dias',
        agentName: 'Carla Dias',
      }));
      const lines = [
        JSON.stringify(good[0]),
        '{not json',
        JSON.stringify({ ...good[1], at: 'yesterday' }),
        JSON.stringify(good[2]),
      ];
      await app.getByLabel('Choose a .jsonl file').setInputFiles({
        name: 'office.jsonl',
        mimeType: 'application/x-ndjson',
        buffer: Buffer.from(lines.join('\n')),
      });
      // Picking only shows what the file holds: nothing is imported before "Import".
      const chosen = app.getByTestId('import-chosen');
      await expect(chosen).toContainText(/office\.jsonl · \d+(\.\d)? (B|kB) · 4 lines: 2 Agent activity/);
      await expect(chosen).toContainText('2 invalid');
      await expect(app.getByTestId('import-result')).toHaveCount(0);
      await app
        .getByRole('region', { name: 'Import these files?' })
        .getByRole('button', { name: 'Import', exact: true })
        .click();
      const result = app.getByTestId('import-result');
      await expect(result).toContainText('2 events kept, 2 invalid lines.');
      await expect(result).toContainText(
        'Line 2: this line is not a record in JSON (a quote, comma or brace may be missing)',
      );
      await expect(result).toContainText(
        'Line 3: the time "yesterday" is not a date and time like 2026-12-02T13:00:00-03:00',
      );
      // The file and line, and the validator's own words, stay for whoever fixes the producer.
      await expect(result).toContainText('office.jsonl:3 · at: must be an ISO-8601 instant');
      // The good ones reach the server.
      await expect
        .poll(async () => {
          const pulled = await server.call<{ events: { id: string }[] }>(
            'GET',
            '/api/v1/events/pull?limit=100',
            {
              token: supervisor.token,
            },
          );
          return pulled.body.events.filter((event) => event.id.startsWith('imported-')).length;
        })
        .toBe(2);

      // A period over the report's limit is refused before anything runs.
      await chooseReport(app, 'Activity');
      await app.getByLabel('From').fill('2026-01-01');
      await app.getByLabel('To (inclusive)').fill('2026-03-01');
      await app.getByRole('button', { name: 'Generate' }).click();
      await expect(app.getByTestId('filter-error')).toContainText('covers at most 31 days');
      await expect(app.locator('.current-job')).toHaveCount(0);

      // A report failing inside the worker (a damaged local store) ends as ERROR with what to do.
      const storeName = await app.evaluate(
        () => JSON.parse(localStorage.getItem('pontual.session')!).storeName,
      );
      await app.evaluate(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => {
              const tx = open.result.transaction('chunks', 'readwrite');
              tx.objectStore('chunks').put({ minAt: 0, maxAt: Date.now(), count: 1, text: '{damaged' });
              tx.oncomplete = () => resolve();
              tx.onerror = () => reject(tx.error);
            };
          }),
        storeName,
      );
      await app.reload();
      await chooseReport(app, 'Activity');
      expect(await generate(app)).toBe('Error');
      await expect(app.locator('.current-job [role="alert"]')).toContainText(
        'The local copy of the data is damaged',
      );
      // Nothing else broke: the history lists the failed job and the app keeps working.
      await app.getByRole('link', { name: 'History' }).click();
      await expect(app.getByTestId('job').first()).toContainText('damaged');
      await app.getByRole('link', { name: 'Settings' }).click();
      await expect(app.getByText(/This machine holds/)).toBeVisible();
    } finally {
      await browser.close();
    }
  });

  test('teams and saved filters pick agents in one click, and survive a reload', async () => {
    const browser = await launchSupervisorBrowser();
    try {
      const app = await (await supervisorContext(browser)).newPage();
      await signInToApp(app, server.url, supervisor.email, supervisor.password);
      await chooseReport(app, 'Activity');
      await app.getByLabel('Ana Souza').check();
      await app.getByLabel('Name for this selection (a team)').fill('Morning');
      await app.getByRole('button', { name: 'Save as team' }).click();
      await expect(app.getByRole('button', { name: 'Morning (1)' })).toBeVisible();
      await app.getByLabel('Split rows at midnight').check();
      await app.getByLabel('Name for these filters').fill('Ana, split');
      await app.getByRole('button', { name: 'Save filters' }).click();
      // Saved (in IndexedDB) before the reload.
      await expect(app.getByRole('button', { name: 'Apply "Ana, split"' })).toBeVisible();

      await app.reload();
      await chooseReport(app, 'Activity');
      await expect(app.getByText('Agents: All agents')).toBeVisible();
      await app.getByRole('button', { name: 'Apply "Ana, split"' }).click();
      await expect(app.getByText('Agents: 1 selected')).toBeVisible();
      await expect(app.getByLabel('Split rows at midnight')).toBeChecked();
      expect(await generate(app)).toBe('Ready');
      const [, ...rows] = csvRows((await download(app, 'CSV')).bytes);
      expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(['Ana Souza']));

      await app.getByRole('button', { name: 'All agents' }).click();
      await app.getByRole('button', { name: 'Morning (1)' }).click();
      await expect(app.getByLabel('Ana Souza')).toBeChecked();
      await expect(app.getByLabel('Bruno Lima')).not.toBeChecked();
    } finally {
      await browser.close();
    }
  });

  test('a device 3 h slow is corrected by default; the Device clocks switch shows its own clock and is saved', async () => {
    // Carla's PC runs 3 h slow: it stamps her day 3 h early, and says so with every push.
    const hour = 3_600_000;
    const now = Date.now();
    const carla = twoAgentsDay(now - 3 * hour)
      .filter((event) => (event as { agentId: string }).agentId === 'ana.souza')
      .map((event) => ({
        ...event,
        id: `carla-${(event as { id: string }).id}`,
        agentId: 'carla.dias',
        agentName: 'Carla Dias',
        sessionId: 's-carla',
        deviceId: 'carla-pc',
      }));
    await pushAsDevice(server, supervisor.token, carla, new Date(Date.now() - 3 * hour).toISOString());
    const browser = await launchSupervisorBrowser();
    try {
      const app = await (await supervisorContext(browser)).newPage();
      await signInToApp(app, server.url, supervisor.email, supervisor.password);
      await chooseReport(app, 'Activity');
      const carlasLogin = async () => {
        expect(await generate(app)).toBe('Ready');
        const [, ...rows] = csvRows((await download(app, 'CSV')).bytes);
        const login = rows.find((row) => row[0] === 'Carla Dias' && row[1] === 'Login')!;
        return Date.parse(`${login[2]}T${login[3]}Z`);
      };
      const corrected = await carlasLogin();

      const toggle = app.getByLabel('Device clocks (no skew correction)');
      await expect(toggle).not.toBeChecked();
      await toggle.check();
      await app.getByLabel('Name for these filters').fill('Raw clocks');
      await app.getByRole('button', { name: 'Save filters' }).click();
      await expect(app.getByRole('button', { name: 'Apply "Raw clocks"' })).toBeVisible();
      await app.reload();
      await chooseReport(app, 'Activity');
      await expect(app.getByLabel('Device clocks (no skew correction)')).not.toBeChecked();
      await app.getByRole('button', { name: 'Apply "Raw clocks"' }).click();
      await expect(app.getByLabel('Device clocks (no skew correction)')).toBeChecked();
      const raw = await carlasLogin();
      await expect(app.locator('.current-job')).toContainText('Device clocks (no skew correction)');

      // Corrected, her login is where it happened (50 minutes ago); on her clock, 3 h earlier.
      // (A push's delay adds under a second to the measured offset, and times show whole seconds.)
      expect(corrected - raw).toBeGreaterThanOrEqual(3 * hour);
      expect(corrected - raw).toBeLessThanOrEqual(3 * hour + 2_000);
    } finally {
      await browser.close();
    }
  });

  test('a long job can be cancelled: it stops, leaves no trace, and the next one runs', async () => {
    const browser = await launchSupervisorBrowser();
    try {
      const app = await (await supervisorContext(browser)).newPage();
      await signInToApp(app, server.url, supervisor.email, supervisor.password);
      await seedLocalStore(app, { events: 300_000, agents: 400, days: 20 });
      await app.reload();
      await chooseReport(app, 'Activity');
      await app.getByLabel('From').fill(
        await app
          .getByLabel('To (inclusive)')
          .inputValue()
          .then((to) => shiftDate(to, 25)),
      );
      await app.getByRole('button', { name: 'Generate' }).click();
      const job = app.locator('.current-job');
      await expect(job.getByTestId('job-status')).toHaveText('Processing');
      await expect(job.getByRole('progressbar')).toBeVisible();
      await job.getByRole('button', { name: 'Cancel' }).click();
      await expect(job).toHaveCount(0);
      await app.getByRole('link', { name: 'History' }).click();
      await expect(app.getByText('No report has been run yet.')).toBeVisible();
      const shared = await server.call<{ jobs: unknown[] }>('GET', '/api/v1/report-jobs', {
        token: supervisor.token,
      });
      expect(shared.body.jobs).toEqual([]);

      await chooseReport(app, 'Login/Logout');
      expect(await generate(app)).toBe('Ready');
    } finally {
      await browser.close();
    }
  });

  test('an admin creates an enrollment code and a user, withdraws the code and removes the user', async () => {
    await server.admin(
      ['create-user', '--tenant', 'Acme Contact Center', '--email', 'admin@example.com', '--role', 'admin'],
      'admin password 123\n',
    );
    const browser = await launchSupervisorBrowser();
    try {
      const app = await (await supervisorContext(browser)).newPage();
      await signInToApp(app, server.url, 'admin@example.com', 'admin password 123');
      await app.getByRole('link', { name: 'Admin' }).click();
      await app.getByLabel('Restrict to agents (optional)').fill('ana.souza, bruno.lima');
      await app.getByRole('button', { name: 'Create code' }).click();
      await expect(app.getByTestId('created-code')).toContainText(/Code [A-Z0-9]{5}-[A-Z0-9]{5}/);
      const codes = app.getByRole('region', { name: 'Enrollment codes' });
      await expect(codes.getByRole('row', { name: /ana\.souza, bruno\.lima .* Open/ })).toBeVisible();
      await codes.getByRole('button', { name: 'Withdraw' }).first().click();
      // Withdrawn: it no longer enrolls (and the one the office used stays "Used").
      await expect(codes.getByRole('button', { name: 'Withdraw' })).toHaveCount(0);
      await expect(codes.getByRole('row', { name: /ana\.souza, bruno\.lima/ })).toHaveCount(0);
      // The device that office enrolled is listed, named after the last agent it sent events of.
      await expect(app.getByRole('region', { name: 'Devices' })).toContainText('Bruno Lima');

      const users = app.getByRole('region', { name: 'Users' });
      await users.getByLabel('Email').fill('new.supervisor@example.com');
      await users.getByLabel('Password').fill('a long password');
      await users.getByRole('button', { name: 'Add user' }).click();
      await expect(users.getByRole('row', { name: /new\.supervisor@example\.com/ })).toBeVisible();
      const signIn = await server.call('POST', '/api/v1/auth/login', {
        body: { email: 'new.supervisor@example.com', password: 'a long password' },
      });
      expect(signIn.status).toBe(200);
      await users
        .getByRole('row', { name: /new\.supervisor@example\.com/ })
        .getByRole('button', { name: 'Remove' })
        .click();
      await expect(users.getByRole('row', { name: /new\.supervisor@example\.com/ })).toHaveCount(0);
      const refused = await server.call('POST', '/api/v1/auth/login', {
        body: { email: 'new.supervisor@example.com', password: 'a long password' },
      });
      expect(refused.status).toBe(401);
    } finally {
      await browser.close();
    }
  });

  test('a revoked session says so, keeps the local data, and leads back to sign-in', async () => {
    const browser = await launchSupervisorBrowser();
    try {
      const app = await (await supervisorContext(browser)).newPage();
      await signInToApp(app, server.url, supervisor.email, supervisor.password);
      const token = await app.evaluate(
        () => JSON.parse(localStorage.getItem('pontual.session')!).token as string,
      );
      expect((await server.call('POST', '/api/v1/auth/logout', { token, body: {} })).status).toBe(200);
      await app.getByRole('link', { name: 'Settings' }).click();
      await app.getByRole('button', { name: 'Sync now' }).click();
      const banner = app.getByRole('alert').filter({ hasText: 'Your session ended' });
      await expect(banner).toBeVisible();
      // Reports still run on what is here.
      await chooseReport(app, 'Activity');
      expect(await generate(app)).toBe('Ready');
      await banner.getByRole('button', { name: 'Sign in' }).click();
      await signInToApp(app, server.url, supervisor.email, supervisor.password);
    } finally {
      await browser.close();
    }
  });

  test('every screen passes axe without serious or critical violations, in both locales, and works from the keyboard', async () => {
    const browser = await launchSupervisorBrowser();
    try {
      const app = await (await supervisorContext(browser)).newPage();
      await app.goto(server.url);
      expect(await seriousViolations(app), 'sign-in').toEqual([]);
      await signInToApp(app, server.url, supervisor.email, supervisor.password);
      await chooseReport(app, 'Activity');
      expect(await generate(app)).toBe('Ready');
      await expect(app.getByRole('table')).toBeVisible();
      expect(await seriousViolations(app), 'reports with a preview').toEqual([]);
      for (const screen of ['History', 'Import', 'Admin', 'Settings']) {
        await app.getByRole('link', { name: screen }).click();
        await expect(app.locator('main h1')).toBeVisible();
        expect(await seriousViolations(app), screen).toEqual([]);
      }
      // Keyboard only: find a report by typing, pick it, and run it with Enter.
      await app.getByRole('link', { name: 'Reports' }).click();
      await app.getByRole('searchbox', { name: 'Search reports' }).focus();
      await app.keyboard.type('login/logout');
      await app.keyboard.press('Tab');
      await app.keyboard.press('Enter');
      await expect(app.getByRole('button', { name: /^Login\/Logout/ })).toHaveAttribute(
        'aria-pressed',
        'true',
      );
      await app.getByLabel('From').focus();
      await app.keyboard.press('Enter');
      await expect(app.locator('.current-job h3')).toHaveText('Login/Logout');
      await expect(app.locator('.current-job [data-testid="job-status"]')).toHaveText('Ready');

      await app.getByRole('combobox', { name: 'Language', exact: true }).selectOption('pt-BR');
      await app.getByRole('link', { name: 'Relatórios' }).click();
      await expect(app.getByRole('heading', { name: 'Relatórios' })).toBeVisible();
      expect(await seriousViolations(app), 'relatórios').toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
