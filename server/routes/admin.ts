import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cameThroughDataFolder } from '../db/data-folder.ts';
import type { Database } from '../db/database.ts';
import { createTenant, createUser, findTenant, type Role } from '../tenants.ts';

const tenantBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const userBody = Type.Object(
  {
    tenant: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    password: Type.String({ minLength: 8, maxLength: 1000 }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('supervisor')]),
  },
  { additionalProperties: false },
);

/** What the server holding the embedded database does for `pontual admin` besides SQL. */
export interface LocalAdmin {
  /** A consistent copy of the whole database, taken while the server runs. */
  backup(): Promise<Blob>;
}

/**
 * The `pontual admin` commands, reaching a server that holds the embedded database: only through
 * the socket in its data folder, which only the folder's owner can reach; never over the network.
 */
export function adminRoutes(app: FastifyInstance, db: Database, local: LocalAdmin): void {
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
    { schema: { body: tenantBody }, preHandler: localAdmin },
    async (request, reply) => {
      const { name } = request.body as { name: string };
      if (await findTenant(db, name))
        return reply.code(409).send({ error: `a tenant named "${name}" exists already` });
      return createTenant(db, name);
    },
  );

  app.post(
    '/api/v1/admin/users',
    { schema: { body: userBody }, preHandler: localAdmin },
    async (request, reply) => {
      const body = request.body as { tenant: string; email: string; password: string; role: Role };
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
