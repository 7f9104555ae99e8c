import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { HealthAnswer } from '../../shared/api/health.ts';
import type { Database } from '../db/database.ts';

/**
 * `GET /healthz`: the process is up and its database can read its tables. A bare `select 1`
 * would answer while every pull fails on a table the database cannot read.
 */
export function healthRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/healthz', async (_request, reply) => {
    try {
      await db.query('select (select max(version) from schema_migrations), exists (select from events)');
      return { ok: true, database: db.kind } satisfies HealthAnswer;
    } catch (error) {
      return reply.code(503).send({
        ok: false,
        database: db.kind,
        problem: `the database cannot read its tables: ${(error as Error).message}`,
      } satisfies HealthAnswer);
    }
  });
}
