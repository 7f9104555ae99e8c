import { createInterface } from 'node:readline';
import { EmbeddedDatabaseBusy, holderOf, openDatabase } from '../config.ts';
import { createTenant, createUser, findTenant } from '../tenants.ts';
import { parseOptions } from './options.ts';
import { UserError } from './user-error.ts';

const ROLES = ['admin', 'supervisor'] as const;

/** A password from standard input (scripts) or typed without echo (a person at a terminal). */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write('Password: ');
  muted._writeToOutput = () => undefined;
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

/**
 * `pontual admin create-tenant <name>` and `pontual admin create-user --tenant <t> --email <e>
 * --role admin|supervisor`, on the same database as `serve` (`--data` or `DATABASE_URL`). When a
 * server holds the embedded database, the command goes through it.
 */
export async function adminCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    data: { type: 'string', default: process.env.PONTUAL_DATA ?? './data' },
    tenant: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string' },
  });
  const [action, ...rest] = positionals;
  let request: { path: string; body: Record<string, unknown> };
  if (action === 'create-tenant') {
    const name = rest.join(' ').trim();
    if (!name) throw new UserError('usage: pontual admin create-tenant <name>');
    request = { path: '/api/v1/admin/tenants', body: { name } };
  } else if (action === 'create-user') {
    if (!values.tenant || !values.email) {
      throw new UserError(
        'usage: pontual admin create-user --tenant <name> --email <email> --role admin|supervisor',
      );
    }
    if (!ROLES.includes(values.role as (typeof ROLES)[number]))
      throw new UserError('--role must be admin or supervisor');
    const password = await readPassword();
    if (password.length < 8) throw new UserError('the password must have at least 8 characters');
    request = {
      path: '/api/v1/admin/users',
      body: { tenant: values.tenant, email: values.email, password, role: values.role },
    };
  } else {
    throw new UserError(
      'usage: pontual admin create-tenant <name> | create-user --tenant <t> --email <e> --role <r>',
    );
  }

  const holder = process.env.DATABASE_URL ? undefined : holderOf(values.data);
  if (holder && holder.port > 0) {
    const response = await fetch(`http://127.0.0.1:${holder.port}${request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pontual-admin-secret': holder.adminSecret },
      body: JSON.stringify(request.body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new UserError(String(answer.error ?? `the server answered ${response.status}`));
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    return 0;
  }

  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(values.data);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusy)
      throw new UserError(`${error.message}; try again when it is done`);
    throw error;
  }
  try {
    const body = request.body as {
      name: string;
      tenant: string;
      email: string;
      password: string;
      role: 'admin';
    };
    if (action === 'create-tenant') {
      if (await findTenant(opened.db, body.name))
        throw new UserError(`a tenant named "${body.name}" exists already`);
      process.stdout.write(`${JSON.stringify(await createTenant(opened.db, body.name))}\n`);
    } else {
      const tenant = await findTenant(opened.db, body.tenant);
      if (!tenant)
        throw new UserError(`no tenant "${body.tenant}" (create it with pontual admin create-tenant)`);
      const [existing] = await opened.db.query('select 1 from users where email = $1', [
        body.email.trim().toLowerCase(),
      ]);
      if (existing) throw new UserError(`a user with the email ${body.email} exists already`);
      const user = await createUser(opened.db, {
        tenantId: tenant.id,
        email: body.email,
        password: body.password,
        role: body.role,
      });
      process.stdout.write(`${JSON.stringify(user)}\n`);
    }
  } finally {
    await opened.close();
  }
  return 0;
}
