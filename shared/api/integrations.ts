import { type Static, Type } from '@sinclair/typebox';
import type { CreatedBy } from './common.ts';
import type { Rejected } from './events.ts';

const name = Type.String({ minLength: 1, maxLength: 200 });
/** Meta shows the app secret as 32 hex digits; other providers' secrets are longer. */
const secret = Type.String({ minLength: 8, maxLength: 512 });

/** `POST /api/v1/integrations`. */
export const IntegrationBody = Type.Object(
  {
    provider: Type.Union([Type.Literal('whatsapp-cloud'), Type.Literal('api')]),
    name,
    appSecret: Type.Optional(secret),
    verifyToken: Type.Optional(secret),
  },
  { additionalProperties: false },
);
export type IntegrationBody = Static<typeof IntegrationBody>;

export type IntegrationProvider = IntegrationBody['provider'];

/** An integration as listed: its secrets and token are never shown after creation. */
export interface Integration {
  id: string;
  provider: IntegrationProvider;
  name: string;
  /** Where the provider posts, for a webhook integration; `null` for the records API. */
  webhookPath: string | null;
  createdAt: string;
  createdBy: CreatedBy;
}

/** `POST /api/v1/integrations` (201): a records API integration's token, shown this once. */
export interface NewIntegrationAnswer {
  integration: Integration;
  token?: string;
}

/** `GET /api/v1/integrations`. */
export interface IntegrationsAnswer {
  integrations: Integration[];
}

/** `POST /api/v1/integrations/:id/webhook`: what a provider's delivery came to (always 200 once signed). */
export interface WebhookAnswer {
  accepted: number;
  duplicates: number;
  rejected: Rejected[];
  problems: string[];
}
