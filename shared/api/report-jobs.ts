import { type Static, Type } from '@sinclair/typebox';
import type { ReportFilters } from '../reports/filters.ts';
import { nextDate } from '../reports/filters.ts';
import type { CreatedBy } from './common.ts';

/** The largest `filters` object, as JSON. */
export const MAX_FILTERS_BYTES = 16 * 1024;

export const FILE_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
export const JOB_STATUSES = ['PROCESSING', 'READY', 'ERROR'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * A job's filters, as the history shows them and the server reads them: the server keeps the
 * object as given and reads only `from` and `to` (the period, local dates or instants in
 * `timeZone`, `to` excluded) to name a file uploaded without a name. The app saves its form
 * (`ReportFilters`: `fromDate`/`toDate`, both included) with them, for the history's line.
 */
export type JobFilters = Partial<ReportFilters> & { from?: string; to?: string };

/** The filters a job records for the app's form: the form itself, and its period as the server reads it. */
export function jobFilters(filters: ReportFilters): JobFilters {
  return { ...filters, from: filters.fromDate, to: nextDate(filters.toDate) ?? filters.toDate };
}

export interface JobFile {
  format: FileFormat;
  fileName: string;
  size: number;
}

/** A report run in the tenant's shared history, as the API returns it. */
export interface Job {
  id: string;
  reportId: string;
  title: string;
  filters: JobFilters;
  status: JobStatus;
  progress: number;
  error?: string;
  /** The rows the files hold, once the browser that ran it said so. */
  rowCount?: number;
  createdBy: CreatedBy;
  createdAt: string;
  updatedAt: string;
  files: JobFile[];
}

/** `GET /api/v1/report-jobs`, newest first. */
export interface JobsAnswer {
  jobs: Job[];
}

/** `GET /api/v1/report-jobs/:id/download-link`: a link anyone may use for 24 hours. */
export interface DownloadLinkAnswer {
  url: string;
  expiresAt: string;
}

const status = Type.Unsafe<JobStatus>({ type: 'string', enum: [...JOB_STATUSES] });
const format = Type.Unsafe<FileFormat>({ type: 'string', enum: [...FILE_FORMATS] });
const progress = Type.Number({ minimum: 0, maximum: 1 });
const error = Type.String({ minLength: 1, maxLength: 2000 });
const title = Type.String({ minLength: 1, maxLength: 200 });

/** `POST /api/v1/report-jobs`. */
export const CreateJobBody = Type.Object(
  {
    reportId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }),
    title: Type.Optional(title),
    // Any object: the server reads none of it but the period (see `JobFilters`).
    filters: Type.Unsafe<Record<string, unknown>>(
      Type.Object({}, { additionalProperties: true, maxProperties: 100 }),
    ),
    status,
    progress: Type.Optional(progress),
    error: Type.Optional(error),
  },
  { additionalProperties: false },
);
export type CreateJobBody = Static<typeof CreateJobBody>;

/** `PATCH /api/v1/report-jobs/:id` (or `POST`, for clients that can only POST). */
export const UpdateJobBody = Type.Object(
  {
    title: Type.Optional(title),
    status: Type.Optional(status),
    progress: Type.Optional(progress),
    error: Type.Optional(error),
    rowCount: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateJobBody = Static<typeof UpdateJobBody>;

/** `GET /api/v1/report-jobs/:id/download-link`. */
export const FormatQuery = Type.Object({ format });
export type FormatQuery = Static<typeof FormatQuery>;

/** `PUT /api/v1/report-jobs/:id/file` (the body is the file's bytes). */
export const UploadQuery = Type.Object({
  format,
  /** The name to download the file as; sanitized. Default `<report-id>_<from>_<to>.<ext>` from the filters. */
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
});
export type UploadQuery = Static<typeof UploadQuery>;

/** `GET /api/v1/report-jobs/download/:token`. */
export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 300 }) });
export type TokenParams = Static<typeof TokenParams>;
