import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IdParams } from '../../shared/api/common.ts';
import {
  CreateJobBody,
  type DownloadLinkAnswer,
  type FileFormat,
  FormatQuery,
  type Job,
  type JobFile,
  type JobFilters,
  type JobStatus,
  type JobsAnswer,
  MAX_FILTERS_BYTES,
  TokenParams,
  UpdateJobBody,
  UploadQuery,
} from '../../shared/api/report-jobs.ts';
import { reportFileName } from '../../shared/files/file-name.ts';
import { uuidv7 } from '../../shared/ids/uuidv7.ts';
import { parseInstantInZone } from '../../shared/time/parse.ts';
import { isValidTimeZone, ZoneClock } from '../../shared/time/zone.ts';
import { type Principal, requireRole } from '../auth/guard.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Notifier } from '../notifier.ts';
import type { SchemaRequest } from './typed.ts';

/** The history keeps this many jobs of each report type per tenant (DESIGN §8). */
export const JOBS_KEPT_PER_REPORT = 7;
/** A shared job's download link is valid this long (DESIGN §8). */
export const DOWNLOAD_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** The largest file one upload may carry. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

interface JobRow {
  id: string;
  report_id: string;
  title: string;
  filters: JobFilters;
  status: JobStatus;
  progress: number;
  error: string | null;
  row_count: number | string | null;
  created_by: string;
  created_by_email: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  files: JobFile[] | string | null;
}

const JOB_SELECT = `
  select j.id, j.report_id, j.title, j.filters, j.status, j.progress, j.error, j.row_count, j.created_by,
         u.email as created_by_email, j.created_at, j.updated_at,
         (select coalesce(json_agg(json_build_object('format', f.format, 'fileName', f.file_name,
                                                     'size', f.size) order by f.format), '[]'::json)
            from report_job_files f where f.job_id = j.id) as files
    from report_jobs j left join users u on u.id = j.created_by`;

function toJob(row: JobRow): Job {
  const files = typeof row.files === 'string' ? (JSON.parse(row.files) as JobFile[]) : (row.files ?? []);
  return {
    id: row.id,
    reportId: row.report_id,
    title: row.title,
    filters: row.filters,
    status: row.status,
    progress: Number(row.progress),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.row_count === null ? {} : { rowCount: Number(row.row_count) }),
    createdBy: { id: row.created_by, email: row.created_by_email ?? '' },
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    files: files.map((file) => ({ ...file, size: Number(file.size) })),
  };
}

async function findJob(db: Queryable, tenantId: string, id: string): Promise<Job | undefined> {
  const [row] = await db.query<JobRow>(`${JOB_SELECT} where j.tenant_id = $1 and j.id = $2`, [tenantId, id]);
  return row && toJob(row);
}

// ---------------------------------------------------------------------------------------------
// Signed download links: HMAC-SHA256 over (job id, format, expiry) with a secret every instance
// on the database shares. The token is the permission: no bearer token is needed to download.

const SECRET_NAME = 'report-download-links';
const TOKEN = /^([A-Za-z0-9-]{1,64})\.(csv|xlsx|pdf)\.([0-9]{1,15})\.([A-Za-z0-9_-]{43})$/;

/** The link-signing secret, made (random, 256 bits) by the first instance that needs it. */
export async function downloadSecret(db: Queryable): Promise<string> {
  await db.query('insert into server_secrets (name, secret) values ($1, $2) on conflict (name) do nothing', [
    SECRET_NAME,
    randomBytes(32).toString('base64url'),
  ]);
  const [row] = await db.query<{ secret: string }>('select secret from server_secrets where name = $1', [
    SECRET_NAME,
  ]);
  return row!.secret;
}

function signature(secret: string, jobId: string, format: FileFormat, expiresAt: number): Buffer {
  return createHmac('sha256', secret)
    .update(`pontual report download\n${jobId}\n${format}\n${expiresAt}`)
    .digest();
}

/** A download token for a job's file, valid until `expiresAt` (Unix milliseconds). */
export function signDownloadToken(
  secret: string,
  jobId: string,
  format: FileFormat,
  expiresAt: number,
): string {
  const sig = signature(secret, jobId, format, expiresAt).toString('base64url');
  return `${jobId}.${format}.${expiresAt}.${sig}`;
}

export type TokenCheck =
  | { ok: true; jobId: string; format: FileFormat }
  | { ok: false; reason: 'invalid' | 'expired'; expiresAt?: number };

/** Whether a token was signed with `secret` (else `invalid`) and is still valid at `now`. */
export function verifyDownloadToken(secret: string, token: string, now = Date.now()): TokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'invalid' };
  const [, jobId, format, expiry, sig] = match as unknown as [string, string, FileFormat, string, string];
  const expiresAt = Number(expiry);
  const given = Buffer.from(sig, 'base64url');
  const expected = signature(secret, jobId, format, expiresAt);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'invalid' };
  }
  if (now >= expiresAt) return { ok: false, reason: 'expired', expiresAt };
  return { ok: true, jobId, format };
}

// ---------------------------------------------------------------------------------------------

/** A path's last part, anything but `A-Z a-z 0-9 . _ -` replaced: a valid, header-safe name everywhere. */
export function safeFileName(name: string, format: FileFormat): string {
  // The last part of a path only: `../../a.csv` is `a.csv`.
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^\.+/, (dots) => '-'.repeat(dots.length))
    .slice(0, 200);
  if (base.replace(/[-.]/g, '') === '') return '';
  return base.toLowerCase().endsWith(`.${format}`) ? base : `${base}.${format}`;
}

/** `<report-id>_<from>_<to>.<ext>` from the job's filters (`from`, `to`, `timeZone` where given). */
function defaultFileName(reportId: string, filters: JobFilters, format: FileFormat): string {
  const timeZone =
    typeof filters.timeZone === 'string' && isValidTimeZone(filters.timeZone) ? filters.timeZone : 'UTC';
  const clock = new ZoneClock(timeZone);
  const instant = (value: unknown) =>
    typeof value === 'string'
      ? parseInstantInZone(value, clock)
      : typeof value === 'number'
        ? value
        : undefined;
  return reportFileName(reportId, instant(filters.from), instant(filters.to), format, timeZone);
}

/** Reads a request body up to `limit` bytes; `undefined` (and stops reading) past it. */
function readBody(stream: Readable, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.off('data', onData);
        stream.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    stream.on('data', onData);
    stream.once('end', () => resolve(Buffer.concat(chunks, size)));
    stream.once('error', reject);
    // A client gone mid-upload: nothing to store (after `end` this changes nothing).
    stream.once('close', () => reject(new Error('the upload was interrupted before the file ended')));
  });
}

function tooLarge(reply: FastifyReply) {
  return reply
    .code(413)
    .header('connection', 'close')
    .send({ error: `a report file may have at most ${MAX_FILE_BYTES / (1024 * 1024)} MB` });
}

const notFound = (reply: FastifyReply) =>
  reply.code(404).send({ error: 'no such report job (it may have been deleted from the history)' });

/** Checks a status and its error message together; the message says what to change. */
function checkState(status: JobStatus, error: string | undefined): string | undefined {
  if (status === 'ERROR' && error === undefined) {
    return 'a job with status ERROR needs an error message a person can act on';
  }
  if (status !== 'ERROR' && error !== undefined) return `error is only for status ERROR, not ${status}`;
  return undefined;
}

/**
 * The shared report history (DESIGN §8): supervisors' browsers run reports, record the jobs here,
 * upload the files they produced and share 24-hour download links. The server never renders a report.
 */
export function reportJobRoutes(root: FastifyInstance, db: Database, notifier: Notifier): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const people = { preHandler: requireRole(db, 'admin', 'supervisor') };
  let secret: Promise<string> | undefined;
  const linkSecret = () => {
    secret ??= downloadSecret(db).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return secret;
  };
  const announce = (tenantId: string, jobId: string, action: 'created' | 'updated' | 'deleted') =>
    notifier.notify(tenantId, { kind: 'report-jobs', jobId, action });
  /** A job of the caller's tenant that the caller started: else 404 (another tenant's) or 403. */
  const ownJob = async (principal: Principal, id: string, reply: FastifyReply, doing: string) => {
    const job = await findJob(db, principal.tenantId, id);
    if (!job) {
      notFound(reply);
      return undefined;
    }
    if (job.createdBy.id !== principal.userId) {
      reply.code(403).send({ error: `only the person who started this job may ${doing} it` });
      return undefined;
    }
    return job;
  };

  app.get('/api/v1/report-jobs', people, async (request) => {
    const rows = await db.query<JobRow>(`${JOB_SELECT} where j.tenant_id = $1 order by j.n desc`, [
      request.principal!.tenantId,
    ]);
    return { jobs: rows.map(toJob) } satisfies JobsAnswer;
  });

  app.get('/api/v1/report-jobs/:id', { ...people, schema: { params: IdParams } }, async (request, reply) => {
    const { id } = request.params;
    return (await findJob(db, request.principal!.tenantId, id)) ?? notFound(reply);
  });

  app.post('/api/v1/report-jobs', { ...people, schema: { body: CreateJobBody } }, async (request, reply) => {
    const principal = request.principal!;
    const { body } = request;
    const filters = JSON.stringify(body.filters);
    if (Buffer.byteLength(filters) > MAX_FILTERS_BYTES) {
      return reply.code(400).send({ error: `filters may have at most ${MAX_FILTERS_BYTES} bytes as JSON` });
    }
    const problem = checkState(body.status, body.error);
    if (problem) return reply.code(400).send({ error: problem });
    const id = uuidv7();
    const progress = body.progress ?? (body.status === 'READY' ? 1 : 0);
    const { job, deleted } = await db.transaction(async (tx) => {
      // One creation at a time per tenant and report type, so the retention counts right.
      await tx.query('select pg_advisory_xact_lock(7426002, hashtext($1))', [
        `${principal.tenantId}/${body.reportId}`,
      ]);
      await tx.query(
        `insert into report_jobs (id, tenant_id, report_id, title, filters, status, progress, error, created_by)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)`,
        [
          id,
          principal.tenantId,
          body.reportId,
          body.title ?? body.reportId,
          filters,
          body.status,
          progress,
          body.error ?? null,
          principal.userId,
        ],
      );
      const deleted = await tx.query<{ id: string }>(
        `delete from report_jobs where id in (
           select id from report_jobs where tenant_id = $1 and report_id = $2
            order by n desc offset $3)
         returning id`,
        [principal.tenantId, body.reportId, JOBS_KEPT_PER_REPORT],
      );
      return { job: (await findJob(tx, principal.tenantId, id))!, deleted: deleted.map((row) => row.id) };
    });
    announce(principal.tenantId, id, 'created');
    for (const old of deleted) announce(principal.tenantId, old, 'deleted');
    return reply.code(201).send(job);
  });

  const updateRoute = { ...people, schema: { params: IdParams, body: UpdateJobBody } };
  const update = async (request: SchemaRequest<typeof updateRoute.schema>, reply: FastifyReply) => {
    const principal = request.principal!;
    const { id } = request.params;
    const { body } = request;
    const job = await ownJob(principal, id, reply, 'update');
    if (!job) return reply;
    const status = body.status ?? job.status;
    if (job.status !== 'PROCESSING' && status === 'PROCESSING') {
      return reply
        .code(409)
        .send({ error: `this job has finished (${job.status}); start a new job to run the report again` });
    }
    const error = status === 'ERROR' ? (body.error ?? job.error) : body.error;
    const problem = checkState(status, error);
    if (problem) return reply.code(400).send({ error: problem });
    const progress = body.progress ?? (status === 'READY' ? 1 : job.progress);
    const rowCount = body.rowCount ?? job.rowCount;
    const [row] = await db.query<{ id: string }>(
      `update report_jobs set title = $3, status = $4, progress = $5, error = $6, row_count = $7, updated_at = now()
        where tenant_id = $1 and id = $2 returning id`,
      [principal.tenantId, id, body.title ?? job.title, status, progress, error ?? null, rowCount ?? null],
    );
    if (!row) return notFound(reply);
    announce(principal.tenantId, id, 'updated');
    return (await findJob(db, principal.tenantId, id)) ?? notFound(reply);
  };
  app.patch('/api/v1/report-jobs/:id', updateRoute, update);
  // The same for clients that can only POST (a cross-origin page whose preflight allows GET and POST).
  app.post('/api/v1/report-jobs/:id', updateRoute, update);

  app.delete(
    '/api/v1/report-jobs/:id',
    { ...people, schema: { params: IdParams } },
    async (request, reply) => {
      const principal = request.principal!;
      const { id } = request.params;
      // Only its owner: a shared job is a teammate's work, whatever the role (admins included).
      const job = await ownJob(principal, id, reply, 'delete');
      if (!job) return reply;
      const deleted = await db.query(
        'delete from report_jobs where tenant_id = $1 and id = $2 returning id',
        [principal.tenantId, id],
      );
      if (deleted.length === 0) return notFound(reply);
      announce(principal.tenantId, id, 'deleted');
      return reply.code(204).send();
    },
  );

  // The file upload reads the raw body itself, whatever its content type, after the caller is
  // known: its own context has a parser that hands the request stream through unread.
  app.register(async (scope) => {
    const files = scope.withTypeProvider<TypeBoxTypeProvider>();
    files.removeAllContentTypeParsers();
    files.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    files.put(
      '/api/v1/report-jobs/:id/file',
      { ...people, schema: { params: IdParams, querystring: UploadQuery } },
      async (request, reply) => {
        const principal = request.principal!;
        const { id } = request.params;
        const { format, fileName } = request.query;
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > MAX_FILE_BYTES) return tooLarge(reply);
        const job = await ownJob(principal, id, reply, 'upload files to');
        if (!job) return reply;
        const content =
          request.body === undefined
            ? Buffer.alloc(0)
            : await readBody(request.body as Readable, MAX_FILE_BYTES); // the raw stream, on purpose (see above)
        if (content === undefined) return tooLarge(reply);
        if (content.length === 0)
          return reply.code(400).send({ error: 'the file is empty: send its bytes as the body' });
        const name =
          (fileName === undefined ? '' : safeFileName(fileName, format)) ||
          defaultFileName(job.reportId, job.filters, format);
        const stored = await db.transaction(async (tx) => {
          const [row] = await tx.query<{ id: string }>(
            'update report_jobs set updated_at = now() where tenant_id = $1 and id = $2 returning id',
            [principal.tenantId, id],
          );
          if (!row) return false;
          await tx.query(
            `insert into report_job_files (job_id, format, file_name, size, content) values ($1, $2, $3, $4, $5)
             on conflict (job_id, format) do update
               set file_name = excluded.file_name, size = excluded.size, content = excluded.content,
                   uploaded_at = now()`,
            [id, format, name, content.length, content],
          );
          return true;
        });
        if (!stored) return notFound(reply);
        announce(principal.tenantId, id, 'updated');
        return (await findJob(db, principal.tenantId, id)) ?? notFound(reply);
      },
    );
  });

  app.get(
    '/api/v1/report-jobs/:id/download-link',
    { ...people, schema: { params: IdParams, querystring: FormatQuery } },
    async (request, reply) => {
      const principal = request.principal!;
      const { id } = request.params;
      const { format } = request.query;
      const job = await findJob(db, principal.tenantId, id);
      if (!job) return notFound(reply);
      if (!job.files.some((file) => file.format === format)) {
        return reply.code(404).send({ error: `this job has no ${format} file yet` });
      }
      const expiresAt = Date.now() + DOWNLOAD_LINK_TTL_MS;
      const token = signDownloadToken(await linkSecret(), id, format, expiresAt);
      return {
        url: `/api/v1/report-jobs/download/${token}`,
        expiresAt: new Date(expiresAt).toISOString(),
      } satisfies DownloadLinkAnswer;
    },
  );

  app.get(
    '/api/v1/report-jobs/download/:token',
    { schema: { params: TokenParams } },
    async (request, reply) => {
      const { token } = request.params;
      const check = verifyDownloadToken(await linkSecret(), token);
      if (!check.ok && check.reason === 'expired') {
        return reply.code(410).send({
          error: `this download link expired at ${new Date(check.expiresAt!).toISOString()}; ask for a new link from the report history`,
        });
      }
      if (!check.ok)
        return reply.code(403).send({ error: 'this download link is not valid (it may have been altered)' });
      const [file] = await db.query<{ file_name: string; content: Uint8Array }>(
        'select file_name, content from report_job_files where job_id = $1 and format = $2',
        [check.jobId, check.format],
      );
      if (!file) {
        return reply.code(404).send({
          error: 'this report is no longer in the history (only the last 7 of each report are kept)',
        });
      }
      const bytes = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
      return reply
        .header('content-type', CONTENT_TYPES[check.format])
        .header('content-disposition', `attachment; filename="${file.file_name}"`)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );
}
