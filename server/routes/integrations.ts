import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import {
  type Integration,
  IntegrationBody,
  type IntegrationProvider,
  type IntegrationsAnswer,
  type NewIntegrationAnswer,
} from '../../shared/api/integrations.ts';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import { requireRole } from '../auth/guard.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Database } from '../db/database.ts';

interface IntegrationRow {
  id: string;
  provider: IntegrationProvider;
  name: string;
  created_at: Date | string;
  created_by: string;
  created_by_email: string | null;
}

export const webhookPath = (id: string) => `/api/v1/integrations/${id}/webhook`;

function toIntegration(row: IntegrationRow): Integration {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    webhookPath: row.provider === 'api' ? null : webhookPath(row.id),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: { id: row.created_by, email: row.created_by_email ?? '' },
  };
}

const SELECT = `
  select i.id, i.provider, i.name, i.created_at, i.created_by, u.email as created_by_email
    from integrations i left join users u on u.id = i.created_by`;

/**
 * Admins connect what brings records besides the agents' browsers (DESIGN §12): a WhatsApp
 * Business Cloud API webhook, or the records API for the messaging platform's own data.
 */
export function integrationRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/api/v1/integrations',
    { schema: { body: IntegrationBody }, preHandler: requireRole(db, 'admin') },
    async (request, reply) => {
      const { body } = request;
      // A webhook needs both to be verified; the records API has no use for either.
      const webhook = body.provider === 'whatsapp-cloud';
      for (const field of ['appSecret', 'verifyToken'] as const) {
        if (webhook && body[field] === undefined)
          return reply
            .code(400)
            .send({ error: `body.${field}: is required for a whatsapp-cloud integration` });
        if (!webhook && body[field] !== undefined)
          return reply.code(400).send({ error: `body.${field}: is only for a whatsapp-cloud integration` });
      }
      const principal = request.principal!;
      const id = uuidv7();
      const token = body.provider === 'api' ? newToken() : undefined;
      await db.transaction(async (tx) => {
        await tx.query(
          `insert into integrations (id, tenant_id, provider, name, app_secret, verify_token, created_by)
           values ($1, $2, $3, $4, $5, $6, $7)`,
          [
            id,
            principal.tenantId,
            body.provider,
            body.name,
            body.appSecret ?? null,
            body.verifyToken ?? null,
            principal.userId,
          ],
        );
        if (token)
          await tx.query('insert into tokens (token_hash, tenant_id, integration_id) values ($1, $2, $3)', [
            hashToken(token),
            principal.tenantId,
            id,
          ]);
      });
      const [row] = await db.query<IntegrationRow>(`${SELECT} where i.id = $1`, [id]);
      // The token is shown this once: only its hash is kept.
      return reply.code(201).send({
        integration: toIntegration(row!),
        ...(token ? { token } : {}),
      } satisfies NewIntegrationAnswer);
    },
  );

  app.get('/api/v1/integrations', { preHandler: requireRole(db, 'admin') }, async (request) => {
    const rows = await db.query<IntegrationRow>(
      `${SELECT} where i.tenant_id = $1 and i.deleted_at is null order by i.created_at, i.id`,
      [request.principal!.tenantId],
    );
    return { integrations: rows.map(toIntegration) } satisfies IntegrationsAnswer;
  });

  app.delete(
    '/api/v1/integrations/:id',
    { schema: { params: IdParams }, preHandler: requireRole(db, 'admin') },
    async (request, reply) => {
      const { id } = request.params;
      // Its token and webhook stop at once: both are checked against `deleted_at` on every call.
      const deleted = await db.query(
        `update integrations set deleted_at = now()
          where id = $1 and tenant_id = $2 and deleted_at is null returning id`,
        [id, request.principal!.tenantId],
      );
      if (deleted.length === 0) return reply.code(404).send({ error: 'no such integration' });
      return reply.code(204).send();
    },
  );
}
