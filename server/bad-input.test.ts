import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/events/schema.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import type { Database } from './db/database.ts';
import { createUser } from './tenants.ts';
import { DATABASES } from './testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from './testing/http.ts';

interface Answer {
  accepted: string[];
  duplicates: string[];
  rejected: { index: number; id?: string; error: string }[];
}

const event = (agentId: string, fields: Record<string, unknown> = {}): ActivityEvent =>
  ({
    id: uuidv7(),
    type: 'login',
    cause: 'page_load',
    at: '2026-03-10T18:41:00.000Z',
    agentId,
    agentName: 'Ana Lima',
    ...fields,
  }) as ActivityEvent;

/** Where a case puts text that `JSON.stringify` cannot write (a number JSON.parse makes Infinity). */
const RAW = '<raw>';
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/**
 * One event each that passes today's schema but that PostgreSQL refuses (or stores altered), as
 * the JSON text sent, and the reason the server must give for it alone.
 */
const BAD_EVENTS: { name: string; fields: Record<string, unknown>; raw?: string; error: string }[] = [
  {
    name: 'a NUL in a known field',
    fields: { agentName: 'Ana\u0000Lima' },
    error: 'agentName: contains a NUL character (U+0000)',
  },
  {
    name: 'a NUL in an unknown field',
    fields: { extra: { note: 'x\u0000' } },
    error: 'extra.note: contains a NUL character (U+0000)',
  },
  {
    name: 'a NUL in a key',
    fields: { extra: { 'a\u0000b': 1 } },
    error: 'extra: has a key that contains a NUL character (U+0000)',
  },
  {
    name: 'a lone high surrogate',
    fields: { type: 'status', status: 'break', cause: undefined, reason: 'Lunch \ud800' },
    error: 'reason: contains an unpaired surrogate (\\ud800)',
  },
  {
    name: 'a lone low surrogate in an unknown field',
    fields: { extra: ['ok', '\udc00x'] },
    error: 'extra.1: contains an unpaired surrogate (\\udc00)',
  },
  {
    name: 'a lone surrogate in a key',
    fields: { extra: { '\ud83dk': true } },
    error: 'extra: has a key that contains an unpaired surrogate (\\ud83d)',
  },
  {
    name: 'at in the year 0000',
    fields: { at: '0000-03-10T18:41:00Z' },
    error: 'at: the year must be between 0001 and 9999',
  },
  {
    name: 'an offset of +16:00',
    fields: { at: '2026-03-10T18:41:00+16:00' },
    error: 'at: the offset must be within ±14:00',
  },
  {
    name: 'more decimals of a second than PostgreSQL reads',
    fields: { at: `2026-03-10T18:41:00.${'1'.repeat(200)}Z` },
    error: 'at: may have at most 9 decimals of a second',
  },
  {
    name: 'nesting 10,000 deep in an unknown field',
    fields: { extra: RAW },
    raw: deep(10_000),
    error: 'extra: nested deeper than 32 levels',
  },
  {
    name: 'a __proto__ key',
    fields: { ['__proto__']: { admin: true } },
    error: "__proto__: is not allowed as a key: it would change objects' prototypes",
  },
  {
    name: 'a number JSON.parse reads as Infinity',
    fields: { extra: { big: RAW } },
    raw: '1e400',
    error: 'extra.big: is a number too large to store',
  },
];

const bodyText = (events: string[], sentAt?: string) =>
  `{"events":[${events.join(',')}]${sentAt === undefined ? '' : `,"sentAt":${JSON.stringify(sentAt)}`}}`;

describe.each(DATABASES)('bad input on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  describe.each([
    { route: '/api/v1/events/push', as: 'deviceToken' as const },
    { route: '/api/v1/events/import', as: 'userToken' as const },
  ])('$route', ({ route, as }) => {
    it.each(BAD_EVENTS)('rejects only the event with $name, and stores the good ones', async (bad) => {
      const tokens = await tenantWithDevice(db, server);
      const agentId = `agent-${uuidv7()}`;
      const good = [event(agentId), event(agentId, { extra: { note: 'Almoço 🎧', list: [1, [2]] } })];
      const rejected = event(agentId, bad.fields);
      const rejectedText = JSON.stringify(rejected).replace(JSON.stringify(RAW), bad.raw ?? RAW);
      const answer = await server.call<Answer>('POST', route, {
        token: tokens[as],
        rawBody: bodyText([JSON.stringify(good[0]), rejectedText, JSON.stringify(good[1])]),
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        accepted: good.map((e) => e.id),
        duplicates: [],
        rejected: [{ index: 1, id: rejected.id, error: bad.error }],
      });
      const pull = await server.call<{ events: (ActivityEvent & { clockOffsetMs: number })[] }>(
        'GET',
        `/api/v1/events/pull?agentId=${agentId}`,
        { token: tokens.userToken },
      );
      expect(pull.status).toBe(200);
      expect(pull.body.events.map(({ clockOffsetMs: _, ...stored }) => stored)).toEqual(good);
    });

    it('refuses a batch that is not an array instead of reading it as one', async () => {
      const tokens = await tenantWithDevice(db, server);
      const answer = await server.call('POST', route, { token: tokens[as], rawBody: '{"events":"x"}' });
      expect(answer).toMatchObject({ status: 400, body: { error: 'body.events: must be array' } });
    });

    it('refuses a sentAt with an offset of +99:99', async () => {
      const tokens = await tenantWithDevice(db, server);
      const answer = await server.call('POST', route, {
        token: tokens[as],
        rawBody: bodyText([JSON.stringify(event('ana'))], '2026-03-10T18:41:00+99:99'),
      });
      expect(answer).toMatchObject({
        status: 400,
        body: { error: 'body.sentAt: the offset must be within ±14:00' },
      });
    });
  });

  it.each([
    ['cursor=1.9999999999999999999', 'querystring.cursor: is not a cursor this server gave'],
    ['cursor=99999999999999999999.1', 'querystring.cursor: is not a cursor this server gave'],
    ['from=0000-01-01T00:00:00Z', 'querystring.from: the year must be between 0001 and 9999'],
    ['to=0000-12-31T23:59:59Z', 'querystring.to: the year must be between 0001 and 9999'],
    ['agentId=a%00b', 'querystring.agentId: contains a NUL character (U+0000)'],
  ])('a pull with %s is a 400 saying why', async (query, error) => {
    const { userToken } = await tenantWithDevice(db, server);
    const answer = await server.call('GET', `/api/v1/events/pull?${query}`, { token: userToken });
    expect(answer).toMatchObject({ status: 400, body: { error } });
  });

  it('reads a cursor’s numbers as decimal, leading zeros and all (PostgreSQL reads them as octal)', async () => {
    const tokens = await tenantWithDevice(db, server);
    const events = [event('ana'), event('ana'), event('ana')];
    for (const one of events) {
      await server.call('POST', '/api/v1/events/push', {
        token: tokens.deviceToken,
        body: { events: [one] },
      });
    }
    const pull = (cursor: string) =>
      server.call<{ events: ActivityEvent[] }>('GET', `/api/v1/events/pull?cursor=${cursor}`, {
        token: tokens.userToken,
      });
    const first = await server.call<{ cursor: string }>('GET', '/api/v1/events/pull?limit=1', {
      token: tokens.userToken,
    });
    const [xid, seq] = first.body.cursor.split('.');
    const padded = await pull(`0${xid}.00${seq}`);
    expect(padded.status).toBe(200);
    expect(padded.body.events.map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
  });

  it('refuses a NUL or a lone surrogate in every other route’s text, naming the field', async () => {
    const { userToken, tenantId } = await tenantWithDevice(db, server, { role: 'admin' });
    const code = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
      token: userToken,
      body: {},
    });
    const job = await server.call<{ id: string }>('POST', '/api/v1/report-jobs', {
      token: userToken,
      body: { reportId: 'activity', filters: {}, status: 'PROCESSING' },
    });
    expect(job.status).toBe(201);
    const cases: [method: string, path: string, body: unknown, error: string][] = [
      [
        'POST',
        '/api/v1/auth/login',
        { email: 'ana\u0000@example.com', password: 'correct horse' },
        'body.email: contains a NUL character (U+0000)',
      ],
      [
        'POST',
        '/api/v1/enrollment-codes',
        { agentIds: ['ana', 'bia\u0000'] },
        'body.agentIds.1: contains a NUL character (U+0000)',
      ],
      [
        'POST',
        '/api/v1/enrollment-codes',
        { agentIds: ['\udfffana'] },
        'body.agentIds.0: contains an unpaired surrogate (\\udfff)',
      ],
      [
        'POST',
        '/api/v1/devices/enroll',
        { code: code.body.code, deviceName: 'PC\u0000' },
        'body.deviceName: contains a NUL character (U+0000)',
      ],
      [
        'POST',
        '/api/v1/users',
        { email: 'bia\ud800@example.com', password: 'correct horse', role: 'supervisor' },
        'body.email: contains an unpaired surrogate (\\ud800)',
      ],
      [
        'POST',
        '/api/v1/report-jobs',
        { reportId: 'activity', filters: { agentIds: ['a\u0000'] }, status: 'PROCESSING' },
        'body.filters.agentIds.0: contains a NUL character (U+0000)',
      ],
      [
        'POST',
        '/api/v1/report-jobs',
        { reportId: 'activity', title: 'March \ud800', filters: {}, status: 'PROCESSING' },
        'body.title: contains an unpaired surrogate (\\ud800)',
      ],
      [
        'PATCH',
        `/api/v1/report-jobs/${job.body.id}`,
        { title: 'Mar\u0000ch' },
        'body.title: contains a NUL character (U+0000)',
      ],
      ['DELETE', '/api/v1/users/a%00b', undefined, 'params.id: contains a NUL character (U+0000)'],
      ['GET', '/api/v1/report-jobs/%00', undefined, 'params.id: contains a NUL character (U+0000)'],
      ['POST', '/api/v1/devices/%00/revoke', undefined, 'params.id: contains a NUL character (U+0000)'],
    ];
    for (const [method, path, body, error] of cases) {
      const answer = await server.call(method, path, { token: userToken, body });
      expect({ method, path, status: answer.status, body: answer.body }).toEqual({
        method,
        path,
        status: 400,
        body: { error },
      });
    }
    // Nothing of it was stored, not even with the text altered.
    const users = await db.query<{ email: string }>('select email from users where tenant_id = $1', [
      tenantId,
    ]);
    expect(users).toHaveLength(1);
    // The device's own code, and the one made above, still unused.
    const codes = await db.query<{ used: boolean }>(
      'select used_at is not null as used from enrollment_codes where tenant_id = $1 order by used',
      [tenantId],
    );
    expect(codes).toEqual([{ used: false }, { used: true }]);
    const jobs = await db.query<{ title: string }>('select title from report_jobs where tenant_id = $1', [
      tenantId,
    ]);
    expect(jobs).toEqual([{ title: 'activity' }]);
  });

  it('the database refusing an event the validator let through rejects that event alone', async () => {
    // A rule the validator does not know, played by a real constraint of this test's database: the
    // cast fails with SQLSTATE 22P02 (invalid text representation) for a non-numeric `probe`.
    await db.exec(`alter table events add constraint probe_is_numeric
                     check ((body->>'probe') is null or (body->>'probe')::numeric >= 0)`);
    try {
      const tokens = await tenantWithDevice(db, server);
      const agentId = `agent-${uuidv7()}`;
      const events = [
        event(agentId, { probe: '1' }),
        event(agentId, { probe: 'one' }),
        event(agentId),
        event(agentId, { probe: 'two' }),
        event(agentId, { probe: '3' }),
      ];
      const answer = await server.call<Answer>('POST', '/api/v1/events/push', {
        token: tokens.deviceToken,
        body: { events },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.accepted).toEqual([events[0]!.id, events[2]!.id, events[4]!.id]);
      expect(answer.body.rejected).toEqual([
        {
          index: 1,
          id: events[1]!.id,
          error: expect.stringMatching(/^refused by the database: invalid input syntax for type numeric/),
        },
        {
          index: 3,
          id: events[3]!.id,
          error: expect.stringMatching(/^refused by the database: invalid input syntax for type numeric/),
        },
      ]);
      // A resend is told which were stored and which are still refused.
      const again = await server.call<Answer>('POST', '/api/v1/events/push', {
        token: tokens.deviceToken,
        body: { events },
      });
      expect(again.body.accepted).toEqual([]);
      expect(again.body.duplicates).toEqual([events[0]!.id, events[2]!.id, events[4]!.id]);
      expect(again.body.rejected.map((r) => r.index)).toEqual([1, 3]);
    } finally {
      await db.exec('alter table events drop constraint probe_is_numeric');
    }
  });

  it('a person whose email holds a lone surrogate is refused, not stored as U+FFFD', async () => {
    const { tenantId } = await tenantWithDevice(db, server);
    await createUser(db, { tenantId, email: 'eva@example.com', password: 'correct horse', role: 'admin' });
    const login = await server.call('POST', '/api/v1/auth/login', {
      body: { email: 'eva\udc00@example.com', password: 'correct horse' },
    });
    expect(login).toMatchObject({
      status: 400,
      body: { error: 'body.email: contains an unpaired surrogate (\\udc00)' },
    });
  });
});
