import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { hashToken } from './tokens.ts';

export interface Principal {
  tenantId: string;
  role: 'admin' | 'supervisor' | 'device' | 'integration';
  userId?: string;
  deviceId?: string;
  /** For an integration's token: which integration pushes. */
  integrationId?: string;
  /** For a device enrolled for some agents: the only agents it may push events of. */
  agentIds?: string[];
  tokenHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

interface TokenRow {
  tenant_id: string;
  user_id: string | null;
  device_id: string | null;
  integration_id: string | null;
  role: 'admin' | 'supervisor' | null;
  agent_ids: string[] | null;
}

/**
 * Who a bearer token belongs to, if it is live: not expired, not revoked, and neither its device
 * revoked nor its person removed.
 */
export async function principalOf(
  db: Database,
  authorization: string | undefined,
): Promise<Principal | undefined> {
  const token = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  const tokenHash = hashToken(token);
  const [row] = await db.query<TokenRow>(
    `select t.tenant_id, t.user_id, t.device_id, t.integration_id, u.role, d.agent_ids
       from tokens t
       left join users u on u.id = t.user_id
       left join devices d on d.id = t.device_id
       left join integrations i on i.id = t.integration_id
      where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
        and (t.device_id is null or d.revoked_at is null)
        and (t.user_id is null or u.disabled_at is null)
        and (t.integration_id is null or i.deleted_at is null)`,
    [tokenHash],
  );
  if (!row) return undefined;
  if (row.device_id) {
    return {
      tenantId: row.tenant_id,
      role: 'device',
      deviceId: row.device_id,
      agentIds: row.agent_ids ?? undefined,
      tokenHash,
    };
  }
  if (row.integration_id)
    return { tenantId: row.tenant_id, role: 'integration', integrationId: row.integration_id, tokenHash };
  return {
    tenantId: row.tenant_id,
    role: row.role ?? 'supervisor',
    userId: row.user_id ?? undefined,
    tokenHash,
  };
}

/** A route guard: 401 without a live token, 403 for a role the route does not allow. */
export function requireRole(db: Database, ...roles: Principal['role'][]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await principalOf(db, request.headers.authorization);
    if (!principal) return reply.code(401).send({ error: 'sign in first: a valid bearer token is required' });
    if (!roles.includes(principal.role)) {
      return reply.code(403).send({ error: `this needs the role ${roles.join(' or ')}` });
    }
    request.principal = principal;
  };
}
