import { type Static, Type } from '@sinclair/typebox';

/**
 * The API's request and response shapes (docs/server.md, "Shapes"): the server checks requests
 * with these schemas (Fastify's TypeBox type provider types its handlers from them), and the
 * extension and the PWA read the answers with these types. One declaration each.
 */

/** A row's id in a URL (`/users/:id`, `/devices/:id/revoke`, …). */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type IdParams = Static<typeof IdParams>;

/** Every refusal: what is wrong and, for input, where (`body.email: must match pattern …`). */
export interface ErrorAnswer {
  error: string;
}

/** Who made something, as lists show it (the email is empty once the person is gone). */
export interface CreatedBy {
  id: string;
  email: string;
}
