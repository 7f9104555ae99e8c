import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../shared/records/registry.ts';
import { MESSAGE_STATUS_VALUES } from '../../shared/records/status-catalog.ts';
import {
  answerVerification,
  ERROR_CODE_STATUS,
  recordsFromWebhook,
  signatureFor,
  statusForErrorCode,
  verifySignature,
} from './whatsapp-cloud.ts';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/whatsapp-cloud');
const raw = (name: string) => readFileSync(join(FIXTURES, `${name}.json`));
const fixture = (name: string): unknown => JSON.parse(raw(name).toString('utf8'));

const SECRET = 'a3f1c9e07b5d4e2f8a6c1b9d0e7f3a52';

/** The business number of most fixtures, as every record from it names it. */
const MAIN = { business: '551133334444', phoneNumberId: '106540352242922', wabaId: '102290129340398' };
const ANA = '5511987654321';
const BRUNO = '5521998877665';
const SENT_TO_ANA = 'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjRGQjM2MEI3RjRBMTQ4QzFBAA==';
const SENT_TO_BRUNO = 'wamid.HBgNNTUyMTk5ODg3NzY2NRUCABEYEjNCQTk3NUQ1QjFFRkI0QzkzQwA=';

describe('verifySignature', () => {
  const body = raw('statuses');
  const good = signatureFor(body, SECRET);

  it("accepts Meta's header for the exact bytes received, in either case of hex", () => {
    expect(good).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(body, good, SECRET)).toBe(true);
    expect(verifySignature(body, `sha256=${good.slice(7).toUpperCase()}`, SECRET)).toBe(true);
  });

  it('refuses a body changed by one byte, or re-serialized', () => {
    const tampered = Buffer.from(body);
    const at = tampered.indexOf('5511987654321');
    tampered[at] = '6'.charCodeAt(0);
    expect(verifySignature(tampered, good, SECRET)).toBe(false);
    // The same JSON with other whitespace is other bytes: the signature is over what was sent.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(verifySignature(reserialized, good, SECRET)).toBe(false);
  });

  it('refuses a signature made with another secret, and any body when the secret is empty', () => {
    expect(verifySignature(body, signatureFor(body, 'another-app-secret'), SECRET)).toBe(false);
    expect(verifySignature(body, signatureFor(body, ''), '')).toBe(false);
  });

  it('refuses a missing or malformed header without throwing', () => {
    const hex = good.slice('sha256='.length);
    for (const header of [
      undefined,
      '',
      hex,
      `sha1=${hex}`,
      `sha256=${hex.slice(0, 62)}`,
      `sha256=${hex}00`,
      `sha256=${hex.slice(0, 63)}g`,
      `sha256= ${hex}`,
      'sha256=',
    ]) {
      expect(verifySignature(body, header, SECRET), String(header)).toBe(false);
    }
  });
});

describe('answerVerification', () => {
  const query = {
    'hub.mode': 'subscribe',
    'hub.verify_token': 'meu-token-de-verificacao',
    'hub.challenge': '1158201444',
  };

  it("echoes Meta's challenge when the mode and verify token are right", () => {
    expect(answerVerification(query, 'meu-token-de-verificacao')).toEqual({
      ok: true,
      challenge: '1158201444',
    });
  });

  it('refuses, saying why, a wrong token, mode or challenge', () => {
    const refused = (q: unknown, token = 'meu-token-de-verificacao') => {
      const answer = answerVerification(q, token);
      expect(answer.ok).toBe(false);
      return answer.ok ? '' : answer.reason;
    };
    expect(refused({ ...query, 'hub.verify_token': 'outro' })).toBe(
      "hub.verify_token: does not match this integration's verify token",
    );
    expect(refused(query, '')).toBe("hub.verify_token: does not match this integration's verify token");
    expect(refused({ ...query, 'hub.verify_token': undefined })).toBe('hub.verify_token: is required');
    // A repeated parameter arrives as an array.
    expect(refused({ ...query, 'hub.verify_token': ['meu-token-de-verificacao', 'x'] })).toBe(
      'hub.verify_token: is required',
    );
    expect(refused({ ...query, 'hub.mode': 'unsubscribe' })).toBe('hub.mode: must be "subscribe"');
    expect(refused(undefined)).toBe('hub.mode: must be "subscribe"');
    expect(refused({ ...query, 'hub.challenge': undefined })).toMatch(/^hub\.challenge: must be/);
    expect(refused({ ...query, 'hub.challenge': '<script>alert(1)</script>' })).toMatch(
      /^hub\.challenge: must be/,
    );
    expect(refused({ ...query, 'hub.challenge': '9'.repeat(257) })).toMatch(/^hub\.challenge: must be/);
  });
});

describe('the error-code table', () => {
  it('maps every code to a status of the catalog, and an unknown code to failed', () => {
    for (const [code, { status }] of ERROR_CODE_STATUS)
      expect(MESSAGE_STATUS_VALUES, String(code)).toContain(status);
    expect(statusForErrorCode(131047)).toBe('invalid_session');
    expect(statusForErrorCode(133004)).toBe('failed');
    expect(statusForErrorCode(undefined)).toBe('failed');
  });

  it('is the table docs/integrations.md shows, row for row', () => {
    const docs = readFileSync(join(import.meta.dirname, '../../docs/integrations.md'), 'utf8');
    const rows = [...docs.matchAll(/^\| (\d+) +\| `([a-z_]+)` +\|/gm)].map((row) => [Number(row[1]), row[2]]);
    expect(rows).toEqual([...ERROR_CODE_STATUS].map(([code, { status }]) => [code, status]));
  });
});

describe('recordsFromWebhook', () => {
  const mapped = (name: string) => {
    const result = recordsFromWebhook(fixture(name));
    for (const record of result.records)
      expect(validateRecord(record), record.id).toMatchObject({ ok: true });
    return result;
  };

  it('makes each status of a batch a message_status, failures mapped through the error codes', () => {
    const conversation = {
      conversationId: '6ceb9d929c9e6b1d1c53ae5fc9f1c8b5',
      conversationCategory: 'marketing',
      conversationType: 'business_initiated',
      billable: true,
      pricingModel: 'PMP',
      pricingCategory: 'marketing',
      pricingType: 'regular',
    };
    const failed = (n: number, second: number) => ({
      type: 'message_status',
      at: `2026-03-10T18:41:0${second}Z`,
      messageId: FAILED[n - 1],
      contact: `551191234000${n}`,
      ...MAIN,
    });
    const FAILED = [
      'wamid.HBgNNTUxMTkxMjM0MDAwMRUCABEYEkE3QzE0RjE1QjMzQjJERjAzRgA=',
      'wamid.HBgNNTUxMTkxMjM0MDAwMhUCABEYEjE5RDc4QjlGMDY4NkE5NzY1NgA=',
      'wamid.HBgNNTUxMTkxMjM0MDAwMxUCABEYEkI1RDNFQkQ4QjcwNTlDQTM0OQA=',
      'wamid.HBgNNTUxMTkxMjM0MDAwNBUCABEYEjU4QjlBQUQyQjhGNEE4QkMzNQA=',
      'wamid.HBgNNTUxMTkxMjM0MDAwNRUCABEYEkNBMEE5MTgyOUQ3RUJGNkVDMAA=',
      'wamid.HBgNNTUxMTkxMjM0MDAwNhUCABEYEkQ2MzQ0RkJBNDM1RjU0RkQ4MQA=',
    ];
    const healthy = 'This message was not delivered to maintain healthy ecosystem engagement.';
    const optOut =
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.';
    const result = mapped('statuses');
    expect(result.problems).toEqual([]);
    expect(result.numbers).toEqual([
      { phoneNumberId: MAIN.phoneNumberId, displayPhoneNumber: MAIN.business, wabaId: MAIN.wabaId },
    ]);
    expect(result.records).toEqual([
      {
        id: `wa:${SENT_TO_ANA}:sent:1773168060`,
        type: 'message_status',
        at: '2026-03-10T18:41:00Z',
        messageId: SENT_TO_ANA,
        status: 'sent',
        providerStatus: 'sent',
        contact: ANA,
        ...MAIN,
        ...conversation,
        conversationExpiresAt: '2026-03-11T18:41:00Z',
      },
      {
        id: `wa:${SENT_TO_ANA}:delivered:1773168065`,
        type: 'message_status',
        at: '2026-03-10T18:41:05Z',
        messageId: SENT_TO_ANA,
        status: 'delivered',
        providerStatus: 'delivered',
        contact: ANA,
        ...MAIN,
        ...conversation,
      },
      {
        id: `wa:${SENT_TO_ANA}:read:1773168150`,
        type: 'message_status',
        at: '2026-03-10T18:42:30Z',
        messageId: SENT_TO_ANA,
        status: 'read',
        providerStatus: 'read',
        contact: ANA,
        ...MAIN,
      },
      {
        id: `wa:${FAILED[0]}:failed:1773168061`,
        ...failed(1, 1),
        status: 'invalid_session',
        providerStatus: 'failed: 131047 Re-engagement message',
        error: '131047 Re-engagement message',
        errorDetails:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
      {
        id: `wa:${FAILED[1]}:failed:1773168062`,
        ...failed(2, 2),
        status: 'undelivered',
        providerStatus: 'failed: 131026 Message undeliverable',
        error: '131026 Message undeliverable',
        errorDetails: 'Message Undeliverable.',
      },
      {
        id: `wa:${FAILED[2]}:failed:1773168063`,
        ...failed(3, 3),
        status: 'tier_limit',
        providerStatus: `failed: 131049 ${healthy}`,
        error: `131049 ${healthy}`,
        errorDetails:
          'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
      },
      {
        id: `wa:${FAILED[3]}:failed:1773168064`,
        ...failed(4, 4),
        status: 'opt_out',
        providerStatus: `failed: 131050 ${optOut}`,
        error: `131050 ${optOut}`,
      },
      {
        id: `wa:${FAILED[4]}:failed:1773168066`,
        ...failed(5, 6),
        status: 'failed',
        providerStatus: 'failed: 133004 Server temporarily unavailable',
        error: '133004 Server temporarily unavailable',
      },
      {
        id: `wa:${FAILED[5]}:failed:1773168067`,
        ...failed(6, 7),
        status: 'failed',
        providerStatus: 'failed',
      },
    ]);
  });

  const mo = (messageId: string, at: string, contact: string) => ({
    id: `wa:${messageId}`,
    type: 'message',
    at,
    messageId,
    channel: 'whatsapp',
    direction: 'MO',
    contact,
    ...MAIN,
  });

  it("makes an incoming text an MO message with the contact's profile name", () => {
    const id = 'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBEMEY3RkE0QzE5QjQ2MTNCNjUA';
    expect(mapped('incoming-text')).toEqual({
      records: [
        {
          ...mo(id, '2026-03-10T18:43:20Z', ANA),
          contentType: 'text',
          text: 'Olá! Quero saber da minha fatura.',
          contactName: 'Ana Souza',
        },
      ],
      problems: [],
      numbers: [
        { phoneNumberId: MAIN.phoneNumberId, displayPhoneNumber: MAIN.business, wabaId: MAIN.wabaId },
      ],
    });
  });

  it('takes the text of button, interactive button and list replies, and what they answer', () => {
    const result = mapped('button-reply');
    expect(result.problems).toEqual([]);
    expect(result.records).toEqual([
      {
        ...mo(
          'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMEY5QjE1RjFCNjI4NzY3RjdFAA==',
          '2026-03-10T18:45:00Z',
          ANA,
        ),
        contentType: 'button',
        text: 'Pagar agora',
        replyTo: SENT_TO_ANA,
        contactName: 'Ana Souza',
      },
      {
        ...mo(
          'wamid.HBgNNTUyMTk5ODg3NzY2NRUCABIYFDNBNEQ4OUM2NUZFRTYxQTkzQzE1AA==',
          '2026-03-10T18:45:10Z',
          BRUNO,
        ),
        contentType: 'interactive',
        text: 'Falar com atendente',
        replyTo: SENT_TO_BRUNO,
        contactName: 'Bruno Lima',
      },
      {
        ...mo(
          'wamid.HBgNNTUyMTk5ODg3NzY2NRUCABIYFDNBNjA3QjQ1RDVEMTgyNjNGMzE2AA==',
          '2026-03-10T18:45:20Z',
          BRUNO,
        ),
        contentType: 'interactive',
        text: 'Segunda via',
        replyTo: SENT_TO_BRUNO,
        contactName: 'Bruno Lima',
      },
    ]);
  });

  it("takes an image's caption as its text", () => {
    expect(mapped('image-caption').records).toEqual([
      {
        ...mo(
          'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBQjE3NjdFMDQ2Q0YzQzFGNjRBAA==',
          '2026-03-10T18:46:40Z',
          ANA,
        ),
        contentType: 'image',
        text: 'Comprovante do pagamento',
        contactName: 'Ana Souza',
      },
    ]);
  });

  it('keeps the message a reply answers as replyTo', () => {
    expect(mapped('reply-context').records).toEqual([
      {
        ...mo(
          'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBOEE4NDM1RTc5OTBFQUM3QzQ0AA==',
          '2026-03-10T18:48:20Z',
          ANA,
        ),
        contentType: 'text',
        text: 'Já paguei, segue o comprovante acima.',
        replyTo: SENT_TO_ANA,
        contactName: 'Ana Souza',
      },
    ]);
  });

  it('takes the text of the other types, and keeps what Meta says of a message it could not read', () => {
    const message = (n: number, type: string, body: Record<string, unknown>) => ({
      from: ANA,
      id: `wamid.other-${n}`,
      timestamp: String(1773168060 + n),
      type,
      ...body,
    });
    const result = recordsFromWebhook({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: MAIN.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: MAIN.business, phone_number_id: MAIN.phoneNumberId },
                messages: [
                  message(1, 'video', { video: { caption: 'O vídeo', id: '1' } }),
                  message(2, 'document', { document: { caption: 'Contrato', filename: 'c.pdf', id: '2' } }),
                  message(3, 'location', {
                    location: { latitude: -23.5, longitude: -46.6, name: 'Loja Centro' },
                  }),
                  message(4, 'location', {
                    location: { latitude: -23.5, longitude: -46.6, address: 'Rua A, 1' },
                  }),
                  message(5, 'interactive', {
                    interactive: {
                      type: 'nfm_reply',
                      nfm_reply: { body: 'Sent', name: 'flow', response_json: '{}' },
                    },
                  }),
                  message(6, 'sticker', { sticker: { id: '6', animated: false } }),
                  message(7, 'audio', { audio: { id: '7', voice: true } }),
                  message(8, 'unsupported', {
                    errors: [
                      { code: 131051, title: 'Message type unknown', error_data: { details: 'Unsupported' } },
                    ],
                  }),
                ],
              },
            },
          ],
        },
      ],
    });
    expect(result.problems).toEqual([]);
    expect(
      result.records.map((record) => {
        const { contentType, text, providerType, error } = record as Record<string, unknown>;
        return { contentType, text, providerType, error };
      }),
    ).toEqual([
      { contentType: 'video', text: 'O vídeo', providerType: undefined, error: undefined },
      { contentType: 'document', text: 'Contrato', providerType: undefined, error: undefined },
      { contentType: 'location', text: 'Loja Centro', providerType: undefined, error: undefined },
      { contentType: 'location', text: 'Rua A, 1', providerType: undefined, error: undefined },
      { contentType: 'interactive', text: 'Sent', providerType: undefined, error: undefined },
      { contentType: 'sticker', text: undefined, providerType: undefined, error: undefined },
      { contentType: 'audio', text: undefined, providerType: undefined, error: undefined },
      {
        contentType: 'other',
        text: undefined,
        providerType: 'unsupported',
        error: '131051 Message type unknown',
      },
    ]);
    // No contacts[] in the change: the messages are kept without a name.
    expect(result.records[0]).not.toHaveProperty('contactName');
  });

  it('maps every entry and change, each with its own business number, and skips other fields', () => {
    const second = { business: '551133335555', phoneNumberId: '109876543210987', wabaId: MAIN.wabaId };
    const other = { business: '552140041234', phoneNumberId: '112233445566778', wabaId: '104455667788990' };
    const result = mapped('several-entries');
    expect(result.problems).toEqual([]);
    expect(result.numbers).toEqual([
      { phoneNumberId: MAIN.phoneNumberId, displayPhoneNumber: MAIN.business, wabaId: MAIN.wabaId },
      { phoneNumberId: second.phoneNumberId, displayPhoneNumber: second.business, wabaId: second.wabaId },
      { phoneNumberId: other.phoneNumberId, displayPhoneNumber: other.business, wabaId: other.wabaId },
    ]);
    const delivered = 'wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjVCNDk4QTg4MDlFRDc2QjAxMwA=';
    const fromCarla = 'wamid.HBgNNTUzMTk4NzAwMTEyMhUCABIYFDNBRjI5RDdDMzE5QjM3NDY4MjVBAA==';
    const reaction = 'wamid.HBgNNTUyMTk5ODg3NzY2NRUCABIYFDNBNzE4RjE2QjA2OUU4QkM5QjU0AA==';
    expect(result.records).toEqual([
      {
        id: `wa:${delivered}:delivered:1773168600`,
        type: 'message_status',
        at: '2026-03-10T18:50:00Z',
        messageId: delivered,
        status: 'delivered',
        providerStatus: 'delivered',
        contact: ANA,
        ...MAIN,
        conversationId: '0f7c3a0e2d1b4c9aa0c1d2e3f4a5b6c7',
        conversationExpiresAt: '2026-03-11T18:50:00Z',
        conversationCategory: 'service',
        conversationType: 'user_initiated',
        billable: false,
        pricingModel: 'PMP',
        pricingCategory: 'service',
        pricingType: 'free_customer_service',
      },
      {
        id: `wa:${fromCarla}`,
        type: 'message',
        at: '2026-03-10T18:50:10Z',
        messageId: fromCarla,
        channel: 'whatsapp',
        direction: 'MO',
        contact: '5531987001122',
        ...second,
        contentType: 'text',
        text: 'Bom dia',
        contactName: 'Carla Dias',
      },
      {
        id: `wa:${SENT_TO_BRUNO}:sent:1773168620`,
        type: 'message_status',
        at: '2026-03-10T18:50:20Z',
        messageId: SENT_TO_BRUNO,
        status: 'sent',
        providerStatus: 'sent',
        contact: BRUNO,
        ...other,
        conversationId: '8a1b2c3d4e5f60718293a4b5c6d7e8f9',
        conversationExpiresAt: '2026-03-11T18:50:20Z',
        conversationCategory: 'utility',
        conversationType: 'business_initiated',
        billable: true,
        pricingModel: 'PMP',
        pricingCategory: 'utility',
        pricingType: 'regular',
      },
      {
        id: `wa:${reaction}`,
        type: 'message',
        at: '2026-03-10T18:50:30Z',
        messageId: reaction,
        channel: 'whatsapp',
        direction: 'MO',
        contact: BRUNO,
        ...other,
        contentType: 'other',
        providerType: 'reaction',
        text: '👍',
        contactName: 'Bruno Lima',
      },
    ]);
  });

  it('names each malformed item where it was, and still maps the rest', () => {
    const result = mapped('malformed');
    const change0 = 'entry[0].changes[0].value';
    const change2 = 'entry[0].changes[2].value';
    expect(result.problems).toEqual([
      `${change0}.statuses[1].id: is required`,
      `${change0}.statuses[2].status: must be one of sent, delivered, read, failed`,
      `${change0}.statuses[3].timestamp: must be Unix seconds (digits, as Meta sends them)`,
      `${change0}.statuses[4].recipient_id: must be a phone number (digits, optionally with + and separators)`,
      `${change0}.statuses[5].errors: must be a list of errors (kept as failed without them)`,
      `${change0}.statuses[6].conversation: must be an object (the status is kept without it)`,
      `${change0}.statuses[6].pricing.billable: must be true or false (the status is kept without it)`,
      `${change0}.statuses[7]: must be an object`,
      'entry[0].changes[1].value.metadata: is required (the business number)',
      `${change2}.messages[1].from: is required`,
      `${change2}.messages[2]: text: contains a NUL character (U+0000)`,
      `${change2}.messages[3].context.id: must be the id of the message answered (the message is kept without it)`,
      'entry[1]: must be an object',
      'entry[2].changes: must be an array',
    ]);
    expect(result.records.map((record) => record.id)).toEqual([
      'wa:wamid.HBgNNTUxMTkxMjM0MDEwMBUCABEYEjAwMDAwMDAwMDAwMDAwMDEwMAA=:sent:1773168700',
      'wa:wamid.HBgNNTUxMTkxMjM0MDEwNRUCABEYEjAwMDAwMDAwMDAwMDAwMDEwNQA=:failed:1773168705',
      'wa:wamid.HBgNNTUxMTkxMjM0MDEwNhUCABEYEjAwMDAwMDAwMDAwMDAwMDEwNgA=:delivered:1773168706',
      'wa:wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDAwMDAwMDAwMDAwMDAwMDAwMjAwAA==',
      'wa:wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDAwMDAwMDAwMDAwMDAwMDAwMjAzAA==',
    ]);
    expect(result.records[1]).toMatchObject({ status: 'failed', providerStatus: 'failed' });
    expect(result.records[2]).toMatchObject({ pricingModel: 'PMP', pricingCategory: 'marketing' });
    expect(result.records[2]).not.toHaveProperty('billable');
    expect(result.records[2]).not.toHaveProperty('conversationId');
    expect(result.records[4]).not.toHaveProperty('replyTo');
  });

  it('says in one problem that a payload is not a WhatsApp Business Account webhook', () => {
    const notOurs =
      'object: must be "whatsapp_business_account": this is not a WhatsApp Business Account webhook payload';
    for (const payload of [
      { object: 'page', entry: [{ id: '1', changes: [] }] },
      { entry: [] },
      null,
      [],
      'whatsapp_business_account',
    ]) {
      expect(recordsFromWebhook(payload)).toEqual({ records: [], problems: [notOurs], numbers: [] });
    }
    expect(recordsFromWebhook({ object: 'whatsapp_business_account' }).problems).toEqual([
      'entry: must be an array',
    ]);
  });

  it("gives Meta's retries of a payload the same ids, and a status repeated in one payload one record", () => {
    for (const name of ['statuses', 'incoming-text', 'button-reply', 'several-entries', 'malformed']) {
      const first = recordsFromWebhook(fixture(name)).records;
      // A retry arrives as new bytes, maybe formatted otherwise: only the content decides the ids.
      const retry = recordsFromWebhook(JSON.parse(JSON.stringify(fixture(name), null, 1))).records;
      expect(retry, name).toEqual(first);
    }
    const payload = fixture('statuses') as { entry: { changes: { value: { statuses: unknown[] } }[] }[] };
    const statuses = payload.entry[0]!.changes[0]!.value.statuses;
    statuses.push(structuredClone(statuses[0]));
    const ids = recordsFromWebhook(payload).records.map((record) => record.id);
    expect(ids).toHaveLength(9);
    expect(new Set(ids).size).toBe(9);
  });

  it('hashes an id that would pass 128 characters, the same way every time', () => {
    const long = `wamid.${'HBgNNTUxMTk4NzY1NDMyMR'.repeat(6)}`;
    const payload = (status: string) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: MAIN.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { display_phone_number: '+55 11 3333-4444', phone_number_id: MAIN.phoneNumberId },
                statuses: [{ id: long, status, timestamp: '1773168060', recipient_id: '+55 11 98765-4321' }],
              },
            },
          ],
        },
      ],
    });
    const [sent] = recordsFromWebhook(payload('sent')).records;
    const [again] = recordsFromWebhook(payload('sent')).records;
    const [read] = recordsFromWebhook(payload('read')).records;
    expect(sent!.id).toMatch(/^wa:[0-9a-f]{64}$/);
    expect(again!.id).toBe(sent!.id);
    expect(read!.id).not.toBe(sent!.id);
    // Display numbers with + and separators become the digits the records keep.
    expect(sent).toMatchObject({ messageId: long, business: MAIN.business, contact: ANA });
  });

  it('shortens a title too long for the record instead of refusing the status', () => {
    const title = 'x'.repeat(2000);
    const result = recordsFromWebhook({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: MAIN.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { display_phone_number: MAIN.business, phone_number_id: MAIN.phoneNumberId },
                statuses: [
                  {
                    id: SENT_TO_ANA,
                    status: 'failed',
                    timestamp: '1773168060',
                    recipient_id: ANA,
                    errors: [{ code: 131000, title }],
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(result.problems).toEqual([]);
    const [record] = result.records as { status: string; providerStatus: string; error: string }[];
    expect(record!.status).toBe('internal_error');
    expect(record!.providerStatus).toHaveLength(256);
    expect(record!.providerStatus).toMatch(/^failed: 131000 x+…$/);
    expect(record!.error).toHaveLength(1024);
  });
});
