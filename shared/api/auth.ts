import { type Static, Type } from '@sinclair/typebox';
import type { Role } from './users.ts';

/** `POST /api/v1/auth/login`. */
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

/** The person signed in, as sign-in and `GET /api/v1/me` show them. */
export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  tenantId: string;
}

/** `POST /api/v1/auth/login`: a bearer token for 12 hours. */
export interface LoginAnswer {
  token: string;
  user: SessionUser;
}

/** `GET /api/v1/me`. */
export interface MeAnswer {
  user: SessionUser;
  tenant: { id: string; name: string };
}

/** `POST /api/v1/auth/logout`. */
export interface LogoutAnswer {
  ok: true;
}
