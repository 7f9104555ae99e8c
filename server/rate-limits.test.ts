import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from './db/database.ts';
import { migrate } from './db/migrations.ts';
import { openPostgres } from './db/postgres.ts';
import { freshPostgres } from './testing/databases.ts';
import { startTestServer, type TestServer } from './testing/http.ts';
import { startCluster } from './testing/postgres-cluster.ts';

const signIn = (server: TestServer) =>
  server.call('POST', '/api/v1/auth/login', { body: { email: 'someone@example.com', password: 'a guess' } });

describe('rate limits shared by two instances on one PostgreSQL', () => {
  const opened: { db: Database; server: TestServer }[] = [];
  afterAll(async () => {
    for (const { db, server } of opened) {
      await server.close();
      await db.close();
    }
  });

  /** Two instances behind one database, each with its own pool, allowing `login` sign-ins a minute. */
  const twoInstances = async (login: number) => {
    const { db: first, url } = await freshPostgres();
    const second = await openPostgres(url);
    const a = await startTestServer(first, { login });
    const b = await startTestServer(second, { login });
    opened.push({ db: first, server: a }, { db: second, server: b });
    return { db: first, a, b };
  };

  it('10 sign-ins a minute per address across both; the 11th is refused by either', async () => {
    const { db, a, b } = await twoInstances(10);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await signIn(i % 2 === 0 ? a : b)).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const refusedByA = await signIn(a);
    const refusedByB = await signIn(b);
    expect([refusedByA.status, refusedByB.status]).toEqual([429, 429]);
    expect(refusedByB.headers.get('retry-after')).toMatch(/^[1-6]?[0-9]$/);

    // Each route counts for itself: enrolling from the same address is still allowed.
    const enroll = await a.call('POST', '/api/v1/devices/enroll', {
      body: { code: 'AAAAA-AAAAA', deviceName: 'PC' },
    });
    expect(enroll.status).toBe(403);
    // What is kept: a hash of the client's key, never the address (or, for pushes, the token).
    const rows = await db.query<{ route: string; key: string; count: number }>(
      'select route, key, count from rate_limits order by route',
    );
    expect(rows).toEqual([
      { route: 'POST /api/v1/auth/login', key: expect.stringMatching(/^[\w-]{43}$/), count: 12 },
      { route: 'POST /api/v1/devices/enroll', key: rows[0]!.key, count: 1 },
    ]);

    // Once the window is over (here: moved a minute back), sign-ins are allowed again.
    await db.query(`update rate_limits set window_start = window_start - interval '1 minute'`);
    expect((await signIn(b)).status).toBe(401);
  });

  it('attempts at the same moment on both instances: exactly the limit passes', async () => {
    const { a, b } = await twoInstances(10);
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => signIn(i % 2 === 0 ? a : b)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(14);
  });
});

describe('rate limits while PostgreSQL is down', () => {
  it('never a 500: the database is unavailable (503), and each instance still limits by itself', async () => {
    // A cluster of its own, since it is stopped.
    const cluster = startCluster(57_500 + Math.floor(Math.random() * 400));
    const db = await openPostgres(cluster.url);
    let server: TestServer | undefined;
    try {
      await migrate(db);
      server = await startTestServer(db, { login: 3 });
      expect((await signIn(server)).status).toBe(401);
      await cluster.down();

      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await signIn(server)).status);
      // Counted by this instance alone meanwhile: three allowed (which the route answers 503,
      // since it needs the database), the fourth refused.
      expect(statuses).toEqual([503, 503, 503, 429]);

      await cluster.up();
      // Back to the shared count, which holds the one sign-in made before the outage.
      await expect.poll(async () => (await signIn(server!)).status, { timeout: 30_000 }).toBe(401);
      expect((await db.query<{ count: number }>('select count from rate_limits'))[0]?.count).toBe(2);
    } finally {
      await server?.close();
      await db.close();
      cluster.stop();
    }
  }, 120_000);
});
