import { type Static, Type } from '@sinclair/typebox';
import type { CreatedBy } from './common.ts';

/** How long a new code enrolls when the request names no time. */
export const DEFAULT_CODE_TTL_MINUTES = 60;
export const MAX_CODE_TTL_MINUTES = 7 * 24 * 60;

/** `POST /api/v1/enrollment-codes`. */
export const CodeBody = Type.Object(
  {
    agentIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 })),
    ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CODE_TTL_MINUTES })),
  },
  { additionalProperties: false },
);
export type CodeBody = Static<typeof CodeBody>;

/** `POST /api/v1/devices/enroll`. */
export const EnrollBody = Type.Object(
  {
    code: Type.String({ minLength: 4, maxLength: 40 }),
    deviceName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type EnrollBody = Static<typeof EnrollBody>;

/** `POST /api/v1/enrollment-codes`: the code itself, shown this once. */
export interface NewCodeAnswer {
  id: string;
  code: string;
  expiresAt: string;
}

/** An enrollment code as listed: the code itself is stored only as a hash and never shown again. */
export interface EnrollmentCode {
  id: string;
  /** The only agents the enrolled device may push events of; `null` for any agent. */
  agentIds: string[] | null;
  createdAt: string;
  expiresAt: string;
  /** When a device enrolled with it; `null` while unused. */
  usedAt: string | null;
  /** The device that enrolled with it. */
  deviceId: string | null;
  createdBy: CreatedBy;
}

/** `GET /api/v1/enrollment-codes`. */
export interface CodesAnswer {
  codes: EnrollmentCode[];
}

/** `POST /api/v1/devices/enroll`: the device's token, shown this once. */
export interface EnrollAnswer {
  deviceId: string;
  token: string;
}
