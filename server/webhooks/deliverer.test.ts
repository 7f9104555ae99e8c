import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_HEADERS } from '../../shared/api/webhooks.ts';
import type { WebhookDeliveryRecord } from '../../shared/records/webhook-delivery.ts';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { openPglite } from '../db/pglite.ts';
import { DATABASES } from '../testing/databases.ts';
import { startTestServer, type TestServer, tenantWithDevice } from '../testing/http.ts';
import { answerOutcome, retryDelayMs, type WEBHOOK_DEFAULTS, WebhookDeliverer } from './deliverer.ts';
import { startReceiver, type WebhookReceiver } from './receiver.ts';
import { verifyWebhook } from './signature.ts';

/** A clock the test moves: deliveries fall due when the test says, with no waiting. */
function testClock() {
  let now = Date.now();
  return { now: () => now, advance: (ms: number) => (now += ms), set: (ms: number) => (now = ms) };
}

const BASE = 10_000;

/** A tenant with an admin signed in and a subscription to `events` at the receiver's URL. */
async function subscribed(db: Database, server: TestServer, url: string, events: string[]) {
  const { userToken, tenantId } = await tenantWithDevice(db, server, { role: 'admin' });
  const created = await server.call<{ subscription: { id: string }; secret: string }>(
    'POST',
    '/api/v1/webhooks',
    {
      token: userToken,
      body: { url, events },
    },
  );
  expect(created.status).toBe(201);
  return {
    token: userToken,
    tenantId,
    secret: created.body.secret,
    subscriptionId: created.body.subscription.id,
  };
}

const closedTicket = (id: string, at = '2026-03-10T12:00:00Z') => ({
  id,
  type: 'ticket',
  at,
  ticketId: `T-${id}`,
  action: 'closed',
  contact: '5511999990001',
  agentId: 'ana',
});

async function importRecords(server: TestServer, token: string, events: unknown[]) {
  const answer = await server.call<{ accepted: string[]; rejected: unknown[] }>(
    'POST',
    '/api/v1/events/import',
    {
      token,
      body: { events },
    },
  );
  expect(answer.status).toBe(200);
  expect(answer.body.rejected).toEqual([]);
  return answer.body;
}

async function attemptRecords(server: TestServer, token: string): Promise<WebhookDeliveryRecord[]> {
  const pulled = await server.call<{ events: WebhookDeliveryRecord[] }>(
    'GET',
    '/api/v1/events/pull?kinds=webhook_delivery&limit=1000',
    { token },
  );
  expect(pulled.status).toBe(200);
  return pulled.body.events;
}

describe('retry rules', () => {
  it('retries 5xx, 429 and timeouts, never another 4xx', () => {
    expect([200, 204, 500, 503, 429, 400, 404, 410, 301].map(answerOutcome)).toEqual([
      'delivered',
      'delivered',
      'retry',
      'retry',
      'retry',
      'refused',
      'refused',
      'refused',
      'refused',
    ]);
  });

  it('doubles the wait per retry, jittered to between half and all of it, capped', () => {
    const settings = { baseDelayMs: 1_000, maxDelayMs: 5_000 };
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(retry, settings, () => 0))).toEqual([
      500, 1000, 2000, 2500,
    ]);
    expect([1, 2, 3, 4].map((retry) => retryDelayMs(retry, settings, () => 0.999999))).toEqual([
      1000, 2000, 4000, 5000,
    ]);
  });
});

describe.each(DATABASES)('outbound webhooks on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    db = await open();
    server = await startTestServer(db, undefined, { webhooks: { start: false } });
    receiver = await startReceiver();
  }, 60_000);
  afterAll(async () => {
    await receiver.close();
    await server.close();
    await db.close();
  });
  const deliverer = (clock: { now: () => number }, options: Partial<typeof WEBHOOK_DEFAULTS> = {}) =>
    new WebhookDeliverer(db, { now: clock.now, random: () => 0.5, baseDelayMs: BASE, ...options });
  const forRequest = (requestId: string) => receiver.received.filter((got) => got.requestId === requestId);

  it('posts a closed ticket signed with the subscription secret, and records the attempt', async () => {
    const { token, secret, subscriptionId } = await subscribed(db, server, `${receiver.url}?t=sign`, [
      'ticket.closed',
    ]);
    receiver.answer = () => 200;
    // A ticket step other than closing owes nothing.
    await importRecords(server, token, [
      { ...closedTicket('sign-open'), action: 'opened' },
      closedTicket('sign-1', '2026-03-10T12:05:00Z'),
    ]);
    const clock = testClock();
    expect(await deliverer(clock).runOnce()).toBeGreaterThanOrEqual(1);
    const got = receiver.received.filter((request) => request.body.includes('sign-1'));
    expect(got).toHaveLength(1);
    const [request] = got;
    expect(verifyWebhook(secret, request!.body, request!.headers[WEBHOOK_HEADERS.signature] as string)).toBe(
      true,
    );
    expect(
      verifyWebhook('whsec_another', request!.body, request!.headers[WEBHOOK_HEADERS.signature] as string),
    ).toBe(false);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers[WEBHOOK_HEADERS.event]).toBe('ticket.closed');
    expect(request!.headers[WEBHOOK_HEADERS.attempt]).toBe('1');
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({
      id: request!.requestId,
      type: 'ticket.closed',
      occurredAt: '2026-03-10T12:05:00Z',
      data: { id: 'sign-1', ticketId: 'T-sign-1', action: 'closed' },
    });
    expect(receiver.received.some((other) => other.body.includes('sign-open'))).toBe(false);

    const records = await attemptRecords(server, token);
    expect(records).toEqual([
      expect.objectContaining({
        id: `${request!.requestId}.1`,
        type: 'webhook_delivery',
        requestId: request!.requestId,
        subscriptionId,
        eventType: 'ticket.closed',
        status: 'delivered',
        httpStatus: 200,
        retries: 0,
        contact: '5511999990001',
        at: new Date(clock.now()).toISOString(),
      }),
    ]);
    const listed = await server.call<{ subscriptions: { lastDelivery: unknown }[] }>(
      'GET',
      '/api/v1/webhooks',
      {
        token,
      },
    );
    expect(listed.body.subscriptions[0]!.lastDelivery).toMatchObject({
      requestId: request!.requestId,
      state: 'delivered',
      httpStatus: 200,
      attempts: 1,
    });
  });

  it('retries a 500 and a 429 with exponential, jittered spacing, then delivers once', async () => {
    const { token } = await subscribed(db, server, `${receiver.url}?t=retry`, ['ticket.closed']);
    const answers = [500, 429, 200];
    receiver.answer = (got) => (got.body.includes('retry-1') ? answers.shift()! : 200);
    await importRecords(server, token, [closedTicket('retry-1')]);
    const clock = testClock();
    const start = clock.now();
    const worker = deliverer(clock);
    await worker.runOnce();
    const [first] = receiver.received.filter((got) => got.body.includes('retry-1'));
    const requestId = first!.requestId;
    // With the jitter at its middle, retry n waits ¾ of BASE·2^(n−1): 7.5 s, then 15 s.
    clock.set(start + 7_499);
    await worker.runOnce();
    expect(forRequest(requestId)).toHaveLength(1);
    clock.set(start + 7_500);
    await worker.runOnce();
    expect(forRequest(requestId)).toHaveLength(2);
    const second = clock.now();
    clock.set(second + 14_999);
    await worker.runOnce();
    expect(forRequest(requestId)).toHaveLength(2);
    clock.set(second + 15_000);
    await worker.runOnce();
    expect(forRequest(requestId).map((got) => got.headers[WEBHOOK_HEADERS.attempt])).toEqual(['1', '2', '3']);
    // The same request id and the same signed body on every attempt.
    expect(new Set(forRequest(requestId).map((got) => got.body)).size).toBe(1);
    clock.advance(86_400_000);
    await worker.runOnce();
    expect(forRequest(requestId)).toHaveLength(3);

    const records = (await attemptRecords(server, token)).filter((record) => record.requestId === requestId);
    expect(records.map((record) => [record.status, record.httpStatus, record.retries])).toEqual([
      ['retrying', 500, 0],
      ['retrying', 429, 1],
      ['delivered', 200, 2],
    ]);
    expect(records[0]!.nextAttemptAt).toBe(new Date(start + 7_500).toISOString());
  });

  it('does not retry a 4xx other than 429', async () => {
    const { token } = await subscribed(db, server, `${receiver.url}?t=refused`, ['ticket.closed']);
    receiver.answer = (got) => (got.body.includes('refused-1') ? 410 : 200);
    await importRecords(server, token, [closedTicket('refused-1')]);
    const clock = testClock();
    const worker = deliverer(clock);
    await worker.runOnce();
    const got = receiver.received.filter((request) => request.body.includes('refused-1'));
    expect(got).toHaveLength(1);
    for (let hour = 0; hour < 3; hour++) {
      clock.advance(3_600_000);
      await worker.runOnce();
    }
    expect(forRequest(got[0]!.requestId)).toHaveLength(1);
    const records = (await attemptRecords(server, token)).filter(
      (record) => record.requestId === got[0]!.requestId,
    );
    expect(records).toEqual([expect.objectContaining({ status: 'failed', httpStatus: 410, retries: 0 })]);
    expect(records[0]!.error).toMatch(/410, which is not retried/);
  });

  it('retries a receiver that does not answer in time, and gives up after the last attempt', async () => {
    const { token } = await subscribed(db, server, `${receiver.url}?t=hang`, ['ticket.closed']);
    receiver.answer = (got) => (got.body.includes('hang-1') ? 'hang' : 200);
    await importRecords(server, token, [closedTicket('hang-1')]);
    const clock = testClock();
    const worker = deliverer(clock, { timeoutMs: 300, maxAttempts: 3 });
    await worker.runOnce();
    const requestId = receiver.received.find((got) => got.body.includes('hang-1'))!.requestId;
    for (let round = 0; round < 4; round++) {
      clock.advance(3_600_000);
      await worker.runOnce();
    }
    expect(forRequest(requestId)).toHaveLength(3);
    const records = (await attemptRecords(server, token)).filter((record) => record.requestId === requestId);
    expect(records.map((record) => [record.status, record.httpStatus, record.retries])).toEqual([
      ['retrying', undefined, 0],
      ['retrying', undefined, 1],
      ['failed', undefined, 2],
    ]);
    expect(records[0]!.error).toBe('no answer within 300 ms');
    expect(records[2]!.error).toMatch(/gave up after 3 attempts/);
  });

  it('owes a finished campaign once, a failed message with its campaign, and a report made ready', async () => {
    const { token } = await subscribed(db, server, `${receiver.url}?t=kinds`, [
      'campaign.finished',
      'message.failed',
      'report.ready',
    ]);
    receiver.answer = () => 200;
    const campaign = { type: 'campaign', campaignId: 'C-kinds', name: 'Black Friday', channel: 'whatsapp' };
    await importRecords(server, token, [
      { ...campaign, id: 'kinds-c1', at: '2026-03-10T10:00:00Z', status: 'running' },
      { ...campaign, id: 'kinds-c2', at: '2026-03-10T11:00:00Z', status: 'finished' },
      { ...campaign, id: 'kinds-c3', at: '2026-03-10T11:05:00Z', status: 'finished' },
      {
        id: 'kinds-m1',
        type: 'message',
        at: '2026-03-10T10:01:00Z',
        messageId: 'wamid.kinds-1',
        channel: 'whatsapp',
        direction: 'MT',
        contact: '5511988887777',
        business: '551130000000',
        contentType: 'template',
        campaignId: 'C-kinds',
      },
      {
        id: 'kinds-s1',
        type: 'message_status',
        at: '2026-03-10T10:01:05Z',
        messageId: 'wamid.kinds-1',
        status: 'sent',
      },
      {
        id: 'kinds-s2',
        type: 'message_status',
        at: '2026-03-10T10:01:09Z',
        messageId: 'wamid.kinds-1',
        status: 'failed',
        error: 'undeliverable',
      },
    ]);
    const job = await server.call<{ id: string }>('POST', '/api/v1/report-jobs', {
      token,
      body: { reportId: 'hsm-detailed', status: 'PROCESSING', filters: {} },
    });
    expect(job.status).toBe(201);
    // Progress only: not ready yet.
    await server.call('PATCH', `/api/v1/report-jobs/${job.body.id}`, { token, body: { progress: 0.5 } });
    await server.call('PATCH', `/api/v1/report-jobs/${job.body.id}`, { token, body: { status: 'READY' } });
    await server.call('PATCH', `/api/v1/report-jobs/${job.body.id}`, { token, body: { title: 'renamed' } });
    await deliverer(testClock()).runOnce();
    const got = receiver.received
      .filter((request) => request.body.includes('kinds') || request.body.includes(job.body.id))
      .map((request) => JSON.parse(request.body) as { type: string; data: Record<string, unknown> });
    expect(got.map((body) => body.type).sort()).toEqual([
      'campaign.finished',
      'message.failed',
      'report.ready',
    ]);
    expect(got.find((body) => body.type === 'campaign.finished')!.data).toMatchObject({ id: 'kinds-c2' });
    expect(got.find((body) => body.type === 'report.ready')!.data).toMatchObject({
      jobId: job.body.id,
      reportId: 'hsm-detailed',
    });
    const records = await attemptRecords(server, token);
    expect(records.find((record) => record.eventType === 'message.failed')).toMatchObject({
      campaignId: 'C-kinds',
      contact: '5511988887777',
    });
    expect(records.find((record) => record.eventType === 'campaign.finished')).toMatchObject({
      campaignId: 'C-kinds',
    });
  });

  it('a stopping instance leaves its attempts in flight due, with no attempt counted', async () => {
    const { token } = await subscribed(db, server, `${receiver.url}?t=stop`, ['ticket.closed']);
    receiver.answer = (got) => (got.body.includes('stop-1') ? 'hang' : 200);
    await importRecords(server, token, [closedTicket('stop-1')]);
    const clock = testClock();
    const worker = deliverer(clock);
    const round = worker.runOnce();
    await expect.poll(() => receiver.received.some((got) => got.body.includes('stop-1'))).toBe(true);
    await worker.stop();
    await round;
    const [row] = await db.query<{ state: string; attempts: number; lease: string | null }>(
      `select state, attempts, lease from webhook_deliveries where body like '%stop-1%'`,
    );
    expect(row).toEqual({ state: 'pending', attempts: 0, lease: null });
    receiver.answer = () => 200;
    await deliverer(clock).runOnce();
    const [after] = await db.query<{ state: string; attempts: number }>(
      `select state, attempts from webhook_deliveries where body like '%stop-1%'`,
    );
    expect(after).toEqual({ state: 'delivered', attempts: 1 });
  });
});

describe('a restart mid-retry (embedded database in a data folder)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'pontual-webhooks-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('makes the retry due before the restart after it', async () => {
    const receiver = await startReceiver();
    try {
      let db: Database = await openPglite(folder);
      await migrate(db);
      let server = await startTestServer(db, undefined, { webhooks: { start: false } });
      const { token } = await subscribed(db, server, receiver.url, ['ticket.closed']);
      await importRecords(server, token, [closedTicket('restart-1')]);
      const clock = testClock();
      const start = clock.now();
      receiver.answer = () => 503;
      await new WebhookDeliverer(db, { now: clock.now, random: () => 0.5, baseDelayMs: BASE }).runOnce();
      expect(receiver.received).toHaveLength(1);
      await server.close();
      await db.close();

      db = await openPglite(folder);
      server = await startTestServer(db, undefined, { webhooks: { start: false } });
      receiver.answer = () => 200;
      clock.set(start + 7_500);
      const restarted = new WebhookDeliverer(db, { now: clock.now, random: () => 0.5, baseDelayMs: BASE });
      expect(await restarted.runOnce()).toBe(1);
      expect(receiver.received.map((got) => got.headers[WEBHOOK_HEADERS.attempt])).toEqual(['1', '2']);
      expect(new Set(receiver.received.map((got) => got.requestId)).size).toBe(1);
      const records = await attemptRecords(server, token);
      expect(records.map((record) => record.status)).toEqual(['retrying', 'delivered']);
      await server.close();
      await db.close();
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
