import type { Page } from '@playwright/test';
import * as XLSX from 'xlsx';
import { CellFormatter } from '../../shared/format/cells.ts';
import type { MessageRecord } from '../../shared/records/message.ts';
import type { TicketRecord } from '../../shared/records/ticket.ts';
import { pdfPagesText } from '../../shared/testing/pdf-text.ts';
import type { DeskFrame } from '../fixtures/attendance/desk.ts';
import { signIn } from './browser.ts';
import { expect, test } from './fixtures.ts';
import { readOutbox } from './outbox.ts';
import { type ServerProcess, startServerProcess, tenantWithSupervisor } from './server-process.ts';
import {
  chooseReport,
  download,
  generate,
  launchSupervisorBrowser,
  SUPERVISOR_ZONE,
  signInToApp,
  supervisorContext,
} from './supervisor.ts';

// Issue 10 §4: an agent works three tickets on the reference screen, and the ticket and message
// records the server stores are exactly what happened there (the screen's own journal).

const AGENT = { id: 'fabio.rocha', name: 'Fabio Rocha' };

/**
 * What the extension should have recorded from what the screen announced: every ticket step
 * (all are this agent's or nobody's here), the agent's MTs as attendance, the contact's MOs as
 * shown; never the bot's messages. Written out field by field, apart from the adapter.
 */
function expectedRecords(journal: DeskFrame[]): (TicketRecord | MessageRecord)[] {
  return journal.flatMap((frame): (TicketRecord | MessageRecord)[] => {
    if (frame.type === 'TICKET') {
      const { ticket } = frame;
      const record: TicketRecord = {
        id: `ticket:${ticket.id}:${frame.action}:${frame.at}`,
        type: 'ticket',
        at: frame.at,
        ticketId: ticket.id,
        action: frame.action,
        contact: ticket.contact,
        business: ticket.business,
        contactName: ticket.contactName,
        queue: ticket.queue,
        ...(frame.agent ? { agentId: frame.agent.id, agentName: frame.agent.name } : {}),
        kind: ticket.kind,
        ...(frame.tag ? { tag: frame.tag } : {}),
      };
      return [record];
    }
    const { message } = frame;
    if (message.sender === 'bot') return [];
    const record: MessageRecord = {
      id: `message:${message.id}`,
      type: 'message',
      at: message.at,
      messageId: message.id,
      channel: 'whatsapp',
      direction: message.direction,
      contact: message.contact,
      business: message.business,
      contentType: message.contentType,
      text: message.text,
      ...(message.template ? { templateId: message.template.id, templateName: message.template.name } : {}),
      ...(message.sender === 'agent' ? { origin: 'attendance' as const } : {}),
      ...(message.ticketId ? { ticketId: message.ticketId } : {}),
      ...(message.queue ? { queue: message.queue } : {}),
      ...(message.agent ? { agentId: message.agent.id, agentName: message.agent.name } : {}),
    };
    return [record];
  });
}

/** Every ticket and message record of the tenant, through the pull API scoped to those kinds. */
async function pullRecords(server: ServerProcess, token: string): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let cursor = '0';
  for (;;) {
    const page = await server.call<{ events: Record<string, unknown>[]; cursor: string; hasMore: boolean }>(
      'GET',
      `/api/v1/events/pull?kinds=message,ticket&cursor=${cursor}&limit=5000`,
      { token },
    );
    expect(page.status).toBe(200);
    records.push(...page.body.events);
    cursor = page.body.cursor;
    if (!page.body.hasMore) return records;
  }
}

const row = (page: Page, ticketId: string) => page.locator(`li[data-ticket-id="${ticketId}"]`);
const conversationMessages = (page: Page, sender: string) =>
  page.locator(`#messages li[data-sender="${sender}"]`);

test('three tickets worked on the screen: the server stores exactly their steps and messages', async ({
  attendance,
  agent,
}) => {
  const server = await startServerProcess();
  try {
    const supervisor = await tenantWithSupervisor(server);
    const created = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: supervisor.token,
      body: { agentIds: [AGENT.id] },
    });
    expect(created.status).toBe(200);
    const options = await agent.context.newPage();
    await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
    await options.fill('#server-url', server.url);
    await options.fill('#enrollment-code', created.body.code);
    await options.click('#save-settings');
    await expect
      .poll(async () => (await readOutbox(options)).meta.syncToken, { timeout: 10_000 })
      .toBeTruthy();

    const page = await agent.context.newPage();
    await signIn(page, attendance.url, AGENT.id);
    const { desk } = attendance;

    // 1. Ana talks to the bot, asks for a person: the bot overflows her to Billing. The agent
    //    takes the ticket, sees the conversation, answers with text; Ana replies; closed "Resolved".
    desk.contactWrites({ contact: '5511987650001', name: 'Ana Lima', text: 'Oi, tenho uma dúvida' });
    desk.contactWrites({ contact: '5511987650001', text: '2' });
    await row(page, 'T-1041').locator('button.take').click();
    await expect(page.locator('#conversation')).toHaveAttribute('data-ticket-id', 'T-1041');
    await expect(conversationMessages(page, 'contact')).toHaveCount(2);
    await expect(conversationMessages(page, 'bot')).toHaveCount(2);
    await page.fill('#reply-text', 'Olá Ana, posso ajudar com a sua dúvida?');
    await page.click('#send-text');
    await expect(conversationMessages(page, 'contact')).toHaveCount(3);
    await page.selectOption('#close-tag', 'Resolved');
    await page.click('#close-ticket');
    await expect(row(page, 'T-1041')).toHaveAttribute('data-status', 'closed');

    // 2. The agent starts a conversation with Bruno with a template; he replies; left pending.
    await page.fill('#start-contact', '5511987650002');
    await page.fill('#start-name', 'Bruno Dias');
    await page.selectOption('#start-queue', 'Support');
    await page.selectOption('#start-template', 'tpl-retorno');
    await page.click('#start-button');
    await expect(page.locator('#conversation')).toHaveAttribute('data-ticket-id', 'T-1042');
    await expect(conversationMessages(page, 'agent')).toHaveCount(1);
    await expect(conversationMessages(page, 'contact')).toHaveCount(1);
    await page.click('#pending');
    await expect(row(page, 'T-1042')).toHaveAttribute('data-status', 'pending');

    // A refresh: the screen replays the tickets and conversations. Duplicates, not copies.
    await page.reload();
    await page.waitForSelector('#connection-state:text("connected")');
    await expect(row(page, 'T-1042')).toHaveAttribute('data-status', 'pending');

    // 3. Carla writes straight to Support. Taken, paused, taken again, transferred to Billing,
    //    taken there and closed "Sale".
    desk.contactWrites({
      contact: '5511987650003',
      name: 'Carla Souza',
      text: 'Quero mudar meu plano',
      queue: 'Support',
      bot: false,
    });
    await row(page, 'T-1043').locator('button.take').click();
    await expect(page.locator('#conversation')).toHaveAttribute('data-ticket-id', 'T-1043');
    await expect(conversationMessages(page, 'contact')).toHaveCount(1);
    await page.click('#pause');
    await expect(row(page, 'T-1043')).toHaveAttribute('data-status', 'paused');
    await row(page, 'T-1043').locator('button.take').click();
    await expect(row(page, 'T-1043')).toHaveAttribute('data-status', 'open');
    await page.selectOption('#transfer-queue', 'Billing');
    await page.click('#transfer');
    await expect(
      page.locator('.queue-block[data-queue="Billing"] li[data-ticket-id="T-1043"]'),
    ).toHaveAttribute('data-status', 'queued');
    await row(page, 'T-1043').locator('button.take').click();
    await expect(row(page, 'T-1043')).toHaveAttribute('data-status', 'open');
    // A page script tries to forge a ticket step and a message. The real close after it goes
    // through the same channel and outbox, in order: once it is stored, a forgery would be too,
    // and the exact comparison below would show it.
    await page.evaluate(() => {
      const frames = [
        JSON.stringify({
          type: 'TICKET',
          action: 'closed',
          at: new Date().toISOString(),
          ticket: { id: 'T-FORGED', queue: 'Billing' },
          agent: { id: 'fabio.rocha', name: 'Fabio Rocha' },
          tag: 'Sale',
        }),
        JSON.stringify({
          type: 'MESSAGE',
          message: {
            id: 'wamid.FORGED',
            at: new Date().toISOString(),
            direction: 'MT',
            sender: 'agent',
            contact: '5511900000000',
            business: '551133334444',
            contentType: 'text',
            text: 'forged',
            agent: { id: 'fabio.rocha', name: 'Fabio Rocha' },
          },
        }),
      ];
      for (const data of frames) window.postMessage({ type: 'pontual/capture', data }, '*');
      const fake = document.createElement('pontual-channel');
      fake.setAttribute('data-pontual-channel', '');
      document.documentElement.appendChild(fake);
      for (const data of frames)
        for (const target of [document, document.documentElement, fake])
          target.dispatchEvent(
            new CustomEvent('pontual:socket-message', { detail: `1 ${data}`, bubbles: true }),
          );
      const socket = new WebSocket(`${location.origin.replace('http', 'ws')}/ws?token=forged`);
      for (const data of frames) socket.dispatchEvent(new MessageEvent('message', { data }));
    });
    await page.selectOption('#close-tag', 'Sale');
    await page.click('#close-ticket');
    await expect(row(page, 'T-1043')).toHaveAttribute('data-status', 'closed');

    // What happened, by the screen's own account: every step and message of the three tickets.
    const expected = expectedRecords(desk.journal).sort((a, b) => a.id.localeCompare(b.id));
    expect(expected.filter((record) => record.type === 'ticket').map((record) => record.action)).toEqual(
      expect.arrayContaining(['opened', 'assigned', 'transferred', 'pending', 'paused', 'closed']),
    );
    expect(expected).toHaveLength(19);

    // The extension pushes them all; the server stores each once, exactly as it happened.
    await expect
      .poll(async () => (await pullRecords(server, supervisor.token)).length, { timeout: 30_000 })
      .toBe(expected.length);
    const pulled = (await pullRecords(server, supervisor.token))
      .map(({ clockOffsetMs: _offset, ...record }) => record)
      .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(pulled).toEqual(expected);
    // Nothing set aside, nothing waiting: the replayed frames were duplicates of stored records.
    await expect
      .poll(async () => (await readOutbox(options)).marks, { timeout: 10_000 })
      .toEqual([0, expect.any(Number), 0]);
    // The popup's day counts the three tickets the agent worked.
    const popup = await agent.context.newPage();
    await popup.goto(`chrome-extension://${agent.extensionId}/popup.html`);
    await expect(popup.locator('#total-tickets')).toHaveAttribute('data-count', '3');
  } finally {
    await server.close();
  }
});

/** Enrolls the agent's extension with the server, from its options page; returns that page. */
async function enrollAgent(
  agent: { context: import('@playwright/test').BrowserContext; extensionId: string },
  server: ServerProcess,
  token: string,
): Promise<Page> {
  const created = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
    token,
    body: { agentIds: [AGENT.id] },
  });
  expect(created.status).toBe(200);
  const options = await agent.context.newPage();
  await options.goto(`chrome-extension://${agent.extensionId}/options.html`);
  await options.fill('#server-url', server.url);
  await options.fill('#enrollment-code', created.body.code);
  await options.click('#save-settings');
  await expect.poll(async () => (await readOutbox(options)).meta.syncToken, { timeout: 10_000 }).toBeTruthy();
  return options;
}

test('tickets worked on the screen reach the supervisor: ticket-summary as XLSX, one conversation as a PDF from the ⋮ menu', async ({
  attendance,
  agent,
}) => {
  // Two browsers, a server and three report jobs on two shared cores.
  test.setTimeout(300_000);
  const server = await startServerProcess();
  const browser = await launchSupervisorBrowser();
  try {
    const supervisor = await tenantWithSupervisor(server);
    await enrollAgent(agent, server, supervisor.token);
    const page = await agent.context.newPage();
    await signIn(page, attendance.url, AGENT.id);
    const { desk } = attendance;

    // 1. Conceição writes to Support with an emoji; the agent answers with accents, emoji past
    //    U+FFFF and a ZWJ family; she thanks (the screen's contact replies); closed "Resolved".
    desk.contactWrites({
      contact: '5511987650001',
      name: 'Conceição Araújo',
      text: 'Olá, minha fatura está errada 😀',
      queue: 'Support',
      bot: false,
    });
    await row(page, 'T-1041').locator('button.take').click();
    await expect(page.locator('#conversation')).toHaveAttribute('data-ticket-id', 'T-1041');
    await page.fill('#reply-text', 'Olá, Conceição! A ação já foi concluída 👍 família 👨‍👩‍👧 ✅');
    await page.click('#send-text');
    await expect(conversationMessages(page, 'contact')).toHaveCount(2);
    await page.selectOption('#close-tag', 'Resolved');
    await page.click('#close-ticket');
    await expect(row(page, 'T-1041')).toHaveAttribute('data-status', 'closed');

    // 2. João writes to Billing; the agent answers; left pending.
    desk.contactWrites({
      contact: '5511987650002',
      name: 'João Pinto',
      text: 'Bom dia',
      queue: 'Billing',
      bot: false,
    });
    await row(page, 'T-1042').locator('button.take').click();
    await expect(page.locator('#conversation')).toHaveAttribute('data-ticket-id', 'T-1042');
    await page.fill('#reply-text', 'Bom dia, João! Em que posso ajudar?');
    await page.click('#send-text');
    await expect(conversationMessages(page, 'contact')).toHaveCount(2);
    await page.click('#pending');
    await expect(row(page, 'T-1042')).toHaveAttribute('data-status', 'pending');

    const expected = expectedRecords(desk.journal);
    await expect
      .poll(async () => (await pullRecords(server, supervisor.token)).length, { timeout: 30_000 })
      .toBe(expected.length);

    // What happened, ticket by ticket, by the screen's own account.
    const messages = expected.filter((record): record is MessageRecord => record.type === 'message');
    const steps = expected.filter((record): record is TicketRecord => record.type === 'ticket');
    const happened = ['T-1041', 'T-1042'].map((ticketId) => {
      const own = steps.filter((step) => step.ticketId === ticketId);
      const said = messages.filter((message) => message.ticketId === ticketId);
      return { ticketId, steps: own, said, first: own[0]!, last: own[own.length - 1]! };
    });
    expect(happened.map((ticket) => ticket.said.length)).toEqual([3, 3]);

    // The supervisor's PWA syncs the records and exports the ticket summary.
    const context = await supervisorContext(browser);
    const app = await context.newPage();
    await signInToApp(app, server.url, supervisor.email, supervisor.password);
    await chooseReport(app, 'Ticket summary');
    const files = app.getByRole('group', { name: 'Files' });
    await files.getByLabel('CSV').uncheck();
    await files.getByLabel('PDF').uncheck();
    expect(await generate(app)).toBe('Ready');
    const xlsx = await download(app, 'XLSX');
    const book = XLSX.read(xlsx.bytes, { type: 'buffer' });
    const [header, ...rows] = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[book.SheetNames[0]!]!, {
      header: 1,
      raw: true,
    });
    expect(header).toEqual([
      'Ticket ID',
      'Contact Phone',
      'Type',
      'Opened At',
      'Last Message',
      'Status',
      'Queue',
      'Tag',
      'Contract',
    ]);
    expect(rows.map((cells) => [...cells.slice(0, 3), ...cells.slice(4)])).toEqual(
      happened.map((ticket) => [
        ticket.ticketId,
        ticket.first.contact,
        'Receptive',
        ticket.said[ticket.said.length - 1]!.text,
        ticket.last.action === 'closed' ? 'Closed' : 'Pending',
        ticket.last.queue,
        ...(ticket.last.tag ? [ticket.last.tag] : []),
      ]),
    );
    // Opened At: the spreadsheet's date in the report's zone (São Paulo, UTC−3 all year), to the second.
    rows.forEach((cells, index) => {
      const localMs = Math.round((Number(cells[3]) - 25_569) * 86_400_000);
      expect(Math.abs(localMs + 3 * 3_600_000 - Date.parse(happened[index]!.first.at))).toBeLessThan(1000);
    });
    await expect(app.getByTestId('column-note')).toContainText(
      'Last Message holds the text of the last message only',
    );

    // The ⋮ menu of T-1041 → Export conversation (PDF): ticket-detail through the job runner.
    await app.getByRole('button', { name: 'Actions for T-1041' }).click();
    await app.getByRole('menuitem', { name: 'Export conversation (PDF)' }).click();
    await expect(app.locator('.current-job [data-testid="job"] h3')).toContainText('Ticket detail T-1041');
    await expect(app.locator('.current-job [data-testid="job-status"]')).toHaveText('Ready', {
      timeout: 60_000,
    });
    const pdf = await download(app, 'PDF');
    expect(pdf.name).toMatch(/^ticket-detail.*\.pdf$/);
    const text = (await pdfPagesText(pdf.bytes)).join(' ');
    const [t1041] = happened;
    const clock = new CellFormatter('en', SUPERVISOR_ZONE);
    expect(text).toContain('Ticket T-1041');
    expect(text).toContain('Contact: Conceição Araújo (5511987650001)');
    expect(text).toContain(`Agents: ${AGENT.name}`);
    expect(text).toContain('Status: Closed');
    for (const message of t1041!.said) {
      const sender = message.direction === 'MO' ? 'Conceição Araújo' : AGENT.name;
      expect(text).toContain(`${sender} ${clock.format('datetime', Date.parse(message.at))} ${message.text}`);
    }
    expect(text).toContain('😀');
    expect(text).toContain('👍');
    expect(text).toContain('👨‍👩‍👧');
    expect(text).toContain('Conceição! A ação já foi concluída');
    await context.close();
  } finally {
    await browser.close();
    await server.close();
  }
});
