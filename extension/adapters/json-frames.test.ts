import { describe, expect, it } from 'vitest';
import { validateRecord } from '../../shared/records/registry.ts';
import { TICKET_ACTIONS } from '../../shared/records/ticket.ts';
import { PageCapture } from '../capture/page-capture.ts';
import { factId, readJsonFrame } from './json-frames.ts';
import { referenceAdapter } from './reference.ts';
import type { PlatformSignal } from './types.ts';

const settings = referenceAdapter.defaults;
const read = (frame: unknown) => readJsonFrame(JSON.stringify(frame), settings);

const ticket = {
  id: 'T-1042',
  queue: 'Billing',
  contact: '+55 (11) 98765-4321',
  contactName: 'Ana Lima',
  business: '551133334444',
  kind: 'receptive',
};
const ana = { id: 'ana.lima', name: 'Ana Lima' };

describe('readJsonFrame: TICKET frames', () => {
  it('every action becomes a ticket record whose id is the ticket, the action and the instant', () => {
    for (const action of TICKET_ACTIONS) {
      const signal = read({
        type: 'TICKET',
        action,
        at: '2026-03-10T15:41:00-03:00',
        ticket,
        agent: ana,
        tag: 'Resolved',
      });
      expect(signal).toEqual({
        kind: 'ticket',
        record: {
          id: `ticket:T-1042:${action}:2026-03-10T18:41:00.000Z`,
          type: 'ticket',
          at: '2026-03-10T18:41:00.000Z',
          ticketId: 'T-1042',
          action,
          contact: '5511987654321',
          business: '551133334444',
          contactName: 'Ana Lima',
          queue: 'Billing',
          agentId: 'ana.lima',
          agentName: 'Ana Lima',
          kind: 'receptive',
          tag: 'Resolved',
        },
      });
      expect(validateRecord((signal as { record: object }).record).ok).toBe(true);
    }
  });

  it('a bot overflow has no agent; absent optional fields are left out, not empty', () => {
    const signal = read({
      type: 'TICKET',
      action: 'opened',
      at: '2026-03-10T18:41:00Z',
      ticket: { id: 'T-1', queue: 'Support' },
    });
    expect(signal).toEqual({
      kind: 'ticket',
      record: {
        id: 'ticket:T-1:opened:2026-03-10T18:41:00.000Z',
        type: 'ticket',
        at: '2026-03-10T18:41:00.000Z',
        ticketId: 'T-1',
        action: 'opened',
        queue: 'Support',
      },
    });
  });

  it('the same step sent again (a refresh replays it) makes the same id', () => {
    const frame = { type: 'TICKET', action: 'closed', at: '2026-03-10T18:41:00.5Z', ticket, tag: 'Sale' };
    const first = read(frame) as { record: { id: string } };
    const again = read({ ...frame, at: '2026-03-10T15:41:00.500-03:00' }) as { record: { id: string } };
    expect(again.record.id).toBe(first.record.id);
  });

  it('malformed frames are refused with what is wrong, and never throw', () => {
    const cases: [unknown, string][] = [
      [{ type: 'TICKET', action: 'opened', at: '2026-03-10T18:41:00Z' }, 'ticket.id: is required'],
      [
        { type: 'TICKET', action: 'lost', at: '2026-03-10T18:41:00Z', ticket },
        'action: "lost" is not one of',
      ],
      [{ type: 'TICKET', action: 'opened', at: 'yesterday', ticket }, 'at: must be an ISO-8601 instant'],
      [{ type: 'TICKET', action: 'opened', ticket }, 'at: is required'],
      [
        {
          type: 'TICKET',
          action: 'opened',
          at: '2026-03-10T18:41:00Z',
          ticket: { ...ticket, contact: 'ana' },
        },
        'ticket.contact: not a phone number (ana)',
      ],
      [
        { type: 'TICKET', action: 'opened', at: '2026-03-10T18:41:00Z', ticket: { ...ticket, kind: 'x' } },
        'ticket.kind: "x" is not one of receptive, active',
      ],
      [{ type: 'TICKET', action: 'tagged', at: '2026-03-10T18:41:00Z', ticket }, 'tag: is required'],
      [
        { type: 'TICKET', action: 'opened', at: '2026-03-10T18:41:00Z', ticket: { id: { nested: 1 } } },
        'ticket.id: is required',
      ],
      [
        { type: 'TICKET', action: 'opened', at: '2026-03-10T18:41:00Z', ticket: { ...ticket, queue: ['a'] } },
        'ticket.queue: must be a text',
      ],
      [
        { type: 'TICKET', action: 'opened', at: '2026-03-10T18:41:00Z', ticket: { id: 'x'.repeat(300) } },
        'ticket.id: longer than 256 characters',
      ],
    ];
    for (const [frame, reason] of cases) {
      const signal = read(frame);
      expect(signal?.kind, JSON.stringify(frame)).toBe('malformed');
      expect((signal as { reason: string }).reason).toContain(reason);
    }
  });
});

const mt = {
  id: 'wamid.HBgM1',
  ticketId: 'T-1042',
  at: '2026-03-10T18:42:00Z',
  direction: 'MT',
  sender: 'agent',
  channel: 'whatsapp',
  contact: '5511987654321',
  business: '551133334444',
  contentType: 'text',
  text: 'Olá Ana, posso ajudar?',
  queue: 'Billing',
  agent: ana,
};

describe('readJsonFrame: MESSAGE frames', () => {
  it("an agent's text is an MT of the attendance, with the agent", () => {
    expect(read({ type: 'MESSAGE', message: mt })).toEqual({
      kind: 'message',
      sender: 'agent',
      record: {
        id: 'message:wamid.HBgM1',
        type: 'message',
        at: '2026-03-10T18:42:00.000Z',
        messageId: 'wamid.HBgM1',
        channel: 'whatsapp',
        direction: 'MT',
        contact: '5511987654321',
        business: '551133334444',
        contentType: 'text',
        text: 'Olá Ana, posso ajudar?',
        origin: 'attendance',
        ticketId: 'T-1042',
        queue: 'Billing',
        agentId: 'ana.lima',
        agentName: 'Ana Lima',
      },
    });
  });

  it("a template carries the template's id and name", () => {
    const signal = read({
      type: 'MESSAGE',
      message: { ...mt, contentType: 'template', template: { id: 'tpl-7', name: 'boleto_vencido' } },
    }) as { record: Record<string, unknown> };
    expect([signal.record.contentType, signal.record.templateId, signal.record.templateName]).toEqual([
      'template',
      'tpl-7',
      'boleto_vencido',
    ]);
    expect(validateRecord(signal.record).ok).toBe(true);
  });

  it("the contact's MO has no origin and no agent, even when the frame names one", () => {
    const signal = read({
      type: 'MESSAGE',
      message: { ...mt, id: 'wamid.MO1', direction: 'MO', sender: 'contact', text: 'Obrigada' },
    }) as { record: Record<string, unknown>; sender: string };
    expect(signal.sender).toBe('contact');
    expect(signal.record).not.toHaveProperty('origin');
    expect(signal.record).not.toHaveProperty('agentId');
    expect(signal.record.direction).toBe('MO');
  });

  it('malformed messages are refused with what is wrong', () => {
    const cases: [unknown, string][] = [
      [{ ...mt, id: '' }, 'message.id: is required'],
      [{ ...mt, direction: 'IN' }, 'message.direction: "IN" is not one of MT, MO'],
      [{ ...mt, sender: 'contact' }, 'message.sender: contact does not send MT messages'],
      [{ ...mt, contentType: 'template' }, 'message.template.id: is required for a template'],
      [{ ...mt, contentType: 'gif' }, 'message.contentType: "gif" is not one of'],
      [{ ...mt, business: undefined }, 'message.business: is required'],
      [{ ...mt, agent: undefined }, "message.agent.id: is required for an agent's message"],
      [{ ...mt, channel: 'telegram' }, 'message.channel: "telegram" is not one of whatsapp, sms'],
    ];
    for (const [message, reason] of cases) {
      const signal = read({ type: 'MESSAGE', message });
      expect(signal?.kind, JSON.stringify(message)).toBe('malformed');
      expect((signal as { reason: string }).reason).toContain(reason);
    }
    expect(read({ type: 'MESSAGE' })).toMatchObject({ kind: 'malformed', reason: 'message.id: is required' });
  });

  it('settings without ticket and message frames (saved before they existed) read none', () => {
    const { ticket: _t, message: _m, ...frames } = settings.frames;
    expect(readJsonFrame(JSON.stringify({ type: 'MESSAGE', message: mt }), { ...settings, frames })).toBe(
      undefined,
    );
  });
});

describe('factId', () => {
  it('is plain while it fits in 128 characters, else a stable digest of the same prefix', () => {
    expect(factId('message', 'wamid.1')).toBe('message:wamid.1');
    const long = factId('ticket', 'x'.repeat(200), 'opened');
    expect(long).toMatch(/^ticket:[0-9a-f]{16}:\d+$/);
    expect(long.length).toBeLessThanOrEqual(128);
    expect(factId('ticket', 'x'.repeat(200), 'opened')).toBe(long);
    expect(factId('ticket', 'x'.repeat(200), 'closed')).not.toBe(long);
  });
});

describe('PageCapture: which tickets and messages are recorded', () => {
  function page() {
    const records: { id: string }[] = [];
    const ignored: string[] = [];
    const capture = new PageCapture({
      navigationType: 'navigate',
      emit: () => {},
      newSessionId: () => 's1',
      emitRecord: (record) => records.push(record),
      ignored: (reason) => ignored.push(reason),
    });
    const say = (frame: unknown) => {
      const signal = read(frame);
      if (signal) capture.onPlatformSignal(signal);
    };
    return { capture, say, records, ignored };
  }
  const welcome: PlatformSignal = { kind: 'welcome', agentId: 'ana.lima', agentName: 'Ana Lima' };
  const at = '2026-03-10T18:41:00Z';

  it("records the agent's own steps and messages, the queue's and the contact's; not another agent's nor a bot's", () => {
    const p = page();
    p.capture.onPlatformSignal(welcome);
    p.say({ type: 'TICKET', action: 'opened', at, ticket });
    p.say({ type: 'TICKET', action: 'assigned', at, ticket, agent: ana });
    p.say({
      type: 'TICKET',
      action: 'assigned',
      at,
      ticket: { ...ticket, id: 'T-2' },
      agent: { id: 'bruno' },
    });
    p.say({ type: 'MESSAGE', message: mt });
    p.say({ type: 'MESSAGE', message: { ...mt, id: 'm-bot', sender: 'bot', agent: undefined } });
    p.say({ type: 'MESSAGE', message: { ...mt, id: 'm-mo', direction: 'MO', sender: 'contact' } });
    expect(p.records.map((record) => record.id)).toEqual([
      `ticket:T-1042:opened:2026-03-10T18:41:00.000Z`,
      `ticket:T-1042:assigned:2026-03-10T18:41:00.000Z`,
      'message:wamid.HBgM1',
      'message:m-mo',
    ]);
    expect(p.ignored).toEqual([
      "ticket ticket:T-2:assigned:2026-03-10T18:41:00.000Z: another agent's (bruno)",
    ]);
  });

  it('a malformed frame is logged with its reason and capture goes on', () => {
    const p = page();
    p.capture.onPlatformSignal(welcome);
    p.say({ type: 'TICKET', action: 'opened', at: 'soon', ticket });
    p.say({ type: 'TICKET', action: 'opened', at, ticket });
    expect(p.ignored).toHaveLength(1);
    expect(p.ignored[0]).toMatch(/^at: must be an ISO-8601 instant .* in \{"type":"TICKET"/);
    expect(p.records).toHaveLength(1);
  });

  it('nothing is recorded before the platform says who is signed in', () => {
    const p = page();
    p.say({ type: 'TICKET', action: 'opened', at, ticket });
    expect(p.records).toEqual([]);
    expect(p.ignored[0]).toContain('seen before the platform said who is signed in');
  });
});
