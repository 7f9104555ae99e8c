import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from './db/database.ts';
import { openPostgres } from './db/postgres.ts';
import { type Change, MAX_WAITING_RELAYS, Notifier } from './notifier.ts';
import { freshPostgres } from './testing/databases.ts';

describe('the notifier on PostgreSQL, when the database does not answer', () => {
  const opened: Database[] = [];
  afterAll(async () => {
    for (const db of opened) await db.close();
  });

  it("tells this instance's streams at once, and keeps a bounded queue for the other instances", async () => {
    const { db: other, url } = await freshPostgres();
    // One connection, held by a transaction below: the relay waits as it would for a stuck database.
    const held = await openPostgres(url, 1);
    opened.push(other, held);
    const here = await Notifier.forDatabase(held);
    const there = await Notifier.forDatabase(other);
    const heardHere: Change[] = [];
    const heardThere: Change[] = [];
    here.subscribe('tenant', (change) => heardHere.push(change));
    there.subscribe('tenant', (change) => heardThere.push(change));

    let release = () => {};
    let holding: Promise<void> = Promise.resolve();
    await new Promise<void>((began) => {
      holding = held.transaction(
        () =>
          new Promise<void>((resolve) => {
            release = resolve;
            began();
          }),
      );
    });
    const jobs = MAX_WAITING_RELAYS + 500;
    for (let i = 0; i < jobs; i++)
      here.notify('tenant', { kind: 'report-jobs', jobId: `job-${i}`, action: 'updated' });
    for (let i = 0; i < 100; i++) here.notify('tenant', { kind: 'events' });
    expect(heardHere).toHaveLength(jobs + 100);
    expect(heardThere).toHaveLength(0);

    release();
    await holding;
    await expect.poll(() => heardThere.at(-1), { timeout: 10_000 }).toEqual({ kind: 'events' });
    const relayedJobs = heardThere.flatMap((change) => (change.kind === 'report-jobs' ? [change.jobId] : []));
    // Past the bound, what waited was replaced by one resync; what came after still went through.
    expect(relayedJobs.length).toBeLessThanOrEqual(MAX_WAITING_RELAYS + 1);
    expect(relayedJobs.at(-1)).toBe(`job-${jobs - 1}`);
    const resync = heardThere.findIndex((change) => change.kind === 'resync');
    expect(heardThere.filter((change) => change.kind === 'resync')).toHaveLength(1);
    expect(heardThere.slice(resync + 1).filter((change) => change.kind === 'report-jobs')).not.toHaveLength(
      0,
    );
    // The same announcement waiting a hundred times is relayed once.
    expect(heardThere.filter((change) => change.kind === 'events')).toHaveLength(1);
    // Its own announcements, back through LISTEN, are not told twice.
    expect(heardHere).toHaveLength(jobs + 100);
  });
});
