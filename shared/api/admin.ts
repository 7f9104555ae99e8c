import { type Static, Type } from '@sinclair/typebox';

/** `POST /api/v1/admin/tenants` (`pontual admin create-tenant`). */
export const TenantBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type TenantBody = Static<typeof TenantBody>;

/** `POST /api/v1/admin/users` (`pontual admin create-user`). */
export const AdminUserBody = Type.Object(
  {
    tenant: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    password: Type.String({ minLength: 8, maxLength: 1000 }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('supervisor')]),
  },
  { additionalProperties: false },
);
export type AdminUserBody = Static<typeof AdminUserBody>;

/** `POST /api/v1/admin/tenants`. */
export interface TenantAnswer {
  id: string;
  name: string;
}

/** `POST /api/v1/admin/users`. */
export interface AdminUserAnswer {
  id: string;
  email: string;
  role: AdminUserBody['role'];
}
