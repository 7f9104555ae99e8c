import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import type { WebhookAnswer } from '../../shared/api/integrations.ts';
import type { RecordKindName } from '../../shared/records/kind.ts';
import type { AccountRecords, BusinessNumberRow } from '../account-records.ts';
import type { Database } from '../db/database.ts';
import {
  answerVerification,
  type BusinessNumber,
  recordsFromWebhook,
  SIGNATURE_HEADER,
  verifySignature,
} from '../integrations/whatsapp-cloud.ts';
import { storeRecords } from './events.ts';

interface WebhookIntegration {
  id: string;
  tenant_id: string;
  app_secret: string;
  verify_token: string;
}

/** A live WhatsApp Cloud API integration by id; a deleted one is gone for its webhook at once. */
async function findIntegration(db: Database, id: string): Promise<WebhookIntegration | undefined> {
  const [row] = await db.query<WebhookIntegration>(
    `select id, tenant_id, app_secret, verify_token from integrations
      where id = $1 and provider = 'whatsapp-cloud' and deleted_at is null`,
    [id],
  );
  return row;
}

/** How often a number seen again is written down again (its `last_seen_at`), at most. */
const NUMBER_SEEN_EVERY_MS = 60_000;

/**
 * Records the numbers a delivery came through for this tenant; returns the phone number ids that
 * belong to another tenant, whose records are refused.
 *
 * A number belongs for good to the tenant that claimed it first (the upsert never moves it), so
 * `claimed` remembers this instance's answers: a delivery through numbers it claimed for the same
 * integration, with the same details, within the last minute, needs no statement. Under load every
 * delivery of a busy number updated its one row, and the deliveries in flight queued on that row's
 * lock.
 */
async function claimNumbers(
  db: Database,
  accounts: AccountRecords,
  integration: WebhookIntegration,
  numbers: readonly BusinessNumber[],
  claimed: Map<string, ClaimedNumber>,
): Promise<Set<string>> {
  const now = Date.now();
  const fresh = (number: BusinessNumber) => {
    const known = claimed.get(number.phoneNumberId);
    return (
      known !== undefined &&
      known.integrationId === integration.id &&
      known.displayPhoneNumber === number.displayPhoneNumber &&
      known.wabaId === number.wabaId &&
      now - known.at < NUMBER_SEEN_EVERY_MS
    );
  };
  // Nothing new or changed since this instance wrote them: no statement, no record.
  if (numbers.every(fresh)) return new Set();
  // The state before, to tell which numbers are new or changed: those get a `business_number` record.
  const before = await db.query<{ phone_number_id: string; display_number: string; waba_id: string }>(
    `select phone_number_id, display_number, waba_id from business_numbers
      where tenant_id = $1 and phone_number_id = any($2::text[])`,
    [integration.tenant_id, numbers.map((number) => number.phoneNumberId)],
  );
  const known = new Map(before.map((row) => [row.phone_number_id, `${row.display_number}\n${row.waba_id}`]));
  const rows = await db.query<BusinessNumberRow>(
    `insert into business_numbers as known (phone_number_id, tenant_id, integration_id, display_number, waba_id)
     select number."phoneNumberId", $1, $2, number."displayPhoneNumber", number."wabaId"
       from json_to_recordset($3::json) as number("phoneNumberId" text, "displayPhoneNumber" text, "wabaId" text)
     on conflict (phone_number_id) do update
        set last_seen_at = now(), display_number = excluded.display_number, waba_id = excluded.waba_id,
            integration_id = excluded.integration_id
      where known.tenant_id = excluded.tenant_id
     returning phone_number_id, tenant_id, integration_id, display_number, waba_id, first_seen_at`,
    [integration.tenant_id, integration.id, JSON.stringify(numbers)],
  );
  await accounts.numbers(
    integration.tenant_id,
    rows.filter((row) => known.get(row.phone_number_id) !== `${row.display_number}\n${row.waba_id}`),
  );
  const ours = new Set(rows.map((row) => row.phone_number_id));
  for (const number of numbers) {
    if (ours.has(number.phoneNumberId))
      claimed.set(number.phoneNumberId, { ...number, integrationId: integration.id, at: now });
    else claimed.delete(number.phoneNumberId);
  }
  return new Set(numbers.map((number) => number.phoneNumberId).filter((id) => !ours.has(id)));
}

/** A number this instance claimed for an integration, with the details it then wrote and when. */
interface ClaimedNumber extends BusinessNumber {
  integrationId: string;
  at: number;
}

/**
 * The WhatsApp Business Cloud API's webhook (DESIGN §12): Meta's verification GET, and signed
 * POSTs whose statuses and incoming messages are stored as records at once, in the request.
 */
export function whatsappWebhookRoutes(
  root: FastifyInstance,
  db: Database,
  onStored: (tenantId: string, kinds: RecordKindName[]) => void,
  accounts: AccountRecords,
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const claimed = new Map<string, ClaimedNumber>();
  app.get('/api/v1/integrations/:id/webhook', { schema: { params: IdParams } }, async (request, reply) => {
    const integration = await findIntegration(db, request.params.id);
    if (!integration) return reply.code(404).send({ error: 'no such webhook' });
    const answer = answerVerification(request.query, integration.verify_token);
    if (!answer.ok) return reply.code(403).send({ error: answer.reason });
    return reply.type('text/plain; charset=utf-8').send(answer.challenge);
  });

  // The signature is over the bytes as sent: this route reads its body raw, whatever the type.
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/v1/integrations/:id/webhook',
      { schema: { params: IdParams } },
      async (request, reply) => {
        const integration = await findIntegration(db, request.params.id);
        if (!integration) return reply.code(404).send({ error: 'no such webhook' });
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers[SIGNATURE_HEADER];
        if (
          !verifySignature(raw, typeof signature === 'string' ? signature : undefined, integration.app_secret)
        ) {
          return reply.code(401).send({
            error: `${SIGNATURE_HEADER}: missing or not the HMAC-SHA256 of this body with the integration's app secret`,
          });
        }
        let payload: unknown;
        try {
          payload = JSON.parse(raw.toString('utf8'));
        } catch (error) {
          return reply.code(400).send({ error: `body: not valid JSON (${(error as Error).message})` });
        }
        const mapped = recordsFromWebhook(payload);
        if (mapped.records.length === 0 && mapped.problems.length > 0)
          return reply
            .code(400)
            .send({ error: mapped.problems.slice(0, 5).join('; '), problems: mapped.problems });
        const foreign = await claimNumbers(db, accounts, integration, mapped.numbers, claimed);
        const problems = [...mapped.problems];
        const records = mapped.records.filter((record) => {
          const number = (record as { phoneNumberId?: string }).phoneNumberId;
          if (number === undefined || !foreign.has(number)) return true;
          problems.push(`${record.id}: phone number ${number} belongs to another account's integration`);
          return false;
        });
        // The provider's records are on its own clock: no offset to measure.
        const stored = await storeRecords(
          db,
          { tenantId: integration.tenant_id, role: 'integration' },
          records,
          0,
        );
        if (stored.kinds.length > 0) onStored(integration.tenant_id, stored.kinds);
        // 200 once the signature is good, problems or not: Meta resends anything else, forever.
        return {
          accepted: stored.accepted.length,
          duplicates: stored.duplicates.length,
          rejected: stored.rejected,
          problems,
        } satisfies WebhookAnswer;
      },
    );
  });
}
