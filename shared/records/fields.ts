import { type TSchema, Type } from '@sinclair/typebox';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { type StorableOptions, unstorableProblem } from '../json/storable.ts';
import { instantProblem } from '../time/parse.ts';
import { type Checker, compileChecker } from '../validation.ts';
import type { RecordCheck } from './kind.ts';

// The schema pieces the messaging records share (DESIGN §9). `instant` is registered as a
// TypeBox format by the activity event schema, which every kind's registry imports.

export const recordId = Type.String({ minLength: 1, maxLength: 128 });
export const instant = Type.String({ format: 'instant' });
/** A short free text: an id, a name, a number. */
export const text = (maxLength = 256) => Type.String({ maxLength });
/** A required short text that may not be empty. */
export const key = (maxLength = 256) => Type.String({ minLength: 1, maxLength });
/** A phone number as the catalog stores it: digits only. */
export const digits = Type.String({ pattern: '^[0-9]{1,20}$' });
export const oneOf = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((value) => Type.Literal(value)));

/**
 * A validator for one record type's schema whose messages name the field and say what is wrong
 * (`status: must be one of …`), the first problem of each field, at most three: enough to fix
 * the producer. It also refuses what cannot be stored as sent (see `unstorableProblem`).
 */
export function recordValidator<R>(
  schema: TSchema,
): (value: object, options?: StorableOptions) => RecordCheck<R> {
  const checker: Checker = compileChecker(schema);
  return (value, options) => {
    const unstorable = unstorableProblem(value, '', options);
    if (checker.check(value))
      return unstorable === undefined ? { ok: true, record: value as R } : { ok: false, error: unstorable };
    const problems = new Map<string, string>();
    for (const error of checker.errors(value)) {
      if (!problems.has(error.path)) problems.set(error.path, describeProblem(error));
      if (problems.size === 3) break;
    }
    if (unstorable !== undefined && problems.size < 3) problems.set('#unstorable', unstorable);
    return { ok: false, error: [...problems.values()].join('; ') };
  };
}

function describeProblem(error: {
  type: ValueErrorType;
  path: string;
  message: string;
  value: unknown;
  schema?: TSchema;
}): string {
  const field = error.path.slice(1).replaceAll('/', '.');
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${field}: is required`;
    case ValueErrorType.StringFormat:
      return `${field}: ${instantProblem(String(error.value))}`;
    case ValueErrorType.StringMinLength:
      return `${field}: must not be empty`;
    case ValueErrorType.StringPattern:
      return `${field}: must be digits only (country and area code, no + or spaces)`;
    case ValueErrorType.Union: {
      const allowed = (error.schema?.anyOf as { const?: unknown }[] | undefined)?.map(
        (option) => option.const,
      );
      if (allowed?.every((value) => typeof value === 'string'))
        return `${field}: must be one of ${allowed.join(', ')}`;
      return `${field}: ${error.message}`;
    }
    default:
      return `${field}: ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`;
  }
}
