import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BusinessNumberRecord } from '../shared/records/business-number.ts';
import type { UserRecord } from '../shared/records/user.ts';
import type { Database } from './db/database.ts';
import { SIGNATURE_HEADER, signatureFor } from './integrations/whatsapp-cloud.ts';
import { DATABASES } from './testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from './testing/http.ts';

const FIXTURES = join(import.meta.dirname, '../tests/fixtures/whatsapp-cloud');
const SECRET = '0123456789abcdef0123456789abcdef';
type Pushed = { accepted: string[]; rejected: { index: number; id?: string; error: string }[] };

describe.each(DATABASES)('user and business number records on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  const pull = async <R>(token: string, kind: string) =>
    (await server.call<{ events: R[] }>('GET', `/api/v1/events/pull?kinds=${kind}&limit=1000`, { token }))
      .body.events;

  it('records a person added, signing in, using the app and removed, for the licenses report', async () => {
    const admin = await tenantWithDevice(db, server, { role: 'admin' });
    const email = `bia-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const added = await server.call<{ user: { id: string; createdAt: string } }>('POST', '/api/v1/users', {
      token: admin.userToken,
      body: { email, password: 'correct horse', role: 'supervisor' },
    });
    expect(added.status).toBe(201);
    const bia = added.body.user.id;
    const signedIn = await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email, password: 'correct horse' },
    });
    expect(signedIn.status).toBe(200);
    expect((await server.call('GET', '/api/v1/me', { token: signedIn.body.token })).status).toBe(200);
    const removed = await server.call('DELETE', `/api/v1/users/${bia}`, { token: admin.userToken });
    expect(removed.status).toBe(200);
    // Removing again changes nothing, and records nothing.
    expect((await server.call('DELETE', `/api/v1/users/${bia}`, { token: admin.userToken })).status).toBe(
      200,
    );

    const ofBia = async () =>
      (await pull<UserRecord>(admin.userToken, 'user')).filter((record) => record.userId === bia);
    const records = await ofBia();
    expect(records.map((record) => record.event).sort()).toEqual([
      'active',
      'created',
      'removed',
      'signed_in',
    ]);
    for (const record of records) {
      expect(record).toMatchObject({ email, role: 'supervisor', createdAt: added.body.user.createdAt });
    }
    expect(records.find((record) => record.event === 'created')?.at).toBe(added.body.user.createdAt);

    // The admin was made before the server ran (no `created` until its next start's backfill).
    expect(
      (await pull<UserRecord>(admin.userToken, 'user'))
        .filter((record) => record.email === admin.email)
        .map((record) => record.event)
        .sort(),
    ).toEqual(['active', 'signed_in']);
  });

  it('refuses user and business number records from a device and from an integration token', async () => {
    const { userToken: adminToken, deviceToken } = await tenantWithDevice(db, server, { role: 'admin' });
    const integration = await server.call<{ token: string }>('POST', '/api/v1/integrations', {
      token: adminToken,
      body: { provider: 'api', name: 'Messaging platform' },
    });
    const forged = [
      {
        id: 'user.forged.created',
        type: 'user',
        at: '2026-03-10T12:00:00Z',
        userId: 'forged',
        event: 'created',
        email: 'ghost@example.com',
        role: 'admin',
        createdAt: '2026-03-10T12:00:00Z',
      },
      {
        id: 'business_number.forged',
        type: 'business_number',
        at: '2026-03-10T12:00:00Z',
        phoneNumberId: '999',
        displayNumber: '5511999990000',
        wabaId: 'waba-1',
        integrationId: 'i-1',
        firstSeenAt: '2026-03-10T12:00:00Z',
      },
    ];
    for (const [path, token] of [
      ['/api/v1/events/push', integration.body.token],
      ['/api/v1/events/push', deviceToken],
      ['/api/v1/events/import', adminToken],
    ] as const) {
      const push = await server.call<Pushed>('POST', path, {
        token,
        body: { events: forged, sentAt: new Date().toISOString() },
      });
      expect(push.status).toBe(200);
      expect(push.body.accepted).toEqual([]);
      expect(push.body.rejected).toEqual([
        {
          index: 0,
          id: 'user.forged.created',
          error:
            'type: user records are written by the server as people are added, changed and sign in; they cannot be pushed',
        },
        {
          index: 1,
          id: 'business_number.forged',
          error:
            'type: business_number records are written by the server as its webhooks see the numbers; they cannot be pushed',
        },
      ]);
    }
    expect(await pull(adminToken, 'user,business_number')).not.toContainEqual(
      expect.objectContaining({ email: 'ghost@example.com' }),
    );
  });

  it('records a business number when its webhook first sees it and when it changes, once per state', async () => {
    const admin = await tenantWithDevice(db, server, { role: 'admin' });
    const created = await server.call<{ integration: { id: string; webhookPath: string } }>(
      'POST',
      '/api/v1/integrations',
      {
        token: admin.userToken,
        body: { provider: 'whatsapp-cloud', name: 'Main', appSecret: SECRET, verifyToken: 'verify-123' },
      },
    );
    const prefix = `n-${Math.random().toString(36).slice(2, 8)}`;
    const payload = (display: string) =>
      Buffer.from(
        readFileSync(join(FIXTURES, 'incoming-text.json'), 'utf8')
          .replace(
            /"phone_number_id": "(\d+)"/g,
            (_match, id: string) => `"phone_number_id": "${prefix}-${id}"`,
          )
          .replaceAll('"display_phone_number": "551133334444"', `"display_phone_number": "${display}"`),
      );
    const post = async (body: Buffer) => {
      const answer = await fetch(`${server.url}${created.body.integration.webhookPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signatureFor(body, SECRET) },
        body: new Uint8Array(body),
      });
      expect(answer.status).toBe(200);
    };
    await post(payload('551133334444'));
    await post(payload('551133334444'));
    let numbers = await pull<BusinessNumberRecord>(admin.userToken, 'business_number');
    expect(numbers).toHaveLength(1);
    const [row] = await db.query<{ first_seen_at: Date; waba_id: string }>(
      'select first_seen_at, waba_id from business_numbers where tenant_id = $1',
      [admin.tenantId],
    );
    expect(numbers[0]).toMatchObject({
      type: 'business_number',
      phoneNumberId: expect.stringMatching(new RegExp(`^${prefix}-`)),
      displayNumber: '551133334444',
      wabaId: row!.waba_id,
      integrationId: created.body.integration.id,
      firstSeenAt: new Date(row!.first_seen_at).toISOString(),
    });

    // The display number changed: a second record, the activation date kept.
    await post(payload('551133335555'));
    numbers = await pull<BusinessNumberRecord>(admin.userToken, 'business_number');
    expect(numbers.map((number) => number.displayNumber)).toEqual(['551133334444', '551133335555']);
    expect(numbers[1]!.firstSeenAt).toBe(numbers[0]!.firstSeenAt);
  });
});
