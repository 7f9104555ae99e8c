import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import { requireRole } from '../auth/guard.ts';
import { hashToken, newEnrollmentCode, newToken, normaliseCode } from '../auth/tokens.ts';
import type { Database } from '../db/database.ts';

const DEFAULT_TTL_MINUTES = 60;
const MAX_TTL_MINUTES = 7 * 24 * 60;

const codeBody = Type.Object(
  {
    agentIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 })),
    ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TTL_MINUTES })),
  },
  { additionalProperties: false },
);
const enrollBody = Type.Object(
  {
    code: Type.String({ minLength: 4, maxLength: 40 }),
    deviceName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

/** Devices join a tenant with a short-lived, single-use code a supervisor created. */
export function enrollmentRoutes(app: FastifyInstance, db: Database, enrollPerMinute: number): void {
  app.post(
    '/api/v1/enrollment-codes',
    { schema: { body: codeBody }, preHandler: requireRole(db, 'admin', 'supervisor') },
    async (request) => {
      const { agentIds, ttlMinutes = DEFAULT_TTL_MINUTES } = request.body as {
        agentIds?: string[];
        ttlMinutes?: number;
      };
      const principal = request.principal!;
      const code = newEnrollmentCode();
      const [row] = await db.query<{ expires_at: Date }>(
        `insert into enrollment_codes (code_hash, tenant_id, created_by, agent_ids, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(mins => $5)) returning expires_at`,
        [hashToken(normaliseCode(code)), principal.tenantId, principal.userId, agentIds ?? null, ttlMinutes],
      );
      return { code, expiresAt: new Date(row!.expires_at).toISOString() };
    },
  );

  app.post(
    '/api/v1/devices/enroll',
    { schema: { body: enrollBody }, config: { rateLimit: { max: enrollPerMinute, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { code, deviceName } = request.body as { code: string; deviceName: string };
      const deviceId = uuidv7();
      const token = newToken();
      const enrolled = await db.transaction(async (tx) => {
        // Taking the code and marking it used in one statement: two devices cannot both use it.
        const [claimed] = await tx.query<{ tenant_id: string; agent_ids: string[] | null }>(
          `update enrollment_codes set used_at = now()
            where code_hash = $1 and used_at is null and expires_at > now()
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
      return { deviceId, token };
    },
  );
}
