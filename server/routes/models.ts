import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import { type ModelAnswer, ModelBody, type ModelsAnswer, type SharedModel } from '../../shared/api/models.ts';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import { findReport } from '../../shared/reports/registry.ts';
import { isValidTimeZone } from '../../shared/time/zone.ts';
import { type Principal, requireRole } from '../auth/guard.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Notifier } from '../notifier.ts';

interface ModelRow {
  id: string;
  report_id: string;
  name: string;
  filters: SharedModel['filters'] | string;
  relative_days: number | null;
  created_by: string;
  created_by_email: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const SELECT = `
  select m.id, m.report_id, m.name, m.filters, m.relative_days, m.created_by,
         case when u.disabled_at is null then u.email end as created_by_email, m.created_at, m.updated_at
    from report_models m left join users u on u.id = m.created_by`;

function toModel(row: ModelRow): SharedModel {
  return {
    id: row.id,
    reportId: row.report_id,
    name: row.name,
    // PGlite and pg both parse jsonb; a driver that hands back text is read the same.
    filters: typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters,
    ...(row.relative_days === null ? {} : { relativeDays: row.relative_days }),
    createdBy: { id: row.created_by, email: row.created_by_email ?? '' },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

async function findModel(db: Queryable, tenantId: string, id: string): Promise<ModelRow | undefined> {
  const [row] = await db.query<ModelRow>(`${SELECT} where m.tenant_id = $1 and m.id = $2`, [tenantId, id]);
  return row;
}

/** What is wrong with a model's body beyond its shape, said by field; `undefined` when nothing. */
function problemOf(body: ModelBody): string | undefined {
  if (!findReport(body.reportId)) return `body.reportId: there is no report "${body.reportId}"`;
  if (body.name.trim() === '') return 'body.name: must not be blank';
  if (!isValidTimeZone(body.filters.timeZone))
    return `body.filters.timeZone: unknown time zone "${body.filters.timeZone}" (use an IANA name such as America/Sao_Paulo)`;
  return undefined;
}

const notFound = (reply: FastifyReply) => reply.code(404).send({ error: 'no such model' });
const nameTaken = (reply: FastifyReply, body: ModelBody) =>
  reply.code(409).send({
    error: `body.name: the team already has a model named "${body.name.trim()}" for this report; pick another name`,
  });
const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

/** Whether the caller may change or delete a model: the person who shared it, or an admin. */
const mayChange = (principal: Principal, row: ModelRow) =>
  principal.role === 'admin' || row.created_by === principal.userId;

/**
 * Shared models (issue 13): saved searches a supervisor shares with the team, listed for every
 * admin and supervisor of the tenant, changed or deleted by the person who shared them or an
 * admin. Each change is announced on the event stream (`models`), so teammates' apps refetch.
 */
export function modelRoutes(root: FastifyInstance, db: Database, notifier: Notifier): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const people = { preHandler: requireRole(db, 'admin', 'supervisor') };
  const announce = (tenantId: string) => notifier.notify(tenantId, { kind: 'models' });

  app.get('/api/v1/models', people, async (request) => {
    const rows = await db.query<ModelRow>(
      `${SELECT} where m.tenant_id = $1 order by m.report_id, m.name, m.id`,
      [request.principal!.tenantId],
    );
    return { models: rows.map(toModel) } satisfies ModelsAnswer;
  });

  app.post('/api/v1/models', { ...people, schema: { body: ModelBody } }, async (request, reply) => {
    const principal = request.principal!;
    const body = request.body;
    const problem = problemOf(body);
    if (problem) return reply.code(400).send({ error: problem });
    const id = uuidv7();
    try {
      await db.query(
        `insert into report_models (id, tenant_id, report_id, name, filters, relative_days, created_by)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
        [
          id,
          principal.tenantId,
          body.reportId,
          body.name.trim(),
          JSON.stringify(body.filters),
          body.relativeDays ?? null,
          principal.userId,
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) return nameTaken(reply, body);
      throw error;
    }
    announce(principal.tenantId);
    return reply
      .code(201)
      .send({ model: toModel((await findModel(db, principal.tenantId, id))!) } satisfies ModelAnswer);
  });

  app.put(
    '/api/v1/models/:id',
    { ...people, schema: { params: IdParams, body: ModelBody } },
    async (request, reply) => {
      const principal = request.principal!;
      const { body } = request;
      const row = await findModel(db, principal.tenantId, request.params.id);
      if (!row) return notFound(reply);
      if (!mayChange(principal, row))
        return reply
          .code(403)
          .send({ error: 'only the person who shared this model, or an admin, may change it' });
      const problem = problemOf(body);
      if (problem) return reply.code(400).send({ error: problem });
      try {
        await db.query(
          `update report_models set report_id = $3, name = $4, filters = $5::jsonb, relative_days = $6,
                  updated_at = now()
            where tenant_id = $1 and id = $2`,
          [
            principal.tenantId,
            row.id,
            body.reportId,
            body.name.trim(),
            JSON.stringify(body.filters),
            body.relativeDays ?? null,
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error)) return nameTaken(reply, body);
        throw error;
      }
      announce(principal.tenantId);
      return { model: toModel((await findModel(db, principal.tenantId, row.id))!) } satisfies ModelAnswer;
    },
  );

  app.delete('/api/v1/models/:id', { ...people, schema: { params: IdParams } }, async (request, reply) => {
    const principal = request.principal!;
    const row = await findModel(db, principal.tenantId, request.params.id);
    if (!row) return notFound(reply);
    if (!mayChange(principal, row))
      return reply
        .code(403)
        .send({ error: 'only the person who shared this model, or an admin, may delete it' });
    await db.query('delete from report_models where tenant_id = $1 and id = $2', [
      principal.tenantId,
      row.id,
    ]);
    announce(principal.tenantId);
    return { model: toModel(row) } satisfies ModelAnswer;
  });
}
