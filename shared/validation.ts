import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ValueErrorType } from '@sinclair/typebox/errors';
import { Hash, Value } from '@sinclair/typebox/value';
import { hashString } from './ids/hash.ts';
import { precompiledChecks } from './validation.precompiled.ts';

export interface Checker {
  check(value: unknown): boolean;
  errors(
    value: unknown,
  ): Iterable<{ type: ValueErrorType; path: string; message: string; value: unknown; schema?: TSchema }>;
}

/** The functions TypeBox's generated code calls: custom kinds (none here), formats and hashes. */
export type PrecompiledCheck = (
  kind: (name: string, instance: number, value: unknown) => boolean,
  format: (name: string, value: unknown) => boolean,
  hash: (value: unknown) => bigint,
) => (value: unknown) => boolean;

const schemasGiven: TSchema[] = [];

/** Every schema given to `compileChecker` in this process: what `npm run precompile-checks` compiles. */
export function schemasGivenToCompileChecker(): readonly TSchema[] {
  return schemasGiven;
}

/** A short name for a schema's shape, the same in every process: how a precompiled check is found. */
export function schemaKey(schema: TSchema): string {
  const json = JSON.stringify(schema);
  return `${hashString(json).toString(36)}-${json.length.toString(36)}`;
}

const noCustomKinds = () => false;
const registeredFormat = (name: string, value: unknown) =>
  FormatRegistry.Get(name)?.(value as string) ?? false;

/**
 * A checker for a TypeBox schema. Compiled it is several times faster (a million events in well
 * under a second), but compiling needs `new Function`, which a strict Content Security Policy (the
 * PWA, an MV3 extension) forbids. So the record and event schemas' checks are compiled ahead of
 * time into validation.precompiled.ts (`npm run precompile-checks`; a test fails when it is stale);
 * any other schema is compiled here, or interpreted where the policy forbids it.
 */
export function compileChecker(schema: TSchema): Checker {
  schemasGiven.push(schema);
  const errors = (value: unknown) => Value.Errors(schema, value);
  const precompiled = precompiledChecks[schemaKey(schema)];
  if (precompiled !== undefined) return { check: precompiled(noCustomKinds, registeredFormat, Hash), errors };
  try {
    const compiled = TypeCompiler.Compile(schema);
    return { check: (value) => compiled.Check(value), errors };
  } catch {
    return { check: (value) => Value.Check(schema, value), errors };
  }
}

/** "path: message" of the first problem, for messages a person reads. */
export function firstProblem(checker: Checker, value: unknown): string {
  for (const error of checker.errors(value)) return `${error.path || '/'}: ${error.message}`;
  return 'invalid';
}
