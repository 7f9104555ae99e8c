import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';

/** An enrolled device as the API shows it. */
export interface Device {
  id: string;
  name: string;
  /** The only agents it may push events of; `null` for any agent. */
  agentIds: string[] | null;
  enrolledAt: string;
  /** When an admin revoked it; `null` while its token works. */
  revokedAt: string | null;
}

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

const idParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The tenant's enrolled devices: supervisors see them, admins revoke them. */
export function deviceRoutes(app: FastifyInstance, db: Database): void {
  app.get('/api/v1/devices', { preHandler: requireRole(db, 'admin', 'supervisor') }, async (request) => {
    const rows = await db.query<DeviceRow>(
      `select id, name, agent_ids, created_at, revoked_at from devices
        where tenant_id = $1 order by created_at desc, id desc`,
      [request.principal!.tenantId],
    );
    return { devices: rows.map(toDevice) };
  });

  app.post(
    '/api/v1/devices/:id/revoke',
    { preHandler: requireRole(db, 'admin'), schema: { params: idParams } },
    async (request, reply) => {
      const { tenantId } = request.principal!;
      const { id } = request.params as { id: string };
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
      return device ? { device } : reply.code(404).send({ error: 'no such device' });
    },
  );
}
