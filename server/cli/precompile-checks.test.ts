import { readFileSync } from 'node:fs';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { describe, expect, it } from 'vitest';
import { RECORD_KINDS } from '../../shared/records/registry.ts';
import { precompiledChecks } from '../../shared/validation.precompiled.ts';
import { schemaKey, schemasGivenToCompileChecker } from '../../shared/validation.ts';
import { PRECOMPILED_PATH, precompiledChecksSource } from './precompile-checks.ts';

describe('precompiled checks', () => {
  it('are current: shared/validation.precompiled.ts is what `npm run precompile-checks` writes now', async () => {
    const written = readFileSync(PRECOMPILED_PATH, 'utf8');
    // A schema changed without regenerating: run `npm run precompile-checks`.
    expect(written).toBe(await precompiledChecksSource());
  });

  it('cover every record kind, and judge as the compiler does', async () => {
    await precompiledChecksSource();
    const schemas = schemasGivenToCompileChecker();
    expect(schemas.length).toBeGreaterThanOrEqual(RECORD_KINDS.length);
    const message = {
      id: 'm-1',
      type: 'message',
      at: '2026-03-10T12:00:00.000Z',
      messageId: 'wamid.1',
      direction: 'MT',
      channel: 'whatsapp',
      business: '5511900000000',
      contact: '5511987654321',
      contentType: 'template',
      sentAt: '2026-03-10T12:00:00.000Z',
    };
    const samples: unknown[] = [
      message,
      { ...message, at: 'yesterday' },
      { ...message, contact: '+55 11' },
      { ...message, direction: 'sideways' },
      { id: 'e-1', type: 'login', at: '2026-03-10T12:00:00.000Z' },
      null,
      [],
      'text',
    ];
    let agreedOnValid = 0;
    for (const schema of schemas) {
      const factory = precompiledChecks[schemaKey(schema)];
      expect(factory, JSON.stringify(schema).slice(0, 80)).toBeDefined();
      const precompiled = factory!(
        () => false,
        (name, value) => (name === 'instant' ? !Number.isNaN(Date.parse(String(value))) : false),
        () => 0n,
      );
      const compiled = TypeCompiler.Compile(schema);
      for (const sample of samples) {
        expect(precompiled(sample)).toBe(compiled.Check(sample));
        if (compiled.Check(sample)) agreedOnValid++;
      }
    }
    // The message sample is valid for the message schema: the comparison saw a passing record.
    expect(agreedOnValid).toBeGreaterThan(0);
  });
});
