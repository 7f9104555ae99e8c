import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../shared/api/report-jobs.ts';
import type { Database } from '../db/database.ts';
import { createUser, type Role } from '../tenants.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, startTestServer, type TestServer, tenantWithDevice } from '../testing/http.ts';
import { DOWNLOAD_LINK_TTL_MS, downloadSecret, MAX_FILE_BYTES, signDownloadToken } from './report-jobs.ts';

const MARCH = { from: '2026-03-01', to: '2026-04-01', timeZone: 'America/Sao_Paulo', agentIds: ['ana'] };

interface StreamEvent {
  event: string;
  data: { kind: string; jobId?: string; action?: string };
}

/** An open `GET /api/v1/stream`, its events parsed as they arrive. */
async function openStream(server: TestServer, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/v1/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: StreamEvent[] = [];
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    /** The report-jobs changes so far, as `action jobId`. */
    changes: () =>
      events.filter((e) => e.event === 'report-jobs').map((e) => `${e.data.action} ${e.data.jobId}`),
    async waitFor(predicate: () => boolean, what: string) {
      const deadline = Date.now() + 5_000;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`the stream did not show ${what}: ${JSON.stringify(events)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}

describe.each(DATABASES)('report jobs on $kind', ({ open }) => {
  let db: Database;
  let server: TestServer;
  serveForTests(open, (opened, started) => {
    db = opened;
    server = started;
  });

  /** Another person signed in to the same tenant. */
  async function colleague(tenantId: string, role: Role = 'supervisor') {
    const email = `${role}-${Math.random().toString(36).slice(2, 10)}@example.com`;
    const user = await createUser(db, { tenantId, email, password: 'correct horse', role });
    const login = await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
      body: { email, password: 'correct horse' },
    });
    return { token: login.body.token, userId: user.id, email };
  }

  const create = (token: string, body: Record<string, unknown>) =>
    server.call<Job & { error?: string }>('POST', '/api/v1/report-jobs', { token, body });

  const list = async (token: string) =>
    (await server.call<{ jobs: Job[] }>('GET', '/api/v1/report-jobs', { token })).body.jobs;

  async function upload(
    token: string,
    id: string,
    format: string,
    bytes: Uint8Array,
    options: { fileName?: string; contentType?: string } = {},
  ) {
    const query = new URLSearchParams({
      format,
      ...(options.fileName ? { fileName: options.fileName } : {}),
    });
    const response = await fetch(`${server.url}/api/v1/report-jobs/${id}/file?${query}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': options.contentType ?? 'application/octet-stream',
      },
      body: new Uint8Array(bytes),
    });
    return { status: response.status, body: (await response.json()) as Job & { error: string } };
  }

  async function linkFor(token: string, id: string, format = 'csv') {
    return server.call<{ url: string; expiresAt: string; error?: string }>(
      'GET',
      `/api/v1/report-jobs/${id}/download-link?format=${format}`,
      { token },
    );
  }

  it('creates, lists, updates, uploads and downloads a job by its signed link', async () => {
    const { userToken, email } = await tenantWithDevice(db, server);
    const created = await create(userToken, {
      reportId: 'agent-summary',
      title: 'Agent summary — March',
      filters: MARCH,
      status: 'PROCESSING',
    });
    expect(created.status).toBe(201);
    const job = created.body;
    expect(job).toMatchObject({
      reportId: 'agent-summary',
      title: 'Agent summary — March',
      filters: MARCH,
      status: 'PROCESSING',
      progress: 0,
      createdBy: { email },
      files: [],
    });
    expect(job.error).toBeUndefined();
    expect(Date.parse(job.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const progressed = await server.call<Job>('PATCH', `/api/v1/report-jobs/${job.id}`, {
      token: userToken,
      body: { progress: 0.5 },
    });
    expect(progressed.status).toBe(200);
    expect(progressed.body).toMatchObject({ status: 'PROCESSING', progress: 0.5 });

    const csv = new TextEncoder().encode('\uFEFFagent;logins\r\nAna Lúcia;3\r\n');
    const xlsx = randomBytes(300_000); // any bytes, zeros and high bytes included
    const withCsv = await upload(userToken, job.id, 'csv', csv, { contentType: 'text/csv; charset=utf-8' });
    expect(withCsv.status).toBe(200);
    expect(withCsv.body.files).toEqual([
      { format: 'csv', fileName: 'agent-summary_2026-03-01_2026-03-31.csv', size: csv.length },
    ]);
    const withXlsx = await upload(userToken, job.id, 'xlsx', xlsx, {
      fileName: '../../Relatório março.xlsx',
    });
    expect(withXlsx.body.files).toEqual([
      { format: 'csv', fileName: 'agent-summary_2026-03-01_2026-03-31.csv', size: csv.length },
      { format: 'xlsx', fileName: 'Relat-rio-mar-o.xlsx', size: xlsx.length },
    ]);

    // The POST form of the update works the same as PATCH.
    const ready = await server.call<Job>('POST', `/api/v1/report-jobs/${job.id}`, {
      token: userToken,
      body: { status: 'READY' },
    });
    expect(ready.body).toMatchObject({ status: 'READY', progress: 1 });
    expect(Date.parse(ready.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(ready.body.createdAt));

    const jobs = await list(userToken);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toEqual(ready.body);
    expect((await server.call('GET', `/api/v1/report-jobs/${job.id}`, { token: userToken })).body).toEqual(
      ready.body,
    );

    for (const [format, bytes] of [
      ['csv', csv],
      ['xlsx', xlsx],
    ] as const) {
      const link = await linkFor(userToken, job.id, format);
      expect(link.status).toBe(200);
      expect(link.body.url).toMatch(/^\/api\/v1\/report-jobs\/download\/[A-Za-z0-9._-]+$/);
      const expires = Date.parse(link.body.expiresAt) - Date.now();
      expect(expires).toBeGreaterThan(DOWNLOAD_LINK_TTL_MS - 60_000);
      expect(expires).toBeLessThanOrEqual(DOWNLOAD_LINK_TTL_MS);
      const download = await fetch(`${server.url}${link.body.url}`); // no bearer token
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
      const name = format === 'csv' ? 'agent-summary_2026-03-01_2026-03-31.csv' : 'Relat-rio-mar-o.xlsx';
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
      expect(download.headers.get('content-type')).toMatch(format === 'csv' ? /^text\/csv/ : /spreadsheetml/);
    }
    // A pdf was never uploaded.
    const noPdf = await linkFor(userToken, job.id, 'pdf');
    expect(noPdf.status).toBe(404);
    expect(noPdf.body.error).toMatch(/no pdf file/);
  });

  it('refuses malformed jobs and updates with a clear message', async () => {
    const { userToken, deviceToken } = await tenantWithDevice(db, server);
    const bad = async (body: Record<string, unknown>, message: RegExp) => {
      const response = await create(userToken, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error).toMatch(message);
    };
    const good = { reportId: 'login-logout', filters: MARCH, status: 'PROCESSING' };
    await bad({ ...good, status: 'DONE' }, /status/);
    await bad({ ...good, progress: 1.5 }, /^body.progress: must be <= 1$/);
    await bad({ ...good, progress: -0.1 }, /^body.progress: must be >= 0$/);
    await bad({ ...good, filters: ['a'] }, /^body.filters: must be object$/);
    await bad({ ...good, filters: { note: 'x'.repeat(20_000) } }, /filters may have at most/);
    await bad({ ...good, reportId: 'two words' }, /reportId/);
    await bad({ reportId: 'login-logout', status: 'READY' }, /filters/);
    await bad({ ...good, status: 'ERROR' }, /needs an error message/);
    await bad({ ...good, error: 'why' }, /error is only for status ERROR/);
    const broken = await server.call<{ error: string }>('POST', '/api/v1/report-jobs', {
      token: userToken,
      rawBody: '{"reportId":',
    });
    expect(broken.status).toBe(400);

    const failed = await create(userToken, { ...good, status: 'ERROR', error: 'the period has 40 days' });
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({ status: 'ERROR', error: 'the period has 40 days', progress: 0 });
    const patch = (id: string, body: unknown) =>
      server.call<Job & { error: string }>('PATCH', `/api/v1/report-jobs/${id}`, { token: userToken, body });
    expect((await patch(failed.body.id, {})).status).toBe(400);
    const back = await patch(failed.body.id, { status: 'PROCESSING' });
    expect(back.status).toBe(409);
    expect(back.body.error).toMatch(/finished/);

    const running = (await create(userToken, good)).body;
    expect((await patch(running.id, { status: 'ERROR' })).body.error).toMatch(/needs an error message/);
    const errored = await patch(running.id, { status: 'ERROR', error: 'the browser ran out of memory' });
    expect(errored.body).toMatchObject({ status: 'ERROR', error: 'the browser ran out of memory' });
    expect((await patch('no-such-job', { progress: 0.2 })).status).toBe(404);
    expect((await upload(userToken, running.id, 'docx', new Uint8Array([1]))).status).toBe(400);
    const empty = await upload(userToken, running.id, 'csv', new Uint8Array());
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/empty/);

    // Devices and strangers have no access to the history.
    expect((await server.call('GET', '/api/v1/report-jobs', { token: deviceToken })).status).toBe(403);
    expect((await server.call('GET', '/api/v1/report-jobs')).status).toBe(401);
    expect((await server.call('POST', '/api/v1/report-jobs', { body: good })).status).toBe(401);
  });

  it('refuses a file larger than the limit before reading it', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const job = (await create(userToken, { reportId: 'activity', filters: {}, status: 'PROCESSING' })).body;
    const { port } = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: `/api/v1/report-jobs/${job.id}/file?format=pdf`,
          headers: {
            authorization: `Bearer ${userToken}`,
            'content-type': 'application/pdf',
            'content-length': String(MAX_FILE_BYTES + 1),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.write('%PDF-1.7\n'); // and then nothing more: the server must not wait for the rest
    });
    expect(status).toBe(413);
  });

  it('keeps the last 7 jobs of each report type, deleting older ones with their files', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const summary: string[] = [];
    let firstLink = '';
    for (let i = 0; i < 9; i++) {
      const job = await create(userToken, {
        reportId: 'agent-summary',
        title: `summary ${i}`,
        filters: MARCH,
        status: 'READY',
      });
      expect(job.status).toBe(201);
      summary.push(job.body.id);
      if (i === 0) {
        expect((await upload(userToken, job.body.id, 'csv', new Uint8Array([65]))).status).toBe(200);
        firstLink = (await linkFor(userToken, job.body.id)).body.url;
      }
    }
    const logins: string[] = [];
    for (let i = 0; i < 2; i++) {
      logins.push(
        (await create(userToken, { reportId: 'login-logout', filters: MARCH, status: 'READY' })).body.id,
      );
    }
    const jobs = await list(userToken);
    expect(jobs.map((job) => job.id)).toEqual([...logins.toReversed(), ...summary.slice(2).toReversed()]);
    const files = await db.query<{ count: number | string }>(
      'select count(*) as count from report_job_files where job_id = $1',
      [summary[0]],
    );
    expect(Number(files[0]!.count)).toBe(0);
    expect((await fetch(`${server.url}${firstLink}`)).status).toBe(404);
    expect((await server.call('GET', `/api/v1/report-jobs/${summary[0]}`, { token: userToken })).status).toBe(
      404,
    );
  });

  it('keeps exactly 7 when many jobs of one report are created at once', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const created = await Promise.all(
      Array.from({ length: 15 }, () =>
        create(userToken, { reportId: 'activity', filters: {}, status: 'READY' }),
      ),
    );
    expect(created.map((response) => response.status)).toEqual(Array(15).fill(201));
    expect(await list(userToken)).toHaveLength(7);
  });

  it('a link to a job deleted from the history answers 404, and the secret is shared by instances', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const job = (await create(userToken, { reportId: 'activity', filters: {}, status: 'READY' })).body;
    await upload(userToken, job.id, 'pdf', new TextEncoder().encode('%PDF-1.7 fake'));
    const link = (await linkFor(userToken, job.id, 'pdf')).body;
    const second = await startTestServer(db);
    try {
      const elsewhere = await fetch(`${second.url}${link.url}`);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.headers.get('content-type')).toBe('application/pdf');
      expect(elsewhere.headers.get('content-disposition')).toBe(
        'attachment; filename="activity_all_all.pdf"',
      );
    } finally {
      await second.close();
    }
    expect((await server.call('DELETE', `/api/v1/report-jobs/${job.id}`, { token: userToken })).status).toBe(
      204,
    );
    const gone = await fetch(`${server.url}${link.url}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: string }).error).toMatch(/no longer in the history/);
  });

  it('an expired link answers 410 and an altered one 403', async () => {
    const { userToken } = await tenantWithDevice(db, server);
    const job = (await create(userToken, { reportId: 'activity', filters: MARCH, status: 'READY' })).body;
    await upload(userToken, job.id, 'csv', new TextEncoder().encode('a,b\n'));
    const secret = await downloadSecret(db);

    const expired = signDownloadToken(secret, job.id, 'csv', Date.now() - 1_000);
    const late = await fetch(`${server.url}/api/v1/report-jobs/download/${expired}`);
    expect(late.status).toBe(410);
    expect(((await late.json()) as { error: string }).error).toMatch(/expired at .*ask for a new link/);

    const valid = signDownloadToken(secret, job.id, 'csv', Date.now() + 60_000);
    expect((await fetch(`${server.url}/api/v1/report-jobs/download/${valid}`)).status).toBe(200);
    const [id, format, expiresAt, sig] = valid.split('.') as [string, string, string, string];
    const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    const tampered = [
      `${id}.${format}.${expiresAt}.${flipped}`, // another signature
      `${id}.${format}.${Number(expiresAt) + DOWNLOAD_LINK_TTL_MS}.${sig}`, // a longer life
      `${id}.xlsx.${expiresAt}.${sig}`, // another format
      `${id.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}.${format}.${expiresAt}.${sig}`, // another job
      signDownloadToken('a guessed secret', job.id, 'csv', Date.now() + 60_000),
      'not-a-token',
    ];
    for (const token of tampered) {
      const response = await fetch(`${server.url}/api/v1/report-jobs/download/${encodeURIComponent(token)}`);
      expect(response.status, token).toBe(403);
      expect(((await response.json()) as { error: string }).error).toMatch(/not valid/);
    }
    // An expired and altered link is refused as altered.
    const forged = `${id}.${format}.${Date.now() - 1_000}.${sig}`;
    expect((await fetch(`${server.url}/api/v1/report-jobs/download/${forged}`)).status).toBe(403);
  });

  it('keeps tenants apart: another tenant’s supervisor gets 404 and sees nothing', async () => {
    const mine = await tenantWithDevice(db, server);
    const theirs = await tenantWithDevice(db, server);
    const job = (await create(mine.userToken, { reportId: 'activity', filters: MARCH, status: 'READY' }))
      .body;
    await upload(mine.userToken, job.id, 'csv', new TextEncoder().encode('secret\n'));
    const token = theirs.userToken;
    expect(await list(token)).toEqual([]);
    const attempts = [
      await server.call('GET', `/api/v1/report-jobs/${job.id}`, { token }),
      await server.call('PATCH', `/api/v1/report-jobs/${job.id}`, { token, body: { progress: 0.1 } }),
      await server.call('POST', `/api/v1/report-jobs/${job.id}`, { token, body: { title: 'mine now' } }),
      await server.call('DELETE', `/api/v1/report-jobs/${job.id}`, { token }),
      await linkFor(token, job.id),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(JSON.stringify(attempt.body)).not.toMatch(/secret|activity/);
    }
    expect((await upload(token, job.id, 'csv', new Uint8Array([1]))).status).toBe(404);
    // Their admin cannot either.
    const theirAdmin = await colleague(theirs.tenantId, 'admin');
    expect(
      (await server.call('DELETE', `/api/v1/report-jobs/${job.id}`, { token: theirAdmin.token })).status,
    ).toBe(404);
    const still = await server.call<Job>('GET', `/api/v1/report-jobs/${job.id}`, { token: mine.userToken });
    expect(still.body).toMatchObject({ title: 'activity', progress: 1 });
    expect(still.body.files).toHaveLength(1);
  });

  it('only the creator updates or deletes a job, admins included; its row count is shared', async () => {
    const { tenantId, userToken } = await tenantWithDevice(db, server);
    const teammate = await colleague(tenantId);
    const admin = await colleague(tenantId, 'admin');
    const job = (await create(userToken, { reportId: 'activity', filters: MARCH, status: 'PROCESSING' }))
      .body;

    // A teammate sees the shared job and may share its link, but not change or delete it.
    expect((await list(teammate.token)).map((j) => j.id)).toEqual([job.id]);
    const update = await server.call<{ error: string }>('PATCH', `/api/v1/report-jobs/${job.id}`, {
      token: teammate.token,
      body: { status: 'READY' },
    });
    expect(update.status).toBe(403);
    expect(update.body.error).toMatch(/only the person who started this job/);
    expect((await upload(teammate.token, job.id, 'csv', new Uint8Array([1]))).status).toBe(403);
    await upload(userToken, job.id, 'csv', new Uint8Array([1]));
    expect((await linkFor(teammate.token, job.id)).status).toBe(200);
    const remove = await server.call<{ error: string }>('DELETE', `/api/v1/report-jobs/${job.id}`, {
      token: teammate.token,
    });
    expect(remove.status).toBe(403);
    expect(remove.body.error).toMatch(/only the person who started this job may delete it/);
    // Nor an admin: a shared job is its owner's work (issue 13).
    expect(
      (
        await server.call('PATCH', `/api/v1/report-jobs/${job.id}`, {
          token: admin.token,
          body: { progress: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (await server.call('DELETE', `/api/v1/report-jobs/${job.id}`, { token: admin.token })).status,
    ).toBe(403);
    // The owner's row count reaches the teammates.
    const ready = await server.call<Job>('PATCH', `/api/v1/report-jobs/${job.id}`, {
      token: userToken,
      body: { status: 'READY', rowCount: 1234 },
    });
    expect(ready.body.rowCount).toBe(1234);
    expect((await list(teammate.token))[0]).toMatchObject({ id: job.id, rowCount: 1234 });
    const negative = await server.call('PATCH', `/api/v1/report-jobs/${job.id}`, {
      token: userToken,
      body: { rowCount: -1 },
    });
    expect(negative.status).toBe(400);
    expect((await server.call('DELETE', `/api/v1/report-jobs/${job.id}`, { token: userToken })).status).toBe(
      204,
    );
    expect(await list(userToken)).toEqual([]);
    expect((await server.call('DELETE', `/api/v1/report-jobs/${job.id}`, { token: userToken })).status).toBe(
      404,
    );

    const own = (await create(teammate.token, { reportId: 'activity', filters: {}, status: 'PROCESSING' }))
      .body;
    expect(
      (await server.call('DELETE', `/api/v1/report-jobs/${own.id}`, { token: teammate.token })).status,
    ).toBe(204);
  });

  it('announces created, updated and deleted jobs on the tenant’s event stream only', async () => {
    const { tenantId, userToken } = await tenantWithDevice(db, server);
    const other = await tenantWithDevice(db, server);
    const teammate = await colleague(tenantId);
    const stream = await openStream(server, teammate.token);
    const otherStream = await openStream(server, other.userToken);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 8; i++) {
        ids.push(
          (await create(userToken, { reportId: 'activity', filters: {}, status: 'PROCESSING' })).body.id,
        );
      }
      const last = ids.at(-1)!;
      await server.call('PATCH', `/api/v1/report-jobs/${last}`, {
        token: userToken,
        body: { progress: 0.3 },
      });
      await upload(userToken, last, 'csv', new Uint8Array([1, 2, 3]));
      await server.call('DELETE', `/api/v1/report-jobs/${last}`, { token: userToken });
      const expected = [
        ...ids.slice(0, 7).map((id) => `created ${id}`),
        `created ${last}`,
        `deleted ${ids[0]}`, // the eighth job pushed the first out of the history
        `updated ${last}`,
        `updated ${last}`,
        `deleted ${last}`,
      ];
      await stream.waitFor(() => stream.changes().length >= expected.length, 'all changes');
      expect(stream.changes()).toEqual(expected);

      // The other tenant's stream hears only its own job.
      const theirs = (await create(other.userToken, { reportId: 'activity', filters: {}, status: 'READY' }))
        .body;
      await otherStream.waitFor(() => otherStream.changes().length > 0, 'their job');
      expect(otherStream.changes()).toEqual([`created ${theirs.id}`]);
    } finally {
      await stream.close();
      await otherStream.close();
    }
  });
});
