import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import {
  type NewWebhookSubscriptionAnswer,
  type WebhookEventType,
  type WebhookLastDelivery,
  type WebhookSubscription,
  WebhookSubscriptionBody,
  type WebhookSubscriptionsAnswer,
} from '../../shared/api/webhooks.ts';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import { requireRole } from '../auth/guard.ts';
import type { Database } from '../db/database.ts';
import { newWebhookSecret } from '../webhooks/signature.ts';

interface SubscriptionRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  created_at: Date | string;
  created_by: string;
  created_by_email: string | null;
  last_id: string | null;
  last_event_type: WebhookEventType | null;
  last_state: 'pending' | 'delivered' | 'failed' | null;
  last_status: number | null;
  last_error: string | null;
  last_attempts: number | null;
  last_at: Date | string | null;
}

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  let lastDelivery: WebhookLastDelivery | null = null;
  if (row.last_id !== null) {
    const attempts = row.last_attempts ?? 0;
    lastDelivery = {
      requestId: row.last_id,
      eventType: row.last_event_type!,
      // A pending delivery tried before is being retried; one never tried is waiting its turn.
      state: row.last_state === 'pending' ? (attempts > 0 ? 'retrying' : 'pending') : row.last_state!,
      httpStatus: row.last_status,
      error: row.last_error,
      attempts,
      at: new Date(row.last_at!).toISOString(),
    };
  }
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: { id: row.created_by, email: row.created_by_email ?? '' },
    lastDelivery,
  };
}

/** The latest delivery: the last attempted, or, with none attempted yet, the last owed. */
const SELECT = `
  select s.id, s.url, s.events, s.created_at, s.created_by, u.email as created_by_email,
         last.id as last_id, last.event_type as last_event_type, last.state as last_state,
         last.last_status, last.last_error, last.attempts as last_attempts,
         coalesce(last.last_attempt_at, last.created_at) as last_at
    from webhook_subscriptions s
    left join users u on u.id = s.created_by
    left join lateral (
      select d.* from webhook_deliveries d where d.subscription_id = s.id
       order by d.last_attempt_at desc nulls last, d.created_at desc limit 1
    ) last on true`;

/**
 * Why a subscription's URL cannot be posted to, or `undefined`: an absolute http(s) URL with no
 * credentials in it (they would be shown in every list and record).
 */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `body.url: "${text.slice(0, 100)}" is not an absolute URL (like https://example.com/hooks/pontual)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `body.url: must start with https:// or http://, not ${url.protocol}`;
  if (url.username !== '' || url.password !== '')
    return 'body.url: must not hold a user name or password; check the signature header instead';
  return undefined;
}

/**
 * Admins subscribe URLs to events (DESIGN §12, docs/integrations.md "Outbound webhooks"); the
 * deliveries are made by server/webhooks/deliverer.ts.
 */
export function webhookRoutes(root: FastifyInstance, db: Database): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const admin = { preHandler: requireRole(db, 'admin') };

  app.post(
    '/api/v1/webhooks',
    { ...admin, schema: { body: WebhookSubscriptionBody } },
    async (request, reply) => {
      const { body } = request;
      const problem = webhookUrlProblem(body.url);
      if (problem) return reply.code(400).send({ error: problem });
      const principal = request.principal!;
      const id = uuidv7();
      const secret = newWebhookSecret();
      await db.query(
        `insert into webhook_subscriptions (id, tenant_id, url, events, secret, created_by)
       values ($1, $2, $3, $4::text[], $5, $6)`,
        [id, principal.tenantId, body.url, body.events, secret, principal.userId],
      );
      const [row] = await db.query<SubscriptionRow>(`${SELECT} where s.id = $1`, [id]);
      // The secret is shown this once; the server keeps it to sign, and never shows it again.
      return reply
        .code(201)
        .send({ subscription: toSubscription(row!), secret } satisfies NewWebhookSubscriptionAnswer);
    },
  );

  app.get('/api/v1/webhooks', admin, async (request) => {
    const rows = await db.query<SubscriptionRow>(
      `${SELECT} where s.tenant_id = $1 and s.deleted_at is null order by s.created_at, s.id`,
      [request.principal!.tenantId],
    );
    return { subscriptions: rows.map(toSubscription) } satisfies WebhookSubscriptionsAnswer;
  });

  app.delete('/api/v1/webhooks/:id', { ...admin, schema: { params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    const tenantId = request.principal!.tenantId;
    // Nothing more is owed to it, and what was still owed is given up (the row stays: the
    // deliveries already made keep naming it).
    const deleted = await db.transaction(async (tx) => {
      const rows = await tx.query(
        `update webhook_subscriptions set deleted_at = now()
          where id = $1 and tenant_id = $2 and deleted_at is null returning id`,
        [id, tenantId],
      );
      if (rows.length > 0) {
        await tx.query(
          `update webhook_deliveries set state = 'failed', lease = null,
                  last_error = 'the subscription was deleted before this delivery was made'
            where subscription_id = $1 and state = 'pending'`,
          [id],
        );
      }
      return rows.length > 0;
    });
    if (!deleted) return reply.code(404).send({ error: 'no such webhook subscription' });
    return reply.code(204).send();
  });
}
