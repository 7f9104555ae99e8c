import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Ajv, { type Options as AjvOptions } from 'ajv';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchemaValidationError,
  type RouteOptions,
} from 'fastify';
import { unstorableProblem } from '../shared/json/storable.ts';
import type { RecordKindName } from '../shared/records/kind.ts';
import { instantProblem, isIsoInstant } from '../shared/time/parse.ts';
import { AccountRecords } from './account-records.ts';
import { type Database, DatabaseUnavailable } from './db/database.ts';
import { Notifier } from './notifier.ts';
import { sharedRateLimitStore } from './rate-limits.ts';
import { adminRoutes, type LocalAdmin } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { clockRoutes } from './routes/clock.ts';
import { deviceRoutes } from './routes/devices.ts';
import { enrollmentRoutes } from './routes/enrollment.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { modelRoutes } from './routes/models.ts';
import { pwaRoutes } from './routes/pwa.ts';
import { reportJobRoutes } from './routes/report-jobs.ts';
import { streamRoutes } from './routes/stream.ts';
import { userRoutes } from './routes/users.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { whatsappWebhookRoutes } from './routes/whatsapp-webhook.ts';
import { type DelivererOptions, WebhookDeliverer } from './webhooks/deliverer.ts';
import { installWebhookTriggers, OWING_KINDS } from './webhooks/triggers.ts';

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
  /** Told of each route as it is added (the fuzz test reaches every route this way). */
  onRoute?: (route: RouteOptions) => void;
  /**
   * How long a pull that reached the end waits for older transactions still running before it
   * answers without the rows committed after them (`PULL_SETTLE_MS` unless given).
   */
  pullSettleMs?: number;
  /** Outbound webhook settings; `start: false` leaves deliveries to a deliverer the caller runs (tests). */
  webhooks?: Omit<DelivererOptions, 'onRecords' | 'log'> & { start?: boolean };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A body field whose array items the route checks and answers for one by one (a push's
     * events): a bad item is refused alone, so the request check leaves the items to the route.
     */
    itemsCheckedAlone?: string;
  }
}

export interface RateLimits {
  login: number;
  enroll: number;
  push: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { login: 10, enroll: 20, push: 600 };

/**
 * Fastify's own Ajv settings (`@fastify/ajv-compiler`), but for coercion, set per part of the
 * request; `verbose` keeps the value on an error, so that a refused instant can say what is wrong.
 */
const AJV_OPTIONS: AjvOptions = {
  useDefaults: true,
  removeAdditional: true,
  addUsedSchema: false,
  allErrors: false, // all errors of a hostile body would be a denial of service
  formats: { instant: isIsoInstant },
  verbose: true,
};

/** Browser extensions call from their own origin; which extension is decided by its token. */
const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/;

/** The HTTP API (DESIGN §7). It stores and relays; it never renders a report. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const app = Fastify({
    logger: options.logger ?? { level: 'info' },
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
    // A `__proto__` key (or `constructor.prototype`) is refused where it is by `refuseUnstorable`
    // below and by the event validator: in one event of a push, only that event is refused. JSON
    // parsing makes it an own property, which changes no prototype by itself.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    schemaErrorFormatter: describeValidationError,
    // A URL Fastify cannot decode (`/users/%zz`) or too long a parameter: the API's answer shape.
    frameworkErrors: (error, _request, reply) => {
      (reply as FastifyReply).code(error.statusCode ?? 400).send({ error: error.message });
    },
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  // A body is never coerced (`{"events": "x"}` is not a batch of one); querystrings and URL
  // parameters are text, read as the numbers their schemas ask for.
  const bodyAjv = new Ajv({ ...AJV_OPTIONS, coerceTypes: false });
  const textAjv = new Ajv({ ...AJV_OPTIONS, coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : textAjv).compile(schema),
  );
  app.addHook('preValidation', async (request, reply) => {
    const problem = unstorableInput(request);
    if (problem !== undefined) return reply.code(400).send({ error: problem });
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
  // On PostgreSQL the counts are in the database, shared by every instance; the embedded database
  // has one instance by construction, which counts in memory (no write per limited request).
  await app.register(rateLimit, {
    global: false,
    ...(db.kind === 'postgres' ? { store: sharedRateLimitStore(db, app.log) } : {}),
  });

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
  const notifier = options.notifier ?? (await Notifier.forDatabase(db, app.log));
  const { start: startDeliveries = true, ...webhookSettings } = options.webhooks ?? {};
  await installWebhookTriggers(db);
  const deliverer = new WebhookDeliverer(db, {
    ...webhookSettings,
    onRecords: (tenantId, kinds) => notifier.notify(tenantId, { kind: 'events', kinds }),
    log: app.log,
  });
  const announceRecords = (tenantId: string, kinds: RecordKindName[]) => {
    notifier.notify(tenantId, { kind: 'events', kinds });
    // Records that may owe webhook deliveries: this instance delivers them at once.
    if (kinds.some((kind) => OWING_KINDS.has(kind))) deliverer.wake();
  };
  // The people and the business numbers reach the reports as records the server writes.
  const accounts = new AccountRecords(db, announceRecords, app.log);
  await accounts.backfill();
  app.addHook('onSend', async (request, reply, payload) => {
    const principal = request.principal;
    if (principal?.userId !== undefined && reply.statusCode < 400)
      await accounts.noteActive(principal.tenantId, principal.userId);
    return payload;
  });
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  authRoutes(app, db, limits.login, accounts);
  enrollmentRoutes(app, db, limits.enroll);
  deviceRoutes(app, db);
  userRoutes(app, db, accounts);
  integrationRoutes(app, db);
  webhookRoutes(app, db);
  if (startDeliveries) app.addHook('onReady', async () => deliverer.start());
  app.addHook('onClose', () => deliverer.stop());
  eventRoutes(app, db, limits.push, announceRecords, options.pullSettleMs);
  whatsappWebhookRoutes(app, db, announceRecords, accounts);
  streamRoutes(app, db, notifier);
  reportJobRoutes(app, db, notifier);
  modelRoutes(app, db, notifier);
  if (options.localAdmin) adminRoutes(app, db, options.localAdmin);
  if (options.serveApp) await pwaRoutes(app);
  return app;
}

/** A validation error as `part.field: what is wrong`, the form of every other answer. */
function describeValidationError(errors: FastifySchemaValidationError[], part: string): Error {
  const [error] = errors;
  const path = `${part}${(error?.instancePath ?? '').replaceAll('/', '.')}`;
  // With Ajv's `verbose`, the value is on the error: an instant says what is wrong with it.
  const value = (error as { data?: unknown } | undefined)?.data;
  if (error?.keyword === 'format' && error.params.format === 'instant' && typeof value === 'string') {
    return new Error(`${path}: ${instantProblem(value)}`);
  }
  return new Error(`${path}: ${error?.message ?? 'is not valid'}`);
}

/**
 * What PostgreSQL would refuse (or silently alter) in a request's URL parameters, querystring or
 * parsed JSON body, as `part.field: what is wrong`: one check for every route, before its schema.
 */
function unstorableInput(request: FastifyRequest): string | undefined {
  const itemsField = request.routeOptions.config.itemsCheckedAlone;
  let body = request.body;
  if (!isParsedJson(body)) body = undefined;
  else if (itemsField && isRecord(body) && Array.isArray(body[itemsField]))
    body = { ...body, [itemsField]: [] };
  return (
    unstorableProblem(request.params, 'params') ??
    unstorableProblem(request.query, 'querystring') ??
    unstorableProblem(body, 'body')
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A body the JSON or text parser made (a file upload's body is its unread stream). */
function isParsedJson(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return true;
  const prototype = Object.getPrototypeOf(body);
  return Array.isArray(body) || prototype === Object.prototype || prototype === null;
}
