import { describe, expect, it } from 'vitest';
import { attendanceDay, runAttendance } from '../testing/tickets.ts';
import { attendanceSummary } from './attendance-summary.ts';
import { validateRequest } from './params.ts';

describe('attendance-summary (DESIGN §11)', () => {
  it('the period in all, per agent and per queue', () => {
    // Level, Name, Agent ID, Tickets, Receptive, Active, Transferred, Reopened, Closed,
    // Messages Received, Messages Sent.
    expect(runAttendance(attendanceSummary, attendanceDay())).toEqual([
      // T-1 (transferred away) and T-2 (active, reopened, closed by her); the contact's messages
      // while she held the ticket, hers.
      ['Agent', 'Ana Souza', 'ana', '2', '1', '1', '1', '1', '1', '3', '4'],
      // T-1 (transferred to him, closed) and T-3; T-0 was opened the day before, but its message
      // at 00:00:00 is the period's.
      ['Agent', 'Bruno Lima', 'bruno', '2', '2', '0', '1', '0', '1', '0', '2'],
      ['Queue', 'Billing', '', '2', '1', '1', '1', '1', '1', '3', '4'],
      ['Queue', 'Support', '', '2', '2', '0', '1', '0', '1', '1', '2'],
      // Three tickets opened; every message of the period, the bot's phase and T-4's included.
      ['Total', '', '', '3', '2', '1', '1', '1', '2', '7', '6'],
    ]);
  });

  it('speaks Portuguese', () => {
    expect(
      runAttendance(attendanceSummary, attendanceDay(), { locale: 'pt-BR' }).map((row) => row[0]),
    ).toEqual(['Agente', 'Agente', 'Fila', 'Fila', 'Total']);
  });

  it('parts split by ticket combine into the same rows', () => {
    const checked = validateRequest(attendanceSummary, {
      timeZone: 'America/Sao_Paulo',
      locale: 'en',
      from: '2026-03-10',
      to: '2026-03-11',
    });
    if (!checked.ok) throw new Error(checked.error);
    const records = attendanceDay();
    const whole = attendanceSummary.compute(records, checked.params);
    const parts = ['T-0', 'T-1', 'T-2', 'T-3', 'T-4'].map((id) =>
      attendanceSummary.compute(
        records.filter((record) => record.ticketId === id),
        checked.params,
      ),
    );
    expect(attendanceSummary.combine!(parts, checked.params)).toEqual(whole);
  });
});
