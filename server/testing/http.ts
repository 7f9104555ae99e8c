import { afterAll, beforeAll } from 'vitest';
import { type AppOptions, buildApp, type RateLimits } from '../app.ts';
import type { Database } from '../db/database.ts';
import { createTenant, createUser, type Role } from '../tenants.ts';

export interface TestServer {
  url: string;
  close(): Promise<void>;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string },
  ): Promise<{ status: number; body: T; headers: Headers }>;
}

/** The real server on a loopback port. */
export async function startTestServer(
  db: Database,
  rateLimits?: Partial<RateLimits>,
  options: Omit<AppOptions, 'db' | 'rateLimits'> = {},
): Promise<TestServer> {
  // Tests sign in and enroll far more often than people do; the limits have their own test.
  const app = await buildApp({
    db,
    logger: false,
    ...options,
    rateLimits: { login: 1000, enroll: 1000, ...rateLimits },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    close: () => app.close(),
    async call(method, path, options = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined || options.rawBody !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
        },
        body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? ({} as never) : JSON.parse(text),
        headers: response.headers,
      };
    },
  };
}

/**
 * Opens a database and starts the real server on it before the tests of the enclosing block, and
 * closes both after them; `ready` hands them to the block's variables.
 */
export function serveForTests(
  open: () => Promise<Database>,
  ready: (db: Database, server: TestServer) => void,
  rateLimits?: Partial<RateLimits>,
  options?: Omit<AppOptions, 'db' | 'rateLimits'>,
): void {
  let db: Database | undefined;
  let server: TestServer | undefined;
  beforeAll(async () => {
    db = await open();
    server = await startTestServer(db, rateLimits, options);
    ready(db, server);
  }, 60_000); // opening a database is slow on a busy machine
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });
}

/** A tenant with a supervisor signed in and a device enrolled (optionally for some agents). */
export async function tenantWithDevice(
  db: Database,
  server: TestServer,
  options: { agentIds?: string[]; role?: Role } = {},
): Promise<{ tenantId: string; userToken: string; deviceToken: string; deviceId: string; email: string }> {
  const suffix = Math.random().toString(36).slice(2, 10);
  const tenant = await createTenant(db, `tenant-${suffix}`);
  const email = `sup-${suffix}@example.com`;
  await createUser(db, {
    tenantId: tenant.id,
    email,
    password: 'correct horse',
    role: options.role ?? 'supervisor',
  });
  const login = await server.call<{ token: string }>('POST', '/api/v1/auth/login', {
    body: { email, password: 'correct horse' },
  });
  const code = await server.call<{ code: string }>('POST', '/api/v1/enrollment-codes', {
    token: login.body.token,
    body: options.agentIds ? { agentIds: options.agentIds } : {},
  });
  const device = await server.call<{ deviceId: string; token: string }>('POST', '/api/v1/devices/enroll', {
    body: { code: code.body.code, deviceName: 'Agent PC 1' },
  });
  return {
    tenantId: tenant.id,
    userToken: login.body.token,
    deviceToken: device.body.token,
    deviceId: device.body.deviceId,
    email,
  };
}
