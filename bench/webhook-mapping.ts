import {
  recordsFromWebhook,
  signatureFor,
  verifySignature,
  WEBHOOK_OBJECT,
} from '../server/integrations/whatsapp-cloud.ts';
import { fmt, medianMs } from './measure.ts';

const STATUSES = 1_000;
const ROUNDS = 50;
const SECRET = 'bench-app-secret-0123456789abcdef';
const FAILURES = [131047, 131026, 131049, 131050, 133004];

/**
 * A webhook body as Meta posts it under load: one change holding `count` statuses of as many
 * messages, a quarter each sent (with conversation and pricing, as Meta sends them), delivered,
 * read and failed (with an error code, one of them not in the table).
 */
export function statusBatch(count: number, first = 0): Buffer {
  const start = 1_773_168_060;
  const statuses = Array.from({ length: count }, (_, n) => {
    // `first` numbers the messages on, so that batches made apart hold different messages.
    const i = first + n;
    const kind = (['sent', 'delivered', 'read', 'failed'] as const)[i % 4];
    const wamid = `wamid.HBgNNTUxMTk4NzY1${String(i).padStart(9, '0')}RUCABEYEjRGQjM2MEI3RjRBMTQ4QzFBAA==`;
    const status: Record<string, unknown> = {
      id: wamid,
      status: kind,
      timestamp: String(start + i),
      recipient_id: `55119${String(i).padStart(8, '0')}`,
    };
    if (kind === 'sent' || kind === 'delivered') {
      status.conversation = {
        id: `conversation${String(i).padStart(20, '0')}`,
        expiration_timestamp: String(start + 86_400),
        origin: { type: 'marketing' },
      };
      status.pricing = { billable: true, pricing_model: 'PMP', category: 'marketing', type: 'regular' };
    }
    if (kind === 'failed') {
      const code = FAILURES[(i >> 2) % FAILURES.length]!;
      status.errors = [
        {
          code,
          title: `Error ${code}`,
          message: `Error ${code}`,
          error_data: { details: 'Details of the failure.' },
        },
      ];
    }
    return status;
  });
  return Buffer.from(
    JSON.stringify({
      object: WEBHOOK_OBJECT,
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '551133334444', phone_number_id: '106540352242922' },
                statuses,
              },
            },
          ],
        },
      ],
    }),
  );
}

/**
 * Issue 10's core of webhook ingestion, on one core: the signature check, the JSON parse and the
 * mapping to validated records of a 1,000-status payload, repeated. Storing is the route's and
 * is measured with it; this is the ceiling the mapping leaves it.
 */
export async function benchWebhookMapping(): Promise<void> {
  const body = statusBatch(STATUSES);
  const header = signatureFor(body, SECRET);
  let records = 0;
  const run = () => {
    for (let round = 0; round < ROUNDS; round++) {
      if (!verifySignature(body, header, SECRET)) throw new Error('the bench signature does not verify');
      const result = recordsFromWebhook(JSON.parse(body.toString('utf8')));
      if (result.problems.length > 0)
        throw new Error(`the bench payload has problems: ${result.problems[0]}`);
      records = result.records.length;
    }
  };
  const { medianMs: ms } = medianMs(run);
  if (records !== STATUSES) throw new Error(`expected ${STATUSES} records, got ${records}`);
  const perPayload = ms / ROUNDS;
  const signatureOnly = medianMs(() => {
    for (let round = 0; round < ROUNDS; round++) verifySignature(body, header, SECRET);
  }).medianMs;
  console.log(
    `Webhook ${fmt(STATUSES)}-status payload (${fmt(body.length / 1024)} KB): signature + parse + mapping ` +
      `${fmt(perPayload, 2)} ms — ${fmt((STATUSES / perPayload) * 1000)} statuses/s on one core ` +
      `(signature alone ${fmt(signatureOnly / ROUNDS, 3)} ms)   target ≥ 5,000 statuses/s ingested`,
  );
}
