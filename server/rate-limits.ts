import type {
  FastifyRateLimitOptions,
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
} from '@fastify/rate-limit';
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import type { FastifyBaseLogger } from 'fastify';
import { hashToken } from './auth/tokens.ts';
import type { Database } from './db/database.ts';

type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * One request counted in the route's window for `key`, in one statement: a new window starts
 * when the last one is over. The upsert locks the row, so concurrent requests from any instance
 * are counted one after the other and exactly `max` of them see a count ≤ `max`. The database's
 * clock times every window, so the instances' clocks need not agree.
 */
const COUNT = `
  insert into rate_limits as limits (route, key, window_start, count) values ($1, $2, now(), 1)
  on conflict (route, key) do update set
    window_start = case when limits.window_start <= now() - $3::float8 * interval '1 millisecond'
                        then now() else limits.window_start end,
    count = case when limits.window_start <= now() - $3::float8 * interval '1 millisecond'
                 then 1 else limits.count + 1 end
  returning count,
    greatest(0, extract(epoch from limits.window_start + $3::float8 * interval '1 millisecond' - now()) * 1000)::float8
      as ttl`;

/** Windows that ended are deleted by each instance at most this often (per route). */
const PRUNE_EVERY_MS = 60_000;

/**
 * The rate-limit store for PostgreSQL (`DATABASE_URL`): the counts are kept in the `rate_limits`
 * table, so every instance behind a load balancer counts against the same limit (10 sign-ins a
 * minute per address in all, not per instance). Fixed windows only (no `continueExceeding` or
 * `exponentialBackoff`), which is all the routes use.
 *
 * When the table cannot be reached (the database is down or restarting), the request is counted
 * by this instance alone, as before shared limits existed, and goes on: the route then answers as
 * it does without a database (503, try again), and the limits never vanish — each instance still
 * allows at most the route's limit while the database is away. Refusing the request here instead
 * would turn a limiter problem into an outage of sign-in and push.
 */
export function sharedRateLimitStore(db: Database, log: FastifyBaseLogger): FastifyRateLimitStoreCtor {
  /** Whether the last count failed: the fallback is logged when it starts and when it ends. */
  let degraded = false;

  class SharedStore implements FastifyRateLimitStore {
    private lastPrune = Date.now();
    private readonly fallback: FastifyRateLimitStore;

    constructor(
      _options: FastifyRateLimitOptions,
      private readonly route = '',
    ) {
      this.fallback = new LocalStore(false, false);
    }

    incr(key: string, callback: IncrCallback, timeWindow: number, max: number): void {
      // Keys are addresses or, for pushes, the caller's bearer token: tokens are stored only as
      // hashes (DESIGN §7), so every key is.
      db.query<{ count: number; ttl: number }>(COUNT, [this.route, hashToken(key), timeWindow]).then(
        ([row]) => {
          if (degraded) log.info('rate limits are shared by the instances again');
          degraded = false;
          callback(null, { current: row!.count, ttl: Math.round(row!.ttl) });
          this.prune(timeWindow);
        },
        (error: Error) => {
          if (!degraded)
            log.warn(
              `rate limits are counted by this instance alone until the database answers: ${error.message}`,
            );
          degraded = true;
          this.fallback.incr(key, callback, timeWindow, max);
        },
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // At run time the plugin passes the route's merged settings, its route under `routeInfo`.
      const { routeInfo } = routeOptions as unknown as { routeInfo: { method?: string; url?: string } };
      return new SharedStore(routeOptions as FastifyRateLimitOptions, `${routeInfo.method} ${routeInfo.url}`);
    }

    /** Deletes this route's ended windows, now and then: one row per client would otherwise stay. */
    private prune(timeWindow: number): void {
      if (Date.now() - this.lastPrune < Math.max(PRUNE_EVERY_MS, timeWindow)) return;
      this.lastPrune = Date.now();
      db.query(
        `delete from rate_limits where route = $1 and window_start <= now() - $2::float8 * interval '1 millisecond'`,
        [this.route, timeWindow],
      ).catch((error: Error) => log.warn(`could not delete ended rate-limit windows: ${error.message}`));
    }
  }
  return SharedStore;
}
