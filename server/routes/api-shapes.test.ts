import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type Job, jobFilters } from '../../shared/api/report-jobs.ts';
import type { ReportFilters } from '../../shared/reports/filters.ts';
import type { Database } from '../db/database.ts';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests, type TestServer, tenantWithDevice } from '../testing/http.ts';

/**
 * The API's shapes are declared once, in `shared/api/`, for the server, the extension and the PWA
 * (docs/server.md, "Shapes"). A route that declares its own copy of a schema (which would drift
 * from the one the clients read) fails here: each request schema must be, by identity, one
 * `shared/api` exports.
 */
const API_DIR = join(import.meta.dirname, '../../shared/api');
const PARTS = ['body', 'querystring', 'params'] as const;

async function sharedSchemas(): Promise<Map<object, string>> {
  const schemas = new Map<object, string>();
  for (const file of readdirSync(API_DIR).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
  )) {
    const module = (await import(join(API_DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (typeof value === 'object' && value !== null) schemas.set(value, `shared/api/${file}: ${name}`);
  }
  return schemas;
}

const pglite = DATABASES.find((database) => database.kind === 'pglite')!;

describe('the routes and shared/api', () => {
  const routes: RouteOptions[] = [];
  let db: Database;
  let server: TestServer;
  serveForTests(
    pglite.open,
    (opened, started) => {
      db = opened;
      server = started;
    },
    undefined,
    {
      localAdmin: { backup: async () => new Blob([]) },
      onRoute: (route) => routes.push(route),
    },
  );

  it('checks every request with a schema shared/api exports, never a copy', async () => {
    const shared = await sharedSchemas();
    const copies: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      for (const part of PARTS) {
        if (schema[part] === undefined) continue;
        checked++;
        if (!shared.has(schema[part] as object)) copies.push(`${String(route.method)} ${route.url} ${part}`);
      }
      // A URL with parameters reads them through a schema: else they reach the handler unchecked.
      if (route.url.includes(':') && schema.params === undefined)
        copies.push(`${String(route.method)} ${route.url} params (none declared)`);
    }
    expect(copies).toEqual([]);
    // The routes were seen (a hook that saw none would pass the check above by itself).
    expect(checked).toBeGreaterThan(20);
  });

  it('uses every request schema shared/api exports (no stale copy left there either)', async () => {
    const used = new Set(
      routes.flatMap((route) =>
        PARTS.map((part) => (route.schema as Record<string, unknown> | undefined)?.[part]),
      ),
    );
    const unused = [...(await sharedSchemas())]
      .filter(([value]) => isRequestSchema(value) && !used.has(value))
      .map(([, name]) => name);
    expect(unused).toEqual([]);
  });

  it("names a file uploaded without a name from the period of the app's filters", async () => {
    // The app's form says `fromDate`/`toDate` (both days included); the server reads `from`/`to`.
    const form: ReportFilters = {
      fromDate: '2026-03-01',
      toDate: '2026-03-31',
      timeZone: 'America/Sao_Paulo',
      locale: 'en',
      splitDays: false,
      agentIds: [],
      hiddenColumns: [],
      formats: ['csv'],
    };
    const { userToken } = await tenantWithDevice(db, server);
    const created = await server.call<Job>('POST', '/api/v1/report-jobs', {
      token: userToken,
      body: { reportId: 'activity', filters: jobFilters(form), status: 'PROCESSING' },
    });
    expect(created.status).toBe(201);
    expect(created.body.filters).toMatchObject({
      fromDate: '2026-03-01',
      from: '2026-03-01',
      to: '2026-04-01',
    });
    const upload = await fetch(`${server.url}/api/v1/report-jobs/${created.body.id}/file?format=csv`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${userToken}`, 'content-type': 'text/csv' },
      body: 'a,b\n1,2\n',
    });
    expect(upload.status).toBe(200);
    expect(((await upload.json()) as Job).files).toEqual([
      { format: 'csv', fileName: 'activity_2026-03-01_2026-03-31.csv', size: 8 },
    ]);
  });
});

/** A TypeBox object schema (as opposed to a constant list such as `FILE_FORMATS`). */
function isRequestSchema(value: object): boolean {
  return !Array.isArray(value) && (value as { type?: unknown }).type === 'object';
}
