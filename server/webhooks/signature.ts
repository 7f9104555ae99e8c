import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new subscription's signing secret: 32 random bytes, shown to the admin once. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export function signWebhook(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * What a receiver does (docs/integrations.md has it as a snippet): the HMAC of the raw body,
 * compared in constant time. Here for the tests, which check deliveries the way a receiver would.
 */
export function verifyWebhook(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signWebhook(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
