import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DATABASES } from '../testing/databases.ts';
import { serveForTests } from '../testing/http.ts';

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
  serveForTests(pglite.open, () => {}, undefined, {
    localAdmin: { backup: async () => new Blob([]) },
    onRoute: (route) => routes.push(route),
  });

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
});

/** A TypeBox object schema (as opposed to a constant list such as `FILE_FORMATS`). */
function isRequestSchema(value: object): boolean {
  return !Array.isArray(value) && (value as { type?: unknown }).type === 'object';
}
