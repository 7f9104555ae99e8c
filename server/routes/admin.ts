import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdminUserBody, TenantBody } from '../../shared/api/admin.ts';
import { cameThroughDataFolder } from '../db/data-folder.ts';
import type { Database } from '../db/database.ts';
import { createTenant, createUser, findTenant } from '../tenants.ts';

/** What the server holding the embedded database does for `pontual admin` besides SQL. */
export interface LocalAdmin {
  /** A consistent copy of the whole database, taken while the server runs. */
  backup(): Promise<Blob>;
}

/**
 * The `pontual admin` commands, reaching a server that holds the embedded database: only through
 * the socket in its data folder, which only the folder's owner can reach; never over the network.
 */
export function adminRoutes(root: FastifyInstance, db: Database, local: LocalAdmin): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const localAdmin = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!cameThroughDataFolder(request.raw)) {
      return reply
        .code(403)
        .send({ error: 'administration is only for the pontual command on this machine' });
    }
  };

  app.post('/api/v1/admin/backup', { preHandler: localAdmin }, async (_request, reply) => {
    const backup = await local.backup();
    return reply.type('application/gzip').send(Buffer.from(await backup.arrayBuffer()));
  });

  app.post(
    '/api/v1/admin/tenants',
    { schema: { body: TenantBody }, preHandler: localAdmin },
    async (request, reply) => {
      const { name } = request.body;
      if (await findTenant(db, name))
        return reply.code(409).send({ error: `a tenant named "${name}" exists already` });
      return createTenant(db, name);
    },
  );

  app.post(
    '/api/v1/admin/users',
    { schema: { body: AdminUserBody }, preHandler: localAdmin },
    async (request, reply) => {
      const { body } = request;
      const tenant = await findTenant(db, body.tenant);
      if (!tenant)
        return reply
          .code(404)
          .send({ error: `no tenant "${body.tenant}" (create it with pontual admin create-tenant)` });
      const [existing] = await db.query('select 1 from users where email = $1', [
        body.email.trim().toLowerCase(),
      ]);
      if (existing)
        return reply.code(409).send({ error: `a user with the email ${body.email} exists already` });
      return createUser(db, {
        tenantId: tenant.id,
        email: body.email,
        password: body.password,
        role: body.role,
      });
    },
  );
}
