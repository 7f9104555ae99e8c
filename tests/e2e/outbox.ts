import type { Page } from '@playwright/test';
import type { StoredEvent } from '../../extension/capture/store.ts';
import type { ActivityEvent } from '../../shared/events/schema.ts';
import { expect } from './fixtures.ts';
import type { ServerProcess } from './server-process.ts';

export type PulledEvent = ActivityEvent & { clockOffsetMs: number };

/** Every event of the tenant, through the supervisors' pull API. */
export async function pullAll(server: ServerProcess, token: string): Promise<PulledEvent[]> {
  const events: PulledEvent[] = [];
  let cursor = '0';
  for (;;) {
    const page = await server.call<{ events: PulledEvent[]; cursor: string; hasMore: boolean }>(
      'GET',
      `/api/v1/events/pull?cursor=${cursor}&limit=5000`,
      { token },
    );
    expect(page.status).toBe(200);
    events.push(...page.body.events);
    cursor = page.body.cursor;
    if (!page.body.hasMore) return events;
  }
}

/**
 * The extension's sync bookkeeping, read from its IndexedDB on an extension page: how many events
 * wait, are synced and are set aside (`marks`), the meta table, and the events set aside.
 */
export function readOutbox(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ marks: number[]; meta: Record<string, unknown>; setAside: StoredEvent[] }>(
        (resolve, reject) => {
          const open = indexedDB.open('pontual-capture');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction(['events', 'meta']);
            const events = tx.objectStore('events').getAll();
            const meta = tx.objectStore('meta').getAll();
            tx.oncomplete = () => {
              const marks = [0, 0, 0];
              for (const event of events.result as { synced: number }[]) marks[event.synced]!++;
              const values = Object.fromEntries(
                (meta.result as { key: string; value: unknown }[]).map((row) => [row.key, row.value]),
              );
              const setAside = (events.result as StoredEvent[]).filter((event) => event.synced === 2);
              open.result.close();
              resolve({ marks, meta: values, setAside });
            };
            tx.onerror = () => reject(tx.error);
          };
        },
      ),
  );
}
