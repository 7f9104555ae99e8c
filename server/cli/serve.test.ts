import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openEventStream } from '../testing/event-stream.ts';
import { type ServeProcess, spawnServe } from '../testing/serve-process.ts';
import { STOP_DEADLINE_MS } from './graceful-stop.ts';

const BIN = join(import.meta.dirname, '../../bin/pontual.mjs');
const dir = mkdtempSync(join(tmpdir(), 'pontual-serve-'));
const data = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const started: ServeProcess[] = [];
async function startServer(folder = data): Promise<ServeProcess> {
  const server = await spawnServe({ data: folder });
  started.push(server);
  return server;
}
// A test that failed half-way leaves no server behind.
afterEach(async () => {
  for (const server of started.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
});

describe('pontual serve and pontual admin (embedded database)', () => {
  it('first run, admin through the running server, one holder only, graceful stop, data kept', async () => {
    const first = await startServer();
    expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ ok: true, database: 'pglite' });
    await expect.poll(() => first.log()).toContain('No users yet');

    expect((await run(['admin', 'create-tenant', 'Acme', '--data', data])).code).toBe(0);
    const user = await run(
      [
        'admin',
        'create-user',
        '--tenant',
        'Acme',
        '--email',
        'ana@acme.com',
        '--role',
        'admin',
        '--data',
        data,
      ],
      'a long password\n',
    );
    expect(user.stderr).toBe('');
    expect(JSON.parse(user.stdout)).toMatchObject({ email: 'ana@acme.com', role: 'admin' });
    const again = await run(['admin', 'create-tenant', 'Acme', '--data', data]);
    expect(again).toMatchObject({ code: 2, stderr: 'pontual: a tenant named "Acme" exists already\n' });

    const second = await run(['serve', '--port', '0', '--data', data]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      /^pontual: the embedded database is open by the Pontual server running as pid \d+/,
    );

    first.child.kill('SIGTERM');
    const [code] = await once(first.child, 'exit');
    expect(code).toBe(0);
    expect(existsSync(join(data, 'holder.json'))).toBe(false);

    // Without a server the admin command opens the database itself.
    const direct = await run(
      [
        'admin',
        'create-user',
        '--tenant',
        'Acme',
        '--email',
        'bia@acme.com',
        '--role',
        'supervisor',
        '--data',
        data,
      ],
      'another long password',
    );
    expect(direct.code).toBe(0);

    const restarted = await startServer();
    try {
      const login = await fetch(`${restarted.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'bia@acme.com', password: 'another long password' }),
      });
      expect(login.status).toBe(200);
      expect(restarted.log()).not.toContain('No users yet');
    } finally {
      restarted.child.kill('SIGTERM');
      await once(restarted.child, 'exit');
    }
  });
});

describe('pontual serve stops gracefully on SIGTERM', () => {
  const folder = join(dir, 'graceful');
  const email = 'sup@acme.com';
  const password = 'a long password';

  /** A supervisor signed in on a server of its own, and a request sent but for its last bytes. */
  async function serverWithRequestInFlight() {
    const first = !existsSync(folder);
    const server = await startServer(folder);
    if (first) {
      expect((await run(['admin', 'create-tenant', 'Acme', '--data', folder])).code).toBe(0);
      const user = ['--tenant', 'Acme', '--email', email, '--role', 'supervisor', '--data', folder];
      expect((await run(['admin', 'create-user', ...user], `${password}\n`)).code).toBe(0);
    }
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const { token } = (await login.json()) as { token: string };
    const stream = await openEventStream(server.url, token);

    const id = `in-flight-${Math.random().toString(36).slice(2)}`;
    const body = JSON.stringify({
      events: [{ id, type: 'logout', at: '2026-03-10T18:41:00Z', agentId: 'ana', agentName: 'Ana' }],
    });
    const importing = request(`${server.url}/api/v1/events/import`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      importing.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      importing.on('error', reject);
    });
    importing.write(body.slice(0, 20));
    // The server has the request once it logged it: from then on it is in flight.
    await expect.poll(() => server.log(), { timeout: 30_000 }).toContain('"url":"/api/v1/events/import"');
    return { server, stream, id, answer, finish: () => importing.end(body.slice(20)) };
  }

  // Starting a server on a fresh embedded database takes a minute on a busy machine.
  it('ends the event streams, stops accepting, answers the request in flight, and exits with 0', {
    timeout: 180_000,
  }, async () => {
    const { server, stream, id, answer, finish } = await serverWithRequestInFlight();
    server.child.kill('SIGTERM');
    await stream.untilEnded();
    await expect
      .poll(
        () =>
          fetch(`${server.url}/healthz`).then(
            () => 'answered',
            () => 'refused',
          ),
        { timeout: 30_000 },
      )
      .toBe('refused');
    finish();
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ accepted: [id], rejected: [] });
    expect(await server.exited).toBe(0);
    expect(server.log()).not.toContain('exiting anyway');
    expect(existsSync(join(folder, 'holder.json'))).toBe(false);
  });

  it(
    'exits after 10 s anyway with code 1, naming what was still open',
    async () => {
      const { server, answer } = await serverWithRequestInFlight();
      const refused = answer.catch((error: Error) => error.message);
      server.child.kill('SIGTERM');
      // The request's last bytes never come: the deadline is what ends the process.
      expect(await server.exited).toBe(1);
      expect(await refused).toMatch(/socket hang up|ECONNRESET/);
      const deadline = server
        .log()
        .split('\n')
        .find((line) => line.includes('exiting anyway'));
      expect(JSON.parse(deadline ?? '{}')).toMatchObject({
        msg: `still stopping after ${STOP_DEADLINE_MS / 1000} s: exiting anyway`,
        open: ['POST /api/v1/events/import'],
      });
    },
    STOP_DEADLINE_MS + 180_000,
  );
});
