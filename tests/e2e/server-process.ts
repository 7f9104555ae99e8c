import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/pontual.mjs');
const START_TIMEOUT_MS = 60_000;

/**
 * `pontual serve` as its own process, the way an office runs it: on a loopback port, with the
 * embedded database in a temporary data folder. It can be paused, killed (SIGKILL, as a crash or
 * a power cut of the process) and started again on the same port and folder.
 */
export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The running server's pid (changes on restart). */
  readonly pid: number;
  /** Sends a signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP: connections are still accepted by the kernel, and nothing answers them. */
  pause(): void;
  resume(): void;
  /** Starts the server again on the same port and data folder (after `kill`). */
  restart(): Promise<void>;
  /** `pontual admin …` on this server's data folder (it goes through the running server). */
  admin(args: string[], stdin?: string): Promise<string>;
  /** Calls the HTTP API. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  /** What the server wrote to stdout and stderr (all its runs). */
  log(): string;
  /** Stops the server (SIGTERM) and removes the data folder. */
  close(): Promise<void>;
}

/** The child's environment without anything that would point it elsewhere (PostgreSQL, a port). */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'PORT', 'HOST', 'PONTUAL_DATA']) delete env[key];
  return env;
}

function readHolder(dataDir: string): { pid: number; port: number } | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'holder.json'), 'utf8')) as { pid: number; port: number };
  } catch {
    return undefined;
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** With `dataDir`, on that folder (removed by `close` too); else on a new temporary one. */
export async function startServerProcess(
  options: { port?: number; dataDir?: string } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pontual-data-'));
  let output = '';
  let child: ChildProcess | undefined;
  let port = options.port ?? 0;

  /** Spawns `serve` and waits until it announced its port in the holder file. */
  const launch = async () => {
    const started = spawn(
      process.execPath,
      [BIN, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data', dataDir],
      { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    started.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const holder = readHolder(dataDir);
      if (holder && holder.pid === started.pid && holder.port > 0) {
        port = holder.port;
        return;
      }
      if (started.exitCode !== null || started.signalCode !== null)
        throw new Error(`pontual serve exited (${started.exitCode ?? started.signalCode}):\n${output}`);
      if (Date.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`pontual serve did not start in ${START_TIMEOUT_MS} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  await launch();
  const url = () => `http://127.0.0.1:${port}`;

  const server: ServerProcess = {
    get url() {
      return url();
    },
    get port() {
      return port;
    },
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    async kill(signal = 'SIGKILL') {
      if (!child) return;
      const running = child;
      running.kill(signal);
      // Waited for (and reaped): a dead but unreaped process still looks alive to the next start.
      await exited(running);
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async restart() {
      if (child && child.exitCode === null && child.signalCode === null)
        throw new Error('the server is still running: kill it first');
      await launch();
    },
    admin(args, stdin) {
      return new Promise((resolve, reject) => {
        const command = spawn(process.execPath, [BIN, 'admin', ...args, '--data', dataDir], {
          env: childEnv(),
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        command.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        command.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        command.on('error', reject);
        command.on('exit', (code) => {
          if (code === 0) resolve(stdout);
          else reject(new Error(`pontual admin ${args.join(' ')} failed (${code}): ${stderr}`));
        });
        command.stdin.end(stdin ?? '');
      });
    },
    async call(method, path, callOptions = {}) {
      const response = await fetch(`${url()}${path}`, {
        method,
        headers: {
          ...(callOptions.token ? { authorization: `Bearer ${callOptions.token}` } : {}),
          ...(callOptions.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: callOptions.body === undefined ? undefined : JSON.stringify(callOptions.body),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? ({} as never) : JSON.parse(text) };
    },
    log: () => output,
    async close() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT'); // a paused server cannot stop
        const running = child;
        const forced = setTimeout(() => running.kill('SIGKILL'), 10_000);
        running.kill('SIGTERM');
        await exited(running);
        clearTimeout(forced);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * A tenant and a supervisor made with the admin CLI (the password on standard input), and the
 * supervisor signed in through the API.
 */
export async function tenantWithSupervisor(
  server: ServerProcess,
  tenant = 'Acme Contact Center',
): Promise<{ email: string; password: string; token: string }> {
  const email = 'supervisor@example.com';
  const password = 'correct horse battery';
  await server.admin(['create-tenant', tenant]);
  await server.admin(
    ['create-user', '--tenant', tenant, '--email', email, '--role', 'supervisor'],
    `${password}\n`,
  );
  const login = await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
    body: { email, password },
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { email, password, token: login.body.token };
}

/** Whether a request sits unread in one of the server's connections (Linux: /proc/net/tcp). */
export function requestPending(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address rem_address st tx_queue:rx_queue
      if (fields.length < 5 || !fields[1]!.endsWith(`:${hexPort}`) || fields[3] !== '01') continue;
      const rxQueue = Number.parseInt(fields[4]!.split(':')[1]!, 16);
      if (rxQueue > 0) return true;
    }
  }
  return false;
}
