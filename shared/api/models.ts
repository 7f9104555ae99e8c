import { type Static, Type } from '@sinclair/typebox';
import { RELATIVE_PERIODS } from '../reports/filters.ts';
import type { CreatedBy } from './common.ts';

/**
 * A report's filters as a model keeps them (`ReportFilters` in shared/reports/filters.ts): the
 * same fields, checked at the door so a teammate's app never applies a malformed model.
 */
const ModelFilters = Type.Object(
  {
    fromDate: Type.String({ maxLength: 10 }),
    toDate: Type.String({ maxLength: 10 }),
    /** A named period ("today"): the dates are resolved whenever the model is applied. */
    period: Type.Optional(Type.Union(RELATIVE_PERIODS.map((period) => Type.Literal(period)))),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    locale: Type.Union([Type.Literal('en'), Type.Literal('pt-BR')]),
    splitDays: Type.Boolean(),
    deviceTime: Type.Optional(Type.Boolean()),
    agentIds: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 5_000 }),
    options: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 1_024 }), { maxProperties: 50 }),
    ),
    hiddenColumns: Type.Array(Type.String({ maxLength: 128 }), { maxItems: 200 }),
    formats: Type.Array(Type.Union([Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('pdf')]), {
      maxItems: 3,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);

/** `POST /api/v1/models` and `PUT /api/v1/models/:id`. */
export const ModelBody = Type.Object(
  {
    reportId: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    filters: ModelFilters,
    /** Kept as "the last N days" (moves with the calendar) instead of the saved dates. */
    relativeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 400 })),
  },
  { additionalProperties: false },
);
export type ModelBody = Static<typeof ModelBody>;

/** A saved search shared with the tenant's team. */
export interface SharedModel extends ModelBody {
  id: string;
  createdBy: CreatedBy;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/v1/models`: every shared model of the tenant, by report, then name. */
export interface ModelsAnswer {
  models: SharedModel[];
}

/** `POST` (201), `PUT` and `DELETE /api/v1/models/:id`. */
export interface ModelAnswer {
  model: SharedModel;
}
