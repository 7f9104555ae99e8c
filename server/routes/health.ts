import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';

/** `GET /healthz`: the process is up and its database answers. */
export function healthRoutes(app: FastifyInstance, db: Database): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await db.query('select 1');
      return { ok: true, database: db.kind };
    } catch {
      return reply.code(503).send({ ok: false, database: db.kind });
    }
  });
}
