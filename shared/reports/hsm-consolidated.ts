import { countDispatch, type DispatchCounts, emptyCounts } from '../messaging/dispatches.ts';
import { COLUMN, gatherMessaging, isHsm, isHsmMessage, sentInPeriod } from './dispatch-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import type { ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const COUNT_COLUMNS = 2;

function countsRow(counts: DispatchCounts, params: ReportParams, first?: number, last?: number): Row {
  // The period's first and last day; a run over all the data spans its first and last dispatch.
  const start = params.from ?? first ?? null;
  const end = params.to === undefined ? (last ?? null) : params.to - 1;
  return [
    start,
    end,
    counts.total,
    counts.read,
    counts.sent,
    counts.delivered,
    counts.blocked,
    counts.failed,
    counts.replied,
  ];
}

/** HSM consolidated (DESIGN §10): the period's templates sent by agents, counted by the catalog's groups. */
export const hsmConsolidated: ReportDefinition = {
  id: 'hsm-consolidated',
  category: 'messaging',
  title: { en: 'HSM — consolidated', 'pt-BR': 'HSM — consolidado' },
  description: {
    en: 'The templates (HSM) agents sent in the period: how many were sent, delivered, read, blocked, failed and replied.',
    'pt-BR':
      'Os templates (HSM) enviados pelos agentes no período: enviados, entregues, lidos, bloqueados, com falha e respondidos.',
  },
  columns: [
    COLUMN.startDate,
    COLUMN.endDate,
    COLUMN.totalDispatches,
    COLUMN.readDispatches,
    COLUMN.sent,
    COLUMN.delivered,
    COLUMN.blocked,
    COLUMN.failures,
    COLUMN.repliedCount,
  ],
  reads: ['message', 'message_status'],
  filters: [periodFilter(31)],
  partition: 'contact',

  compute(records, params) {
    const data = gatherMessaging(records, isHsmMessage);
    const counts = emptyCounts();
    let first: number | undefined;
    let last: number | undefined;
    for (const dispatch of data.dispatches()) {
      if (!isHsm(dispatch) || !sentInPeriod(dispatch, params)) continue;
      countDispatch(counts, dispatch.status, data.replied(dispatch, 'message'));
      first = Math.min(first ?? dispatch.at, dispatch.at);
      last = Math.max(last ?? dispatch.at, dispatch.at);
    }
    return { columns: hsmConsolidated.columns, rows: [countsRow(counts, params, first, last)] };
  },

  compareRows: rowOrder(0),

  /** Parts split by contact add up: each dispatch and its reply lie in one part. */
  combine(parts: readonly ReportResult[], params: ReportParams): ReportResult {
    const totals = Array.from({ length: hsmConsolidated.columns.length - COUNT_COLUMNS }, () => 0);
    let first: number | undefined;
    let last: number | undefined;
    for (const part of parts) {
      for (const row of part.rows) {
        row.slice(COUNT_COLUMNS).forEach((value, i) => {
          totals[i]! += Number(value ?? 0);
        });
        if (row[COUNT_COLUMNS] !== 0) {
          if (typeof row[0] === 'number') first = Math.min(first ?? row[0], row[0]);
          if (typeof row[1] === 'number') last = Math.max(last ?? row[1], row[1]);
        }
      }
    }
    const row = countsRow(emptyCounts(), params, first, last);
    return { columns: hsmConsolidated.columns, rows: [[row[0]!, row[1]!, ...totals]] as Row[] };
  },
};
