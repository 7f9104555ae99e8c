import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { LOGIN_CAUSES } from '../shared/events/schema.ts';
import { MAX_JSON_DEPTH } from '../shared/json/storable.ts';
import { instantText } from '../shared/testing/instants.ts';
import type { Database } from './db/database.ts';
import { createUser } from './tenants.ts';
import { DATABASES } from './testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from './testing/http.ts';

/**
 * Random, hostile and malformed requests to every route the app has (collected as Fastify adds
 * them, so a new route is fuzzed without a change here), on both databases: never a 5xx, every
 * refusal says why, the server still answers afterwards, and in pushes and imports every good
 * event is stored as sent. A fixed seed keeps runs repeatable; `PONTUAL_FUZZ_SEED` tries another
 * (fast-check prints the seed and the failing case).
 */
const SEED = Number(process.env.PONTUAL_FUZZ_SEED ?? 20_260_310);

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/**
 * One request on its own connection (an event stream is left open by the server, so it is read
 * up to its headers and dropped). `node:http` sends the path and bytes as given, unlike `fetch`.
 */
function send(url: string, { method, path, headers, body }: Sent): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, method, path, headers, agent: false }, (response) => {
      const contentType = String(response.headers['content-type'] ?? '');
      const status = response.statusCode ?? 0;
      if (contentType.startsWith('text/event-stream')) {
        response.destroy();
        resolve({ status, contentType, text: '' });
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status, contentType, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', (error: Error & { rawPacket?: Buffer }) => {
      // Node answers some requests itself, and not always as its HTTP client expects: a body for a
      // HEAD refused for its size (431), or a request refused for its URL followed by its unread
      // body read as a second request (Fastify's onBadUrl). The first answer is the one.
      const raw = error.rawPacket?.toString() ?? '';
      const first = /^HTTP\/1\.1 (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n/.exec(raw);
      if (!first) return reject(error);
      const length = Number(/content-length: (\d+)/i.exec(first[2]!)?.[1] ?? 0);
      const rest = error.rawPacket!.subarray(Buffer.byteLength(first[0]));
      resolve({
        status: Number(first[1]),
        contentType: /content-type: ([^\r]*)/i.exec(first[2]!)?.[1] ?? '',
        text: method === 'HEAD' ? '' : rest.subarray(0, length).toString(),
      });
    });
    // A route that never answers is a failure to name, not a test that hangs until its timeout
    // (HEAD /api/v1/stream once held its headers back forever).
    request.setTimeout(30_000, () => {
      request.destroy();
      reject(new Error(`${method} ${path} did not answer in 30 s`));
    });
    request.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Percent-encodes every byte of text's UTF-8 (`encodeURIComponent` throws on a lone surrogate). */
const encode = (text: string) =>
  Array.from(Buffer.from(text), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** Text any route may meet: what PostgreSQL refuses, what looks like something else, sizes. */
const hostileText = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud83d',
  '🎧\ud83d',
  '__proto__',
  'constructor',
  "x'); drop table events; --",
  '%00',
  '%ED%A0%80',
  '../../etc/passwd',
  '\u202eevil',
  'x'.repeat(10_000),
  '0000-01-01T00:00:00Z',
  '2026-03-10T18:41:00+99:99',
  '2026-03-10T18:41:00+16:00',
  '1.9999999999999999999',
  '99999999999999999999.1',
  '-1',
  'NaN',
  '1e400',
  'null',
  '{"a":1}',
);
/** Numbers as JSON text: beyond doubles, integers, negative zero, fractions. */
const hostileNumberText = fc.constantFrom(
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '9007199254740993',
  '1.5',
  '-1',
  '0',
);

/** Well-formed text without NUL: what a producer may send. */
const goodText = (maxLength: number) =>
  fc.string({ unit: 'binary', maxLength }).map((text) => text.replaceAll('\u0000', ''));

const jsonText = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null');

/**
 * JSON text for a JSON-schema (the routes' TypeBox schemas): mostly what it asks for, with
 * hostile values at any leaf, keys it does not know, and some of its keys left out.
 */
function jsonFor(schema: Record<string, unknown> | undefined, depth = 0): fc.Arbitrary<string> {
  const hostile = fc.oneof(
    hostileText.map((text) => JSON.stringify(text)),
    hostileNumberText,
    fc.constantFrom('null', 'true', '[]', '{}', deep(MAX_JSON_DEPTH + 1), deep(5_000)),
    fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}'),
    jsonText,
  );
  if (!schema || depth > 4) return hostile;
  let fitting: fc.Arbitrary<string>;
  const anyOf = (schema.anyOf ?? schema.oneOf) as Record<string, unknown>[] | undefined;
  if (anyOf) fitting = fc.oneof(...anyOf.map((option) => jsonFor(option, depth + 1)));
  else if ('const' in schema) fitting = fc.constant(JSON.stringify(schema.const));
  else if (Array.isArray(schema.enum))
    fitting = fc.constantFrom(...schema.enum.map((v) => JSON.stringify(v)));
  else if (schema.type === 'object') {
    const properties = Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>);
    fitting = fc
      .tuple(
        fc.tuple(...properties.map(([, property]) => fc.option(jsonFor(property, depth + 1), { freq: 12 }))),
        fc.option(fc.tuple(fc.oneof(goodText(10), hostileText), hostile), { freq: 5 }),
      )
      .map(([values, extra]) => {
        const members = properties.flatMap(([key], i) =>
          values[i] === null ? [] : [`${JSON.stringify(key)}:${values[i]}`],
        );
        if (extra) members.push(`${JSON.stringify(extra[0])}:${extra[1]}`);
        return `{${members.join(',')}}`;
      });
  } else if (schema.type === 'array') {
    fitting = fc
      .array(jsonFor(schema.items as Record<string, unknown> | undefined, depth + 1), { maxLength: 4 })
      .map((items) => `[${items.join(',')}]`);
  } else if (schema.type === 'string') {
    const fromSchema =
      schema.format === 'instant'
        ? instantText.map(({ text }) => text)
        : typeof schema.pattern === 'string'
          ? fc.stringMatching(new RegExp(schema.pattern))
          : goodText(Number(schema.maxLength ?? 50)).filter(
              (text) => text.length >= Number(schema.minLength ?? 0),
            );
    fitting = fromSchema.map((text) => JSON.stringify(text));
  } else if (schema.type === 'integer' || schema.type === 'number') {
    fitting = fc
      .integer({ min: Number(schema.minimum ?? -1000), max: Math.min(Number(schema.maximum ?? 1e6), 1e6) })
      .map(String);
  } else fitting = jsonText;
  // Hostile parts rarely, so that many requests pass the schema and reach the route's code; the
  // body as a whole is spoiled by `bodyFor`.
  if (depth === 0) return fitting;
  return fc.oneof({ arbitrary: fitting, weight: 15 }, { arbitrary: hostile, weight: 1 });
}

/** A querystring for a schema: its keys with text values, hostile and extra ones, or garbage. */
function queryFor(schema: Record<string, unknown> | undefined): fc.Arbitrary<string> {
  const properties = Object.entries((schema?.properties ?? {}) as Record<string, Record<string, unknown>>);
  const join = (pairs: [string, string][]) => pairs.map(([k, v]) => `${k}=${v}`).join('&');
  // The schema's own keys, with what it asks for (now and then hostile: see jsonFor).
  const fitting = fc
    .tuple(
      ...properties.map(([key, property]) =>
        fc.option(
          jsonFor(property, 1).map((text): [string, string] => {
            const value: unknown = JSON.parse(text);
            return [key, encode(typeof value === 'string' ? value : text)];
          }),
        ),
      ),
    )
    .map((pairs) => join(pairs.filter((pair) => pair !== null)));
  const hostile = fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...properties.map(([key]) => key), '__proto__', '%00'),
          goodText(5).map(encode),
        ),
        fc.oneof(
          hostileText.map(encode),
          fc.constantFrom('%00', '%ED%A0%80', '%', '%zz', '%C0%80', '-1', '5001', '1.5', 'a&b'),
        ),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map(join);
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 4 },
    { arbitrary: fitting, weight: properties.length > 0 ? 6 : 0 },
    { arbitrary: hostile, weight: 1 },
    { arbitrary: fc.constantFrom('&&&', '=', 'a[b]=1', 'a=1&a=2&a=3', `${'x='.repeat(2_000)}`), weight: 1 },
  );
}

/** A URL parameter: one that exists, random text, or a hostile one (encoded or not). */
const paramValue = (known: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...known), weight: 3 },
    { arbitrary: goodText(20).map(encode), weight: 2 },
    { arbitrary: hostileText.map(encode), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '%00',
        '%ED%A0%80',
        '%',
        '%zz',
        '..',
        '.',
        'a'.repeat(120),
        '%2F..%2F',
        'x%20y',
      ),
      weight: 1,
    },
  );

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
);

/** A body: fitting the schema, arbitrary JSON, malformed JSON text, raw bytes; any content type. */
function bodyFor(schema: Record<string, unknown> | undefined) {
  const text = fc.oneof(
    { arbitrary: jsonFor(schema), weight: 12 },
    { arbitrary: jsonText, weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '{',
        '{"events": [',
        '{"a":}',
        'nul',
        '"\\ud800"',
        '{"a":"\\u0000"}',
        '[1,]',
        ' ',
      ),
      weight: 1,
    },
  );
  return fc.record({
    bytes: fc.oneof(
      { arbitrary: text.map((t) => Buffer.from(t)), weight: 16 },
      { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), weight: 1 },
      {
        arbitrary: fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
        weight: 1,
      },
    ),
    contentType: fc.oneof(
      { arbitrary: fc.constant('application/json'), weight: 10 },
      { arbitrary: contentTypes, weight: 1 },
    ),
  });
}

// ---------------------------------------------------------------------------------------------
// Events for pushes and imports

const KNOWN_FIELDS = new Set([
  'id',
  'type',
  'at',
  'agentId',
  'agentName',
  'cause',
  'status',
  'reason',
  'ip',
  'sessionId',
  'deviceId',
  'seq',
  'clockOffsetMs',
]);
const unknownKey = goodText(12).filter(
  (key) => !KNOWN_FIELDS.has(key) && key !== '__proto__' && key !== 'constructor',
);
const goodJson = fc
  .jsonValue({ maxDepth: 4, stringUnit: 'binary' })
  .map((value) => JSON.parse(JSON.stringify(value).replaceAll('\\u0000', '')));

/** An event the server must store, whatever its text, with unknown fields. */
const goodEvent = fc
  .record({
    id: goodText(100),
    kind: fc.constantFrom('login', 'available', 'break', 'logout', 'heartbeat'),
    cause: fc.constantFrom(...LOGIN_CAUSES),
    reason: fc.option(goodText(200), { nil: undefined }),
    at: instantText,
    agentName: goodText(120),
    ip: fc.option(goodText(32), { nil: undefined }),
    sessionId: fc.option(goodText(60), { nil: undefined }),
    seq: fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
    extra: fc.dictionary(unknownKey, goodJson, { maxKeys: 3 }),
  })
  .map(({ kind, cause, reason, at, id, extra, ...rest }) => ({
    ...extra,
    ...rest,
    id,
    at: at.text,
    ...(kind === 'login' ? { type: 'login', cause } : {}),
    ...(kind === 'available' ? { type: 'status', status: 'available' } : {}),
    ...(kind === 'break' ? { type: 'status', status: 'break', reason } : {}),
    ...(kind === 'logout' || kind === 'heartbeat' ? { type: kind } : {}),
  }));

/** Ways to spoil an event, as a change to its JSON text (some cannot be written as a JS value). */
const spoil = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('agentName', 'id', 'note'),
      fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\ud83d'),
    )
    .map(
      ([field, text]) =>
        (event: Record<string, unknown>) =>
          JSON.stringify({ ...event, [field]: `${String(event[field] ?? '')}${text}` }),
    ),
  fc
    .constantFrom('\u0000', '\ud800')
    .map((text) => (event: Record<string, unknown>) => JSON.stringify({ ...event, [`k${text}`]: 1 })),
  fc
    .oneof(
      fc.constantFrom('0000-03-10T18:41:00Z', '2026-03-10T18:41:00+14:01', '2026-03-10T18:41:00-99:99'),
      fc.constant(`2026-03-10T18:41:00.${'7'.repeat(10)}Z`),
      fc.constantFrom(1773168060000, null, '', 'yesterday'),
    )
    .map((at) => (event: Record<string, unknown>) => JSON.stringify({ ...event, at })),
  fc
    .integer({ min: MAX_JSON_DEPTH, max: 20_000 })
    .map(
      (levels) => (event: Record<string, unknown>) =>
        `${JSON.stringify(event).slice(0, -1)},"nest":${deep(levels)}}`,
    ),
  fc
    .constantFrom(
      '"__proto__":{"admin":true}',
      '"constructor":{"prototype":{"x":1}}',
      '"big":1e400',
      '"small":-1e999',
    )
    .map((member) => (event: Record<string, unknown>) => `${JSON.stringify(event).slice(0, -1)},${member}}`),
  fc
    .constantFrom<[string, unknown]>(
      ['seq', -1],
      ['seq', 1.5],
      ['seq', '1'],
      ['agentId', 5],
      ['agentId', ''],
      ['type', 'pause'],
      ['cause', 'f5'],
      ['id', 'x'.repeat(129)],
      ['agentName', undefined],
    )
    .map(
      ([field, value]) =>
        (event: Record<string, unknown>) =>
          JSON.stringify({ ...event, [field]: value }),
    ),
  fc.constantFrom('"x"', '5', 'null', '[]', 'true').map((text) => () => text),
);

/** A push or import: good events (some sent twice) and spoiled ones, in any order. */
const batch = fc.array(
  fc.oneof(
    { arbitrary: goodEvent.map((event) => ({ good: true as const, event })), weight: 3 },
    {
      arbitrary: fc
        .tuple(goodEvent, spoil)
        .map(([event, change]) => ({ good: false as const, event, change })),
      weight: 2,
    },
    { arbitrary: fc.nat(30).map((repeat) => ({ good: 'again' as const, repeat })), weight: 1 },
  ),
  { minLength: 1, maxLength: 30 },
);

// ---------------------------------------------------------------------------------------------

describe.each(DATABASES)('fuzzing every route on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  const routes: RouteOptions[] = [];
  serveForTests(
    open,
    (opened, started) => {
      db = opened;
      server = started;
    },
    { login: 1_000_000, enroll: 1_000_000, push: 1_000_000 },
    // The admin routes answer only through the data folder's socket: over TCP they must refuse.
    { localAdmin: { backup: async () => new Blob([]) }, onRoute: (route) => routes.push(route) },
  );

  it('answers random, hostile and malformed requests to every route with a reason, never a 5xx', async () => {
    const admin = await tenantWithDevice(db, server, { role: 'admin' });
    await createUser(db, {
      tenantId: admin.tenantId,
      email: 'sup@fuzz.test',
      password: 'correct horse',
      role: 'supervisor',
    });
    const signIn = async () =>
      (
        await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
          body: { email: 'sup@fuzz.test', password: 'correct horse' },
        })
      ).body.token;
    const supervisor = await signIn();
    const job = await server.call<{ id: string }>('POST', '/api/v1/report-jobs', {
      token: supervisor,
      body: { reportId: 'activity', filters: { from: '2026-03-01' }, status: 'PROCESSING' },
    });
    const known = [job.body.id, admin.deviceId];
    const tokens = { admin: admin.userToken, supervisor, device: admin.deviceToken };

    const described = routes.map((route) => ({
      methods: ([] as string[]).concat(route.method),
      url: route.url,
      schema: (route.schema ?? {}) as Record<string, Record<string, unknown> | undefined>,
    }));
    expect(described.map((route) => route.url)).toEqual(
      expect.arrayContaining([
        '/api/v1/events/push',
        '/api/v1/report-jobs/:id/file',
        '/api/v1/admin/users',
        '/healthz',
      ]),
    );
    const request = fc
      .tuple(
        fc.constantFrom(
          ...described.flatMap((route) => route.methods.map((method) => ({ ...route, method }))),
        ),
        fc.constantFrom('none', 'garbage', 'admin', 'supervisor', 'device'),
      )
      .chain(([route, who]) =>
        fc.record({
          route: fc.constant(route),
          who: fc.constant(who),
          params: fc.array(paramValue(known), { minLength: 4, maxLength: 4 }),
          query: queryFor(route.schema.querystring),
          body:
            route.method === 'GET' || route.method === 'HEAD'
              ? fc.constant(undefined)
              : fc.option(bodyFor(route.schema.body), { freq: 6 }),
        }),
      );

    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(request, async ({ route, who, params, query, body }) => {
        let slot = 0;
        // Parameters and wildcards (the CORS preflight's `*`) take random and hostile values.
        const path =
          route.url.replace(/:[A-Za-z]+|\*/g, (part) => (part === '*' ? '/api/v1/' : '') + params[slot++]!) +
          (query === '' ? '' : `?${query}`);
        const headers: Record<string, string> = {};
        // Signing out revokes the token: it is given a token of its own, the others keep theirs.
        const token =
          who === 'garbage'
            ? 'x'.repeat(40)
            : who === 'none'
              ? undefined
              : route.url === '/api/v1/auth/logout'
                ? await signIn()
                : tokens[who as keyof typeof tokens];
        if (token) headers.authorization = `Bearer ${token}`;
        if (body?.contentType) headers['content-type'] = body.contentType;
        const answer = await send(server.url, { method: route.method, path, headers, body: body?.bytes });
        seen.add(`${route.method} ${route.url}`);
        expect(
          answer.status,
          `${route.method} ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`,
        ).toBeLessThan(500);
        // A refusal says why: the API's `{error}`, or (the CORS preflight's) a line of text.
        if (answer.status >= 400 && route.method !== 'HEAD') {
          const why = answer.contentType.startsWith('application/json')
            ? (JSON.parse(answer.text) as { error?: unknown }).error
            : answer.text;
          expect(why, `${route.method} ${path} answered ${answer.status}`).toMatch(/\S/);
        }
      }),
      { seed: SEED, numRuns: 300, endOnFailure: true },
    );
    // The server still answers, on its database.
    expect((await server.call('GET', '/healthz')).body).toMatchObject({ ok: true });
    // Most routes were reached in so many requests (fewer would mean the generator is stuck).
    expect(seen.size).toBeGreaterThan(described.length * 0.6);
  }, 300_000);

  it.each([
    ['/api/v1/events/push', 'deviceToken'],
    ['/api/v1/events/import', 'userToken'],
  ] as const)(
    '%s stores every good event of a random batch as sent, and rejects each bad one alone',
    async (route, as) => {
      const tokens = await tenantWithDevice(db, server);
      let run = 0;
      await fc.assert(
        fc.asyncProperty(batch, fc.option(instantText), async (items, sentAt) => {
          run++;
          const agentId = `fuzz-${route.length}-${run}-${Math.random()}`;
          const texts: string[] = [];
          const expected = { accepted: [] as string[], duplicates: [] as string[], rejected: [] as number[] };
          const stored: Record<string, unknown>[] = [];
          const goodIds: string[] = [];
          items.forEach((item, index) => {
            if (item.good === 'again' && goodIds.length > 0) {
              const id = goodIds[item.repeat % goodIds.length]!;
              texts.push(
                JSON.stringify({ id, type: 'heartbeat', at: '2026-03-10T18:41:00Z', agentId, agentName: '' }),
              );
              expected.duplicates.push(id);
              return;
            }
            if (item.good === 'again') {
              texts.push('"nothing to repeat"');
              expected.rejected.push(index);
              return;
            }
            const event = { ...item.event, id: `${run}-${index}-${item.event.id}`, agentId };
            if (item.good) {
              texts.push(JSON.stringify(event));
              expected.accepted.push(event.id);
              goodIds.push(event.id);
              stored.push(JSON.parse(JSON.stringify(event)));
            } else {
              texts.push(item.change(event));
              expected.rejected.push(index);
            }
          });
          const body = `{"events":[${texts.join(',')}]${sentAt ? `,"sentAt":${JSON.stringify(sentAt.text)}` : ''}}`;
          const answer = await server.call<{
            accepted: string[];
            duplicates: string[];
            rejected: { index: number }[];
          }>('POST', route, { token: tokens[as], rawBody: body });
          expect(answer.status).toBe(200);
          expect({
            accepted: answer.body.accepted,
            duplicates: answer.body.duplicates,
            rejected: answer.body.rejected.map((r) => r.index),
          }).toEqual(expected);
          const pull = await server.call<{ events: Record<string, unknown>[] }>(
            'GET',
            `/api/v1/events/pull?agentId=${encodeURIComponent(agentId)}`,
            { token: tokens.userToken },
          );
          expect(pull.body.events.map(({ clockOffsetMs: _, ...event }) => event)).toEqual(stored);
        }),
        { seed: SEED, numRuns: 40, endOnFailure: true },
      );
      expect((await server.call('GET', '/healthz')).body).toMatchObject({ ok: true });
    },
    300_000,
  );
});
