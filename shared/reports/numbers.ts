import type { Localized } from '../i18n.ts';
import type { BusinessNumberRecord } from '../records/business-number.ts';
import type { AnyRecord } from '../records/registry.ts';
import { parseInstant } from '../time/iso.ts';
import { inWindow, MONTH_FILTER, MONTH_OR_PERIOD, monthWindow } from './account-month.ts';
import { rowOrder } from './order.ts';
import type { Column, ReportDefinition, ReportParams, ReportResult, Row } from './types.ts';

const column = (key: string, type: Column['type'], en: string, ptBr: string): Column => ({
  key,
  type,
  label: { en, 'pt-BR': ptBr },
});

const STATUS_LABEL: Record<'active' | 'inactive', Localized> = {
  active: { en: 'Active', 'pt-BR': 'Ativo' },
  inactive: { en: 'Inactive', 'pt-BR': 'Inativo' },
};

const WABA = 0;
const NUMBER = 1;
const PHONE_NUMBER_ID = 2;
const STATUS = 4;

interface KnownNumber {
  state: BusinessNumberRecord;
  stateAt: number;
  firstSeenAt: number;
  /** Every display number it had: traffic names a number by it. */
  displays: Set<string>;
}

/**
 * Numbers (DESIGN §11): the business numbers the account had in a month — each number its
 * provider's webhook brought by the month's end (`business_number` records, written by the
 * server) — with its WhatsApp Business account, activation date (first seen), and whether it had
 * traffic in the month (a message or a delivery status through it): Active, else Inactive.
 */
export const numbers: ReportDefinition = {
  id: 'numbers',
  category: 'account',
  title: { en: 'Numbers', 'pt-BR': 'Números' },
  description: {
    en: 'The business numbers of the account in a month, with their WhatsApp Business account, activation date, and status: Active when a message or a delivery status went through it in the month.',
    'pt-BR':
      'Os números comerciais da conta em um mês, com a conta do WhatsApp Business, a data de ativação e o status: Ativo quando uma mensagem ou um status de entrega passou por ele no mês.',
  },
  columns: [
    column('wabaId', 'text', 'WhatsApp Business Account', 'Conta do WhatsApp Business'),
    column('number', 'text', 'Number', 'Número'),
    column('phoneNumberId', 'text', 'Phone Number ID', 'ID do Número'),
    column('activatedAt', 'date', 'Activation Date', 'Data de Ativação'),
    column('status', 'text', 'Status', 'Status'),
  ],
  reads: ['business_number', 'message', 'message_status'],
  filters: [MONTH_FILTER, MONTH_OR_PERIOD],
  // Messages and statuses go by contact; the numbers are reference data every part has. The
  // parts' rows are one per number each, combined (active in any part is active).
  partition: 'contact',
  readWindow: monthWindow,

  compute(records: Iterable<AnyRecord>, params: ReportParams): ReportResult {
    const window = monthWindow(params);
    const end = Math.min(window.to ?? Number.POSITIVE_INFINITY, params.now + 1);
    const known = new Map<string, KnownNumber>();
    const traffic = { displays: new Set<string>(), ids: new Set<string>() };
    for (const record of records) {
      const at = parseInstant(record.at);
      if (at >= end) continue;
      if (record.type === 'business_number') {
        const number = known.get(record.phoneNumberId);
        const firstSeenAt = parseInstant(record.firstSeenAt);
        if (!number) {
          known.set(record.phoneNumberId, {
            state: record,
            stateAt: at,
            firstSeenAt,
            displays: new Set([record.displayNumber]),
          });
          continue;
        }
        number.displays.add(record.displayNumber);
        number.firstSeenAt = Math.min(number.firstSeenAt, firstSeenAt);
        // The number as it was last seen before the month's end (ties: the greater id, any order).
        if (at > number.stateAt || (at === number.stateAt && record.id > number.state.id)) {
          number.state = record;
          number.stateAt = at;
        }
      } else if ((record.type === 'message' || record.type === 'message_status') && inWindow(window, at)) {
        if (record.business !== undefined) traffic.displays.add(record.business);
        // Records from the provider's webhook also name the number by its id.
        const id = (record as { phoneNumberId?: unknown }).phoneNumberId;
        if (typeof id === 'string') traffic.ids.add(id);
      }
    }
    const rows: Row[] = [];
    for (const [id, number] of known) {
      if (number.firstSeenAt >= end) continue;
      const active =
        traffic.ids.has(id) || [...number.displays].some((display) => traffic.displays.has(display));
      rows.push([
        number.state.wabaId,
        number.state.displayNumber,
        id,
        number.firstSeenAt,
        STATUS_LABEL[active ? 'active' : 'inactive'][params.locale],
      ]);
    }
    return { columns: numbers.columns, rows: rows.sort(numbers.compareRows) };
  },

  // By account, then number.
  compareRows: rowOrder(WABA, NUMBER, PHONE_NUMBER_ID),

  combine(parts: readonly ReportResult[], params: ReportParams): ReportResult {
    const active = STATUS_LABEL.active[params.locale];
    const byId = new Map<string, Row>();
    for (const row of parts.flatMap((part) => part.rows)) {
      const id = row[PHONE_NUMBER_ID] as string;
      const before = byId.get(id);
      if (!before || row[STATUS] === active) byId.set(id, row);
    }
    return { columns: numbers.columns, rows: [...byId.values()].sort(numbers.compareRows) };
  },
};
