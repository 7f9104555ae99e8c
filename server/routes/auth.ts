import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type LoginAnswer, LoginBody, type LogoutAnswer, type MeAnswer } from '../../shared/api/auth.ts';
import type { Role } from '../../shared/api/users.ts';
import type { AccountRecords } from '../account-records.ts';
import { requireRole } from '../auth/guard.ts';
import { unknownUserHash, verifyPassword } from '../auth/passwords.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import type { Database } from '../db/database.ts';

const SESSION_HOURS = 12;

/** Sign-in for people (admins, supervisors), who is signed in, and sign-out (token revocation). */
export function authRoutes(
  root: FastifyInstance,
  db: Database,
  perMinute: number,
  accounts: AccountRecords,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // Made now, at start, so that the first unknown email is not slower than the ones after it.
  const noUserHash = unknownUserHash();
  noUserHash.catch(() => {}); // a failure is the sign-in's to report, when it awaits the hash
  app.post(
    '/api/v1/auth/login',
    { schema: { body: LoginBody }, config: { rateLimit: { max: perMinute, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { email, password } = request.body;
      const [user] = await db.query<{
        id: string;
        tenant_id: string;
        email: string;
        role: Role;
        password_hash: string;
      }>(
        'select id, tenant_id, email, role, password_hash from users where email = $1 and disabled_at is null',
        [email.trim().toLowerCase()],
      );
      // An unknown (or removed) email is checked against a real hash: the same scrypt work, the
      // same answer, so the time taken does not tell which emails have accounts.
      const valid = await verifyPassword(password, user?.password_hash ?? (await noUserHash));
      if (!user || !valid) return reply.code(401).send({ error: 'wrong email or password' });
      const token = newToken();
      await db.query(
        `insert into tokens (token_hash, tenant_id, user_id, expires_at) values ($1, $2, $3, now() + interval '${SESSION_HOURS} hours')`,
        [hashToken(token), user.tenant_id, user.id],
      );
      await accounts.user(user.tenant_id, user.id, 'signed_in');
      return {
        token,
        user: { id: user.id, email: user.email, role: user.role, tenantId: user.tenant_id },
      } satisfies LoginAnswer;
    },
  );

  app.get('/api/v1/me', { preHandler: requireRole(db, 'admin', 'supervisor') }, async (request, reply) => {
    const { userId, tenantId } = request.principal!;
    const [row] = await db.query<{
      id: string;
      email: string;
      role: Role;
      tenant_id: string;
      name: string;
    }>(
      `select u.id, u.email, u.role, u.tenant_id, t.name
         from users u join tenants t on t.id = u.tenant_id
        where u.id = $1 and u.tenant_id = $2 and u.disabled_at is null`,
      [userId, tenantId],
    );
    if (!row) return reply.code(401).send({ error: 'sign in first: a valid bearer token is required' });
    return {
      user: { id: row.id, email: row.email, role: row.role, tenantId: row.tenant_id },
      tenant: { id: row.tenant_id, name: row.name },
    } satisfies MeAnswer;
  });

  app.post(
    '/api/v1/auth/logout',
    { preHandler: requireRole(db, 'admin', 'supervisor', 'device') },
    async (request) => {
      await db.query('update tokens set revoked_at = now() where token_hash = $1', [
        request.principal!.tokenHash,
      ]);
      return { ok: true } satisfies LogoutAnswer;
    },
  );
}
