import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import {
  CodeBatchBody,
  CodeBody,
  type CodesAnswer,
  DEFAULT_CODE_TTL_MINUTES,
  type EnrollAnswer,
  EnrollBody,
  type EnrollmentCode,
  type NewCodeAnswer,
  type NewCodesAnswer,
} from '../../shared/api/enrollment.ts';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import { requireRole } from '../auth/guard.ts';
import { hashToken, newEnrollmentCode, newToken, normaliseCode } from '../auth/tokens.ts';
import type { Database, Queryable } from '../db/database.ts';

interface CodeRow {
  id: string;
  agent_ids: string[] | null;
  created_at: Date | string;
  expires_at: Date | string;
  used_at: Date | string | null;
  device_id: string | null;
  created_by: string;
  created_by_email: string | null;
  max_uses: number;
  uses: number;
}

const CODE_SELECT = `
  select c.id, c.agent_ids, c.created_at, c.expires_at, c.used_at, c.device_id, c.created_by,
         u.email as created_by_email, c.max_uses, c.uses
    from enrollment_codes c left join users u on u.id = c.created_by`;

const iso = (value: Date | string) => new Date(value).toISOString();

function toCode(row: CodeRow): EnrollmentCode {
  return {
    id: row.id,
    agentIds: row.agent_ids,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    usedAt: row.used_at === null ? null : iso(row.used_at),
    deviceId: row.device_id,
    createdBy: { id: row.created_by, email: row.created_by_email ?? '' },
    maxUses: row.max_uses,
    uses: row.uses,
  };
}

/** A new code, stored only as a hash: the answer is the one time anybody sees it. */
async function insertCode(
  db: Queryable,
  principal: { tenantId: string; userId?: string },
  fields: { agentIds?: string[]; ttlMinutes?: number; maxUses?: number },
): Promise<NewCodeAnswer> {
  const code = newEnrollmentCode();
  const id = uuidv7();
  const maxUses = fields.maxUses ?? 1;
  const [row] = await db.query<{ expires_at: Date }>(
    `insert into enrollment_codes (id, code_hash, tenant_id, created_by, agent_ids, expires_at, max_uses)
     values ($1, $2, $3, $4, $5, now() + make_interval(mins => $6), $7) returning expires_at`,
    [
      id,
      hashToken(normaliseCode(code)),
      principal.tenantId,
      principal.userId,
      fields.agentIds ?? null,
      fields.ttlMinutes ?? DEFAULT_CODE_TTL_MINUTES,
      maxUses,
    ],
  );
  return { id, code, expiresAt: new Date(row!.expires_at).toISOString(), maxUses };
}

const codeNotFound = (reply: FastifyReply) => reply.code(404).send({ error: 'no such enrollment code' });
const codeUsed = (reply: FastifyReply) =>
  reply.code(409).send({
    error: 'this enrollment code enrolled all the devices it allows already; revoke those devices instead',
  });

/**
 * Devices join a tenant with a short-lived code a supervisor created, good for one device or for a
 * stated number of them; supervisors list the codes and withdraw the ones that can still enroll.
 */
export function enrollmentRoutes(root: FastifyInstance, db: Database, enrollPerMinute: number): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/v1/enrollment-codes',
    { schema: { body: CodeBody }, preHandler: requireRole(db, 'admin', 'supervisor') },
    async (request) => insertCode(db, request.principal!, request.body),
  );

  // One code per PC, printed as a list with a QR code each: made together, or not at all.
  app.post(
    '/api/v1/enrollment-codes/batch',
    { schema: { body: CodeBatchBody }, preHandler: requireRole(db, 'admin', 'supervisor') },
    async (request) => {
      const { count, ...fields } = request.body;
      const codes = await db.transaction(async (tx) => {
        const made: NewCodeAnswer[] = [];
        for (let n = 0; n < count; n++) made.push(await insertCode(tx, request.principal!, fields));
        return made;
      });
      return { codes } satisfies NewCodesAnswer;
    },
  );

  app.get(
    '/api/v1/enrollment-codes',
    { preHandler: requireRole(db, 'admin', 'supervisor') },
    async (request) => {
      const rows = await db.query<CodeRow>(
        `${CODE_SELECT} where c.tenant_id = $1 order by c.created_at desc, c.id desc`,
        [request.principal!.tenantId],
      );
      return { codes: rows.map(toCode) } satisfies CodesAnswer;
    },
  );

  app.delete(
    '/api/v1/enrollment-codes/:id',
    { preHandler: requireRole(db, 'admin', 'supervisor'), schema: { params: IdParams } },
    async (request, reply) => {
      const principal = request.principal!;
      const { id } = request.params;
      const [row] = await db.query<CodeRow>(`${CODE_SELECT} where c.tenant_id = $1 and c.id = $2`, [
        principal.tenantId,
        id,
      ]);
      if (!row) return codeNotFound(reply);
      if (row.used_at !== null) return codeUsed(reply);
      if (principal.role !== 'admin' && row.created_by !== principal.userId) {
        return reply
          .code(403)
          .send({ error: 'only an admin or the person who created this code may withdraw it' });
      }
      // Only while it can still enroll: a device enrolling at this very moment wins. A code that
      // enrolled some devices already is closed rather than deleted, so the list keeps its count.
      const deleted = await db.query(
        'delete from enrollment_codes where tenant_id = $1 and id = $2 and uses = 0 returning id',
        [principal.tenantId, id],
      );
      if (deleted.length > 0) return reply.code(204).send();
      const closed = await db.query(
        `update enrollment_codes set max_uses = uses, used_at = now()
          where tenant_id = $1 and id = $2 and used_at is null returning id`,
        [principal.tenantId, id],
      );
      if (closed.length === 0) return codeUsed(reply);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/devices/enroll',
    { schema: { body: EnrollBody }, config: { rateLimit: { max: enrollPerMinute, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { code, deviceName } = request.body;
      const deviceId = uuidv7();
      const token = newToken();
      const enrolled = await db.transaction(async (tx) => {
        // Counting the use in one statement that locks the row: devices enrolling together wait
        // for each other, and each sees the count the one before left, so a code good for N
        // devices enrolls N, never N + 1. The last allowed use marks it used.
        const [claimed] = await tx.query<{ tenant_id: string; agent_ids: string[] | null }>(
          `update enrollment_codes
              set uses = uses + 1, used_at = case when uses + 1 >= max_uses then now() end
            where code_hash = $1 and uses < max_uses and expires_at > now()
            returning tenant_id, agent_ids`,
          [hashToken(normaliseCode(code))],
        );
        if (!claimed) return false;
        await tx.query('insert into devices (id, tenant_id, name, agent_ids) values ($1, $2, $3, $4)', [
          deviceId,
          claimed.tenant_id,
          deviceName,
          claimed.agent_ids,
        ]);
        await tx.query('update enrollment_codes set device_id = $1 where code_hash = $2', [
          deviceId,
          hashToken(normaliseCode(code)),
        ]);
        await tx.query('insert into tokens (token_hash, tenant_id, device_id) values ($1, $2, $3)', [
          hashToken(token),
          claimed.tenant_id,
          deviceId,
        ]);
        return true;
      });
      if (!enrolled)
        return reply.code(403).send({ error: 'this enrollment code is unknown, expired or already used' });
      return { deviceId, token } satisfies EnrollAnswer;
    },
  );
}
