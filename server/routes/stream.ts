import type { ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';
import type { Notifier } from '../notifier.ts';

const KEEPALIVE_MS = 25_000;

/**
 * `GET /api/v1/stream`: server-sent events for supervisors — `events` when data arrived,
 * `report-jobs` when the shared history changed, `resync` when announcements may have been
 * missed (the server's database connection came back): the client then syncs everything. A
 * comment every 25 s keeps proxies from closing it.
 */
export function streamRoutes(root: FastifyInstance, db: Database, notifier: Notifier): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const open = new Set<ServerResponse>();
  // A stream never ends by itself, and the server's close waits for every response: a stopping
  // server ends them first (its clients reconnect, to another instance or to this one restarted).
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  app.get('/api/v1/stream', { preHandler: requireRole(db, 'admin', 'supervisor') }, (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A HEAD has no body to stream: its headers are the whole answer (Node would hold them back
    // until a body that never comes, and the caller would wait forever).
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    response.write(': connected\n\n');
    open.add(response);
    const unsubscribe = notifier.subscribe(request.principal!.tenantId, (change) => {
      response.write(`event: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
    });
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    request.raw.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
      open.delete(response);
    });
  });
}
