import { type Static, Type } from '@sinclair/typebox';

/** What a person may do in a tenant. */
export type Role = 'admin' | 'supervisor';

/** The shortest password the API accepts for a person: the same minimum as `pontual admin create-user`. */
export const MIN_PASSWORD_LENGTH = 8;

/** `POST /api/v1/users`. */
export const UserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1000 }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('supervisor')]),
  },
  { additionalProperties: false },
);
export type UserBody = Static<typeof UserBody>;

/** A person of the tenant as the API shows them: never their password hash. */
export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  /** When an admin removed their access; `null` while they may sign in. */
  disabledAt: string | null;
}

/** `GET /api/v1/users`. */
export interface UsersAnswer {
  users: User[];
}

/** `POST /api/v1/users` (201) and `DELETE /api/v1/users/:id`. */
export interface UserAnswer {
  user: User;
}
