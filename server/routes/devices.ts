import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import type { Device, DeviceAnswer, DevicesAnswer } from '../../shared/api/devices.ts';
import { requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';

interface DeviceRow {
  id: string;
  name: string;
  agent_name: string | null;
  agent_ids: string[] | null;
  created_at: Date | string;
  revoked_at: Date | string | null;
  last_seen_at: Date | string | null;
  events_waiting: number | null;
  extension_version: string | null;
}

const DEVICE_COLUMNS =
  'id, name, agent_name, agent_ids, created_at, revoked_at, last_seen_at, events_waiting, extension_version';

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    // Every browser enrolls with the same kind of name ("Chrome on Windows"): the agent says which.
    name: row.agent_name || row.name,
    lastSeenAt: row.last_seen_at === null ? null : new Date(row.last_seen_at).toISOString(),
    eventsWaiting: row.events_waiting,
    version: row.extension_version,
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
      `select ${DEVICE_COLUMNS} from devices
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
           returning ${DEVICE_COLUMNS}`,
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

/**
 * A device's report with each push: it is alive, has `waiting` events still to send, runs
 * `version`, and `agentName` (the last agent in the batch, if any) works on it.
 */
export async function recordDeviceReport(
  db: Database,
  deviceId: string,
  report: { waiting?: number; version?: string; agentName?: string },
): Promise<void> {
  await db.query(
    `update devices set last_seen_at = now(),
            events_waiting = coalesce($2, events_waiting),
            extension_version = coalesce($3, extension_version),
            agent_name = coalesce($4, agent_name)
      where id = $1`,
    [deviceId, report.waiting ?? null, report.version ?? null, report.agentName ?? null],
  );
}
