import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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

async function startServer(): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data],
    {
      env: { ...process.env, DATABASE_URL: '' },
    },
  );
  let log = '';
  child.stdout!.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    log += chunk;
  });
  for (let i = 0; i < 200; i++) {
    const holder = existsSync(join(data, 'holder.json'))
      ? (JSON.parse(readFileSync(join(data, 'holder.json'), 'utf8')) as { pid: number; port: number })
      : undefined;
    if (holder && holder.pid === child.pid && holder.port > 0)
      return { child, url: `http://127.0.0.1:${holder.port}`, log: () => log };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not start:\n${log}`);
}

describe('pontual serve and pontual admin (embedded database)', () => {
  it('first run, admin through the running server, one holder only, graceful stop, data kept', async () => {
    const first = await startServer();
    expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ ok: true, database: 'pglite' });
    expect(first.log()).toContain('No users yet');

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
