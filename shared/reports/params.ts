import type { GroupOptions } from '../activity/timeline.ts';
import { isLocale, type Locale } from '../i18n.ts';
import { parseInstantInZone } from '../time/parse.ts';
import { isValidTimeZone, MS_PER_DAY, ZoneClock } from '../time/zone.ts';
import type { ReportDefinition, ReportParams } from './types.ts';

/** What a person or a program asks a report run for, before validation. */
export interface ReportRequest {
  timeZone: string;
  locale: string;
  /** ISO instant, or a local date / date-time in `timeZone`. */
  from?: string;
  to?: string;
  /** "Now" for the run, same forms as `from`; default the clock. */
  asOf?: string;
  splitDays?: boolean;
  agentIds?: readonly string[];
  /** Each device's own clock, uncorrected (see `ReportParams.deviceTime`). */
  deviceTime?: boolean;
}

export type ParamsResult = { ok: true; params: ReportParams } | { ok: false; error: string };

/** Checks a request against a report's limits; the message says what to change. */
export function validateRequest(
  report: ReportDefinition,
  request: ReportRequest,
  clockNow = Date.now(),
): ParamsResult {
  if (!isValidTimeZone(request.timeZone)) {
    return {
      ok: false,
      error: `unknown time zone "${request.timeZone}" (use an IANA name such as America/Sao_Paulo)`,
    };
  }
  if (!isLocale(request.locale)) {
    return { ok: false, error: `unknown locale "${request.locale}" (use en or pt-BR)` };
  }
  const clock = new ZoneClock(request.timeZone);
  const instants: Partial<Record<'from' | 'to' | 'asOf', number>> = {};
  for (const field of ['from', 'to', 'asOf'] as const) {
    const text = request[field];
    if (text === undefined) continue;
    const ms = parseInstantInZone(text, clock);
    if (ms === undefined) {
      return {
        ok: false,
        error: `${field} "${text}" is not a date (use 2026-03-10, 2026-03-10T08:00 or an ISO instant)`,
      };
    }
    instants[field] = ms;
  }
  const { from, to, asOf } = instants;
  if (from !== undefined && to !== undefined) {
    if (to <= from) return { ok: false, error: 'the period must end after it starts' };
    const days = (to - from) / MS_PER_DAY;
    if (days > report.limits.maxPeriodDays + 1 / 24) {
      return {
        ok: false,
        error: `the ${report.id} report covers at most ${report.limits.maxPeriodDays} days; this period has ${Math.ceil(days)}`,
      };
    }
  }
  return {
    ok: true,
    params: {
      timeZone: request.timeZone,
      locale: request.locale as Locale,
      from,
      to,
      now: asOf ?? clockNow,
      splitDays: request.splitDays ?? false,
      agentIds: request.agentIds,
      deviceTime: request.deviceTime ?? false,
    },
  };
}

/** The instant open rows run to: the earlier of now and the period's end (DESIGN §4 rule 5). */
export function asOfInstant(params: ReportParams): number {
  return params.to === undefined ? params.now : Math.min(params.now, params.to);
}

/** What every report passes to the Activity engine's grouping: `now`, the agents, the clock. */
export function timelineOptions(params: ReportParams): GroupOptions {
  return { now: params.now, agentIds: params.agentIds, deviceTime: params.deviceTime ?? false };
}

/** Rule 8: the period keeps what starts in [from, to). */
export function inPeriod(params: ReportParams, start: number): boolean {
  return (
    (params.from === undefined || start >= params.from) && (params.to === undefined || start < params.to)
  );
}
