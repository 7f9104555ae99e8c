import { describe, expect, it } from 'vitest';
import { VERSION_HOLD_WHILE_SYNCING_MS, versionReleaseAt } from './result-count.ts';

describe('the data version counts and local choices work from', () => {
  const now = 1_000_000;
  it('follows the data at once when no sync runs, and not at all when nothing changed', () => {
    expect(versionReleaseAt('message:9|0', 'message:5|0', now - 1, false, now)).toBe(now);
    expect(versionReleaseAt('message:5|0', 'message:5|0', 0, true, now)).toBeUndefined();
  });
  it('changes at most once per hold while a sync stores page after page', () => {
    // Taken just now: the next change waits out the hold.
    expect(versionReleaseAt('message:9|0', 'message:5|0', now - 1_000, true, now)).toBe(
      now - 1_000 + VERSION_HOLD_WHILE_SYNCING_MS,
    );
    // Held longer than that already: at once.
    expect(
      versionReleaseAt('message:9|0', 'message:5|0', now - VERSION_HOLD_WHILE_SYNCING_MS - 1, true, now),
    ).toBe(now);
  });
});
