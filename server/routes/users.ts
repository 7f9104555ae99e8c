import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import { type Role, type User, type UserAnswer, UserBody, type UsersAnswer } from '../../shared/api/users.ts';
import type { AccountRecords } from '../account-records.ts';
import { requireRole } from '../auth/guard.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Database, Queryable } from '../db/database.ts';
import { createUser } from '../tenants.ts';

interface UserRow {
  id: string;
  email: string;
  role: Role;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

const USER_SELECT = 'select id, email, role, created_at, disabled_at from users';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at).toISOString(),
  };
}

async function findUser(db: Queryable, tenantId: string, id: string): Promise<User | undefined> {
  const [row] = await db.query<UserRow>(`${USER_SELECT} where tenant_id = $1 and id = $2`, [tenantId, id]);
  return row && toUser(row);
}

const notFound = (reply: FastifyReply) => reply.code(404).send({ error: 'no such user' });
/**
 * An email signs in to one account (sign-in is by email and password alone), so an email already
 * used anywhere cannot be added. The answer is the same whether it is used in this tenant, used
 * or removed in another, or was added a moment ago: it never says where, nor that an account
 * exists — only that this address cannot be added, which is all a refusal can avoid saying.
 */
const refusedEmail = (reply: FastifyReply, email: string) =>
  reply.code(409).send({ error: `the email ${email} cannot be added: use another address` });

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

/**
 * The people of a tenant, managed by its admins: list, add, and remove access. A removed person
 * is kept (their name stays on what they did) but cannot sign in, and their tokens stop at once.
 */
export function userRoutes(root: FastifyInstance, db: Database, accounts: AccountRecords): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const admins = { preHandler: requireRole(db, 'admin') };

  app.get('/api/v1/users', admins, async (request) => {
    const rows = await db.query<UserRow>(`${USER_SELECT} where tenant_id = $1 order by created_at, id`, [
      request.principal!.tenantId,
    ]);
    return { users: rows.map(toUser) } satisfies UsersAnswer;
  });

  app.post('/api/v1/users', { ...admins, schema: { body: UserBody } }, async (request, reply) => {
    const { tenantId } = request.principal!;
    const { body } = request;
    const email = body.email.trim().toLowerCase();
    const [existing] = await db.query<{ id: string; tenant_id: string; disabled_at: Date | null }>(
      'select id, tenant_id, disabled_at from users where email = $1',
      [email],
    );
    if (existing) {
      // Adding back someone whose access was removed restores them, with the new password and role.
      if (existing.tenant_id !== tenantId || existing.disabled_at === null) return refusedEmail(reply, email);
      const [restored] = await db.query<UserRow>(
        `update users set password_hash = $3, role = $4, disabled_at = null
          where tenant_id = $1 and id = $2 and disabled_at is not null
          returning id, email, role, created_at, disabled_at`,
        [tenantId, existing.id, await hashPassword(body.password), body.role],
      );
      if (!restored) return refusedEmail(reply, email);
      await accounts.user(tenantId, restored.id, 'changed');
      return reply.code(201).send({ user: toUser(restored) } satisfies UserAnswer);
    }
    try {
      const created = await createUser(db, { tenantId, email, password: body.password, role: body.role });
      await accounts.user(tenantId, created.id, 'created');
      return reply.code(201).send({ user: (await findUser(db, tenantId, created.id))! } satisfies UserAnswer);
    } catch (error) {
      // Added at the same moment by someone else.
      if (isUniqueViolation(error)) return refusedEmail(reply, email);
      throw error;
    }
  });

  app.delete('/api/v1/users/:id', { ...admins, schema: { params: IdParams } }, async (request, reply) => {
    const principal = request.principal!;
    const { id } = request.params;
    if (id === principal.userId) {
      return reply
        .code(409)
        .send({ error: 'you cannot remove your own access; another admin of this account can' });
    }
    // Whether this call removed them (a second removal records nothing new).
    let removedNow = false;
    const result = await db.transaction(async (tx) => {
      // Removals in a tenant go one at a time behind its admins' rows: two admins removing each
      // other at once cannot leave the tenant without one.
      const active = await tx.query<{ id: string }>(
        `select id from users where tenant_id = $1 and role = 'admin' and disabled_at is null
          order by id for update`,
        [principal.tenantId],
      );
      if (!active.some((admin) => admin.id === principal.userId)) return 'caller-removed' as const;
      const [target] = await tx.query<UserRow>(`${USER_SELECT} where tenant_id = $1 and id = $2 for update`, [
        principal.tenantId,
        id,
      ]);
      if (!target) return undefined;
      if (target.disabled_at !== null) return toUser(target);
      const [row] = await tx.query<UserRow>(
        `update users set disabled_at = now() where tenant_id = $1 and id = $2
          returning id, email, role, created_at, disabled_at`,
        [principal.tenantId, id],
      );
      await tx.query('update tokens set revoked_at = now() where user_id = $1 and revoked_at is null', [id]);
      // Codes they made go with them: they could otherwise still enroll a device. One nobody used
      // is deleted; one that enrolled some devices already is closed, keeping its count.
      await tx.query('delete from enrollment_codes where created_by = $1 and uses = 0', [id]);
      await tx.query(
        'update enrollment_codes set max_uses = uses, used_at = now() where created_by = $1 and used_at is null',
        [id],
      );
      removedNow = true;
      return toUser(row!);
    });
    if (removedNow) await accounts.user(principal.tenantId, id, 'removed');
    if (result === 'caller-removed') {
      return reply.code(401).send({ error: 'sign in first: a valid bearer token is required' });
    }
    return result ? ({ user: result } satisfies UserAnswer) : notFound(reply);
  });
}
