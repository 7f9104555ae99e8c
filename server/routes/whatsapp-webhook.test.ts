import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { recordsFromWebhook, SIGNATURE_HEADER, signatureFor } from '../integrations/whatsapp-cloud.ts';
import { DATABASES } from '../testing/databases.ts';
import { openEventStream } from '../testing/event-stream.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/whatsapp-cloud');
let numbering = 0;
/**
 * A fixture as one tenant's number sends it: a number belongs to the first tenant whose webhook
 * sees it, so each test's tenant gets phone number ids of its own (`prefix` picks which).
 */
const fixture = (name: string, prefix = 'p0') =>
  Buffer.from(
    readFileSync(join(FIXTURES, `${name}.json`), 'utf8').replace(
      /"phone_number_id": "(\d+)"/g,
      (_match, id: string) => `"phone_number_id": "${prefix}-${id}"`,
    ),
  );
const freshPrefix = () => `t${++numbering}-${Math.random().toString(36).slice(2, 8)}`;
const SECRET = '0123456789abcdef0123456789abcdef';

type Answer = { accepted: number; duplicates: number; rejected: unknown[]; problems: string[] };

describe.each(DATABASES)('the WhatsApp Cloud API webhook on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  /** A tenant with an admin and one webhook integration. */
  const connect = async (secret = SECRET) => {
    const admin = await tenantWithDevice(db, server, { role: 'admin' });
    const created = await server.call<{ integration: { id: string; webhookPath: string } }>(
      'POST',
      '/api/v1/integrations',
      {
        token: admin.userToken,
        body: { provider: 'whatsapp-cloud', name: 'Main', appSecret: secret, verifyToken: 'verify-123' },
      },
    );
    return { admin, path: created.body.integration.webhookPath, id: created.body.integration.id };
  };
  const post = (path: string, body: Buffer | string, signature: string | undefined) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { [SIGNATURE_HEADER]: signature } : {}),
      },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const pullIds = async (token: string) =>
    (
      await server.call<{ events: { id: string }[] }>(
        'GET',
        '/api/v1/events/pull?kinds=message,message_status',
        {
          token,
        },
      )
    ).body.events.map((record) => record.id);

  it("answers Meta's verification with the challenge, and refuses a wrong token", async () => {
    const { path } = await connect();
    const good = await fetch(
      `${server.url}${path}?hub.mode=subscribe&hub.verify_token=verify-123&hub.challenge=1158201444`,
    );
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await good.text()).toBe('1158201444');
    const wrong = await fetch(
      `${server.url}${path}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/verify_token/);
  });

  it('stores every status and incoming message of signed deliveries, once, and announces them', async () => {
    const { admin, path } = await connect();
    const prefix = freshPrefix();
    const names = [
      'statuses',
      'incoming-text',
      'button-reply',
      'image-caption',
      'reply-context',
      'several-entries',
    ];
    const expected = names.flatMap(
      (name) => recordsFromWebhook(JSON.parse(fixture(name, prefix).toString())).records,
    );
    const stream = await openEventStream(server.url, admin.userToken);
    try {
      for (const name of names) {
        const body = fixture(name, prefix);
        const answer = await post(path, body, signatureFor(body, SECRET));
        expect(answer.status, name).toBe(200);
      }
      await stream.waitFor('events');
    } finally {
      stream.close();
    }
    const ids = await pullIds(admin.userToken);
    expect(new Set(ids)).toEqual(new Set(expected.map((record) => record.id)));
    const pulled = await server.call<{ events: unknown[] }>(
      'GET',
      '/api/v1/events/pull?kinds=message_status',
      {
        token: admin.userToken,
      },
    );
    // Every status as mapped, once (a record two fixtures share is stored once), in any order.
    const byId = (records: { id: string }[]) =>
      [...new Map(records.map((r) => [r.id, r])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(pulled.body.events as { id: string }[])).toEqual(
      byId(expected.filter((record) => record.type === 'message_status')),
    );

    // Meta retries a delivery it thinks failed: the same records, duplicates, never second rows.
    const again = fixture('statuses', prefix);
    const retried = (await (await post(path, again, signatureFor(again, SECRET))).json()) as Answer;
    expect(retried.accepted).toBe(0);
    expect(retried.duplicates).toBeGreaterThan(0);
    expect(await pullIds(admin.userToken)).toHaveLength(ids.length);

    // The numbers it came through are kept for the Numbers report.
    const numbers = await db.query<{ display_number: string }>(
      'select display_number from business_numbers where tenant_id = $1',
      [admin.tenantId],
    );
    expect(numbers.map((row) => row.display_number)).toContain('551133334444');
  });

  it('writes a number seen again at most once a minute, and a changed one at once', async () => {
    const { path } = await connect();
    const prefix = freshPrefix();
    const send = async (body: Buffer) =>
      expect((await post(path, body, signatureFor(body, SECRET))).status).toBe(200);
    // The row's version (xmin) changes with each write of it.
    const written = async () =>
      (
        await db.query<{ version: string; display: string }>(
          `select xmin::text as version, display_number as display from business_numbers
            where phone_number_id like $1 order by phone_number_id limit 1`,
          [`${prefix}-%`],
        )
      )[0];
    await send(fixture('statuses', prefix));
    const first = await written();
    expect(first).toBeDefined();
    await send(fixture('statuses', prefix));
    expect(await written()).toEqual(first);
    const renumbered = Buffer.from(
      fixture('statuses', prefix)
        .toString('utf8')
        .replace(/"display_phone_number": "\d+"/g, '"display_phone_number": "551199990000"'),
    );
    await send(renumbered);
    expect(await written()).toMatchObject({ display: '551199990000' });
  });

  it('refuses a missing or forged signature, stores nothing, and says why', async () => {
    const { admin, path } = await connect();
    const body = fixture('statuses', freshPrefix());
    const unsigned = await post(path, body, undefined);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: string }).error).toMatch(/x-hub-signature-256/);
    const forged = await post(path, body, signatureFor(body, 'another app secret'));
    expect(forged.status).toBe(401);
    const tampered = Buffer.from(body.toString().replace('delivered', 'read'));
    expect((await post(path, tampered, signatureFor(body, SECRET))).status).toBe(401);
    expect(await pullIds(admin.userToken)).toEqual([]);
  });

  it('answers a malformed body with a 4xx that says what is wrong, never a 5xx', async () => {
    const { admin, path } = await connect();
    const notJson = '{"object": "whatsapp_business_account", ';
    const bad = await post(path, notJson, signatureFor(notJson, SECRET));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^body: not valid JSON/);
    const other = JSON.stringify({ object: 'page', entry: [] });
    const notWhatsapp = await post(path, other, signatureFor(other, SECRET));
    expect(notWhatsapp.status).toBe(400);
    expect(((await notWhatsapp.json()) as { error: string }).error).toMatch(/^object: /);
    const malformed = fixture('malformed', freshPrefix());
    const partly = await post(path, malformed, signatureFor(malformed, SECRET));
    expect(partly.status).toBeLessThan(500);
    expect(((await partly.json()) as Answer).problems.length).toBeGreaterThan(0);
    expect(await pullIds(admin.userToken)).toEqual(
      recordsFromWebhook(JSON.parse(malformed.toString())).records.map((record) => record.id),
    );
  });

  it("keeps tenants apart: a number seen by one tenant's webhook is refused on another's, even with one secret", async () => {
    const first = await connect();
    const second = await connect();
    const body = fixture('statuses', freshPrefix());
    expect((await post(first.path, body, signatureFor(body, SECRET))).status).toBe(200);
    const replayed = (await (await post(second.path, body, signatureFor(body, SECRET))).json()) as Answer;
    expect(replayed.accepted).toBe(0);
    expect(replayed.problems.join('\n')).toMatch(/belongs to another account's integration/);
    expect(await pullIds(second.admin.userToken)).toEqual([]);
    expect((await pullIds(first.admin.userToken)).length).toBeGreaterThan(0);
  });

  it('stops at once when its integration is deleted, and is not found under another id', async () => {
    const { admin, path, id } = await connect();
    await server.call('DELETE', `/api/v1/integrations/${id}`, { token: admin.userToken });
    const body = fixture('statuses');
    expect((await post(path, body, signatureFor(body, SECRET))).status).toBe(404);
    expect((await post('/api/v1/integrations/nope/webhook', body, signatureFor(body, SECRET))).status).toBe(
      404,
    );
  });
});
