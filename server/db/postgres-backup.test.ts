import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../cli/user-error.ts';
import { findPostgresTool, shownUrl } from './postgres-backup.ts';

const dir = mkdtempSync(join(tmpdir(), 'pontual-pg-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(path: string, mode: number): string {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, '#!/bin/sh\n', { mode });
  return full;
}

describe('findPostgresTool', () => {
  it('takes the one on PATH first, skipping files that cannot run', () => {
    file('a/pg_dump', 0o644);
    const onPath = file('b/pg_dump', 0o755);
    file('versions/15/bin/pg_dump', 0o755);
    expect(findPostgresTool('pg_dump', `${join(dir, 'a')}:${join(dir, 'b')}`, join(dir, 'versions'))).toBe(
      onPath,
    );
  });

  it('else the newest version’s in the versions folder', () => {
    file('versions/9.6/bin/pg_restore', 0o755);
    const newest = file('versions/15/bin/pg_restore', 0o755);
    file('versions/13/bin/pg_restore', 0o755);
    expect(findPostgresTool('pg_restore', join(dir, 'a'), join(dir, 'versions'))).toBe(newest);
  });

  it('says where it looked and what to install when there is none', () => {
    const find = () => findPostgresTool('pg_dump', join(dir, 'a'), join(dir, 'none'));
    expect(find).toThrow(UserError);
    expect(find).toThrow(
      `pg_dump is needed to back up a PostgreSQL database and was found neither on PATH nor in ${join(dir, 'none')}/*/bin: ` +
        "install PostgreSQL's client programs (Debian, Ubuntu: apt-get install postgresql-client) at least as new as the server",
    );
  });
});

describe('shownUrl', () => {
  it('never shows the password', () => {
    expect(shownUrl('postgres://ana:s3cret@db.example.com:5432/pontual?sslmode=require')).toBe(
      'postgres://ana:***@db.example.com:5432/pontual?sslmode=require',
    );
    expect(shownUrl('host=db password=s3cret')).toBe('DATABASE_URL');
  });
});
