import {
  COLUMN,
  gatherMessaging,
  isHsm,
  isHsmMessage,
  sentInPeriod,
  statusLabel,
  yesNo,
} from './dispatch-cells.ts';
import { periodFilter } from './filter-schema.ts';
import { rowOrder } from './order.ts';
import type { ReportDefinition, Row } from './types.ts';

const SEND_DATE = 2;
const NUMBER = 0;

/** HSM detailed (DESIGN §10): each template an agent sent, with its status and whether it was answered. */
export const hsmDetailed: ReportDefinition = {
  id: 'hsm-detailed',
  category: 'messaging',
  title: { en: 'HSM — detailed', 'pt-BR': 'HSM — detalhado' },
  description: {
    en: 'One row per template (HSM) sent by an agent: its status, when it was decided, and whether the contact replied within 24 h.',
    'pt-BR':
      'Uma linha por template (HSM) enviado por um agente: status, quando foi definido e se o contato respondeu em até 24 h.',
  },
  columns: [
    COLUMN.number,
    COLUMN.document,
    COLUMN.sendDate,
    COLUMN.status,
    COLUMN.statusDate,
    COLUMN.message,
    COLUMN.templateId,
    COLUMN.templateName,
    COLUMN.replied,
  ],
  reads: ['message', 'message_status'],
  filters: [periodFilter(31)],
  // The reply rule needs each contact's messages together.
  partition: 'contact',

  compute(records, params) {
    const data = gatherMessaging(records, isHsmMessage);
    const rows: Row[] = [];
    for (const dispatch of data.dispatches()) {
      if (!isHsm(dispatch) || !sentInPeriod(dispatch, params)) continue;
      const message = dispatch.message!;
      rows.push([
        dispatch.contact,
        message.document ?? null,
        dispatch.at,
        statusLabel(dispatch, params.locale),
        dispatch.statusAt ?? null,
        message.text ?? null,
        message.templateId ?? null,
        message.templateName ?? null,
        yesNo(data.replied(dispatch, 'message'), params.locale),
      ]);
    }
    return { columns: hsmDetailed.columns, rows: rows.sort(hsmDetailed.compareRows) };
  },

  // By Send Date, then Number; then every cell, so that equal rows are identical.
  compareRows: rowOrder(SEND_DATE, NUMBER),
};
