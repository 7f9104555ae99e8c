import type { Role } from '../shared/api/users.ts';
import { uuidv7 } from '../shared/ids/uuidv7.ts';
import { hashPassword } from './auth/passwords.ts';
import type { Database } from './db/database.ts';

// Declared with the API's shapes; here for the server's code that already reads them from here.
export { MIN_PASSWORD_LENGTH, type Role } from '../shared/api/users.ts';

/** Administration shared by the CLI (`pontual admin …`) and the API. */
export async function createTenant(db: Database, name: string): Promise<{ id: string; name: string }> {
  const id = uuidv7();
  await db.query('insert into tenants (id, name) values ($1, $2)', [id, name]);
  return { id, name };
}

export async function findTenant(
  db: Database,
  idOrName: string,
): Promise<{ id: string; name: string } | undefined> {
  const rows = await db.query<{ id: string; name: string }>(
    'select id, name from tenants where id = $1 or name = $1',
    [idOrName],
  );
  return rows[0];
}

export async function createUser(
  db: Database,
  user: { tenantId: string; email: string; password: string; role: Role },
): Promise<{ id: string; email: string; role: Role }> {
  const id = uuidv7();
  const email = user.email.trim().toLowerCase();
  await db.query(
    'insert into users (id, tenant_id, email, password_hash, role) values ($1, $2, $3, $4, $5)',
    [id, user.tenantId, email, await hashPassword(user.password), user.role],
  );
  return { id, email, role: user.role };
}

export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.query<{ count: string | number }>('select count(*) as count from users');
  return Number(row?.count ?? 0);
}
