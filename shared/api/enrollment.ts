import { type Static, Type } from '@sinclair/typebox';
import type { CreatedBy } from './common.ts';

/** How long a new code enrolls when the request names no time. */
export const DEFAULT_CODE_TTL_MINUTES = 60;
export const MAX_CODE_TTL_MINUTES = 7 * 24 * 60;

/** The most devices one code may enroll, and the most codes one batch makes. */
export const MAX_CODE_USES = 10_000;
export const MAX_CODES_PER_BATCH = 500;

const codeFields = {
  agentIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 1000 })),
  ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CODE_TTL_MINUTES })),
};

/** `POST /api/v1/enrollment-codes`: one code, good for `maxUses` devices (1 when not given). */
export const CodeBody = Type.Object(
  { ...codeFields, maxUses: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CODE_USES })) },
  { additionalProperties: false },
);
export type CodeBody = Static<typeof CodeBody>;

/** `POST /api/v1/enrollment-codes/batch`: `count` single-use codes (one per PC, printed). */
export const CodeBatchBody = Type.Object(
  { ...codeFields, count: Type.Integer({ minimum: 1, maximum: MAX_CODES_PER_BATCH }) },
  { additionalProperties: false },
);
export type CodeBatchBody = Static<typeof CodeBatchBody>;

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
  /** How many devices it enrolls. */
  maxUses: number;
}

/** `POST /api/v1/enrollment-codes/batch`: the codes themselves, shown this once. */
export interface NewCodesAnswer {
  codes: NewCodeAnswer[];
}

/** An enrollment code as listed: the code itself is stored only as a hash and never shown again. */
export interface EnrollmentCode {
  id: string;
  /** The only agents the enrolled device may push events of; `null` for any agent. */
  agentIds: string[] | null;
  createdAt: string;
  expiresAt: string;
  /** When the last device it allows enrolled with it; `null` while it can still enroll one. */
  usedAt: string | null;
  /** The device that enrolled with it last. */
  deviceId: string | null;
  /** How many devices it enrolls, and how many did. */
  maxUses: number;
  uses: number;
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
