import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';
import type { Notifier } from '../notifier.ts';

const KEEPALIVE_MS = 25_000;

/**
 * `GET /api/v1/stream`: server-sent events for supervisors — `events` when data arrived,
 * `report-jobs` when the shared history changed. A comment every 25 s keeps proxies from closing it.
 */
export function streamRoutes(app: FastifyInstance, db: Database, notifier: Notifier): void {
  app.get('/api/v1/stream', { preHandler: requireRole(db, 'admin', 'supervisor') }, (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(': connected\n\n');
    const unsubscribe = notifier.subscribe(request.principal!.tenantId, (change) => {
      response.write(`event: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
    });
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    request.raw.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
    });
  });
}
