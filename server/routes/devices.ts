import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import type { Device, DeviceAnswer, DevicesAnswer } from '../../shared/api/devices.ts';
import { requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';

interface DeviceRow {
  id: string;
  name: string;
  agent_ids: string[] | null;
  created_at: Date | string;
  revoked_at: Date | string | null;
}

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    name: row.name,
    agentIds: row.agent_ids,
    enrolledAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  };
}

/** The tenant's enrolled devices: supervisors see them, admins revoke them. */
export function deviceRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/devices', { preHandler: requireRole(db, 'admin', 'supervisor') }, async (request) => {
    const rows = await db.query<DeviceRow>(
      `select id, name, agent_ids, created_at, revoked_at from devices
        where tenant_id = $1 order by created_at desc, id desc`,
      [request.principal!.tenantId],
    );
    return { devices: rows.map(toDevice) } satisfies DevicesAnswer;
  });

  app.post(
    '/api/v1/devices/:id/revoke',
    { preHandler: requireRole(db, 'admin'), schema: { params: IdParams } },
    async (request, reply) => {
      const { tenantId } = request.principal!;
      const { id } = request.params;
      const device = await db.transaction(async (tx) => {
        // Revoking twice keeps the first time.
        const [row] = await tx.query<DeviceRow>(
          `update devices set revoked_at = coalesce(revoked_at, now()) where tenant_id = $1 and id = $2
           returning id, name, agent_ids, created_at, revoked_at`,
          [tenantId, id],
        );
        if (!row) return undefined;
        // The guard refuses a revoked device's tokens already; revoking them too keeps that so.
        await tx.query('update tokens set revoked_at = now() where device_id = $1 and revoked_at is null', [
          id,
        ]);
        return toDevice(row);
      });
      return device ? ({ device } satisfies DeviceAnswer) : reply.code(404).send({ error: 'no such device' });
    },
  );
}
