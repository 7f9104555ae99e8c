import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { isIsoInstant } from '../shared/time/parse.ts';
import { type Database, DatabaseUnavailable } from './db/database.ts';
import { Notifier } from './notifier.ts';
import { adminRoutes, type LocalAdmin } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { clockRoutes } from './routes/clock.ts';
import { deviceRoutes } from './routes/devices.ts';
import { enrollmentRoutes } from './routes/enrollment.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { pwaRoutes } from './routes/pwa.ts';
import { reportJobRoutes } from './routes/report-jobs.ts';
import { streamRoutes } from './routes/stream.ts';
import { userRoutes } from './routes/users.ts';

export interface AppOptions {
  db: Database;
  /** Pino logger settings; `false` for none (tests). */
  logger?: boolean | { level: string };
  /** Origins allowed to call the API from a browser besides the server's own (the PWA). */
  corsOrigins?: string[];
  /** Largest request body, in bytes. */
  bodyLimit?: number;
  /** Lets the local `pontual admin` command reach this server (embedded database only). */
  localAdmin?: LocalAdmin;
  /** Where changes are announced to event streams (one per process unless given). */
  notifier?: Notifier;
  /** Serve the supervisors' app (`dist/pwa`) on this origin; off in API-only tests. */
  serveApp?: boolean;
  /** Requests per minute and client: sign-ins and enrollments per address, pushes per device. */
  rateLimits?: Partial<RateLimits>;
}

export interface RateLimits {
  login: number;
  enroll: number;
  push: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { login: 10, enroll: 20, push: 600 };

/** Browser extensions call from their own origin; which extension is decided by its token. */
const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/;

/** The HTTP API (DESIGN §7). It stores and relays; it never renders a report. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const app = Fastify({
    logger: options.logger ?? { level: 'info' },
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    ajv: { customOptions: { formats: { instant: isIsoInstant } } },
  });

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cors, {
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    origin: (origin, callback) => {
      const allowed =
        origin === undefined || EXTENSION_ORIGIN.test(origin) || (options.corsOrigins ?? []).includes(origin);
      callback(null, allowed);
    },
  });
  // Limits are set per route (login, enrollment, push); `global: false` leaves the rest alone.
  await app.register(rateLimit, { global: false });

  app.setErrorHandler(
    (error: Error & { statusCode?: number; code?: string; validation?: unknown }, _request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply
          .code(413)
          .send({ error: `the request body is larger than ${app.initialConfig.bodyLimit} bytes` });
      }
      if (error instanceof DatabaseUnavailable) {
        reply.log.warn(`${error.message}: ${(error.cause as Error).message}`);
        return reply.code(503).send({ error: error.message });
      }
      const status = error.statusCode ?? 500;
      if (status >= 500) {
        reply.log.error(error);
        return reply.code(500).send({ error: 'something went wrong on the server; try again' });
      }
      return reply.code(status).send({ error: error.message });
    },
  );

  healthRoutes(app, db);
  clockRoutes(app);
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  authRoutes(app, db, limits.login);
  enrollmentRoutes(app, db, limits.enroll);
  deviceRoutes(app, db);
  userRoutes(app, db);
  const notifier = options.notifier ?? (await Notifier.forDatabase(db, app.log));
  eventRoutes(app, db, limits.push, (tenantId) => notifier.notify(tenantId, { kind: 'events' }));
  streamRoutes(app, db, notifier);
  reportJobRoutes(app, db, notifier);
  if (options.localAdmin) adminRoutes(app, db, options.localAdmin);
  if (options.serveApp) await pwaRoutes(app);
  return app;
}
