import { hashString } from '../../shared/ids/hash.ts';
import { CHANNELS, CONTENT_TYPES, type MessageRecord } from '../../shared/records/message.ts';
import { TICKET_ACTIONS, TICKET_KINDS, type TicketRecord } from '../../shared/records/ticket.ts';
import { instantProblem } from '../../shared/time/parse.ts';
import type { AdapterSettings, PlatformSignal } from './types.ts';

function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const text = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * Reads a JSON text frame with the paths and values of the settings: the way most attendance
 * platforms speak over their WebSocket.
 */
export function readJsonFrame(data: string, settings: AdapterSettings): PlatformSignal | undefined {
  // A cheap test before parsing: most frames of a busy socket are not ours.
  if (data.length === 0 || data.charCodeAt(0) !== 123 /* { */) return undefined;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return undefined;
  }
  const type = text(at(frame, settings.frameType));
  const { frames, fields, statusValues } = settings;
  const status = () => {
    const value = text(at(frame, fields.status));
    if (value === statusValues.available) return { status: 'available' as const };
    if (value === statusValues.break) {
      const reason = text(at(frame, fields.reason))?.trim();
      return reason ? { status: 'break' as const, reason } : { status: 'break' as const };
    }
    return undefined;
  };
  switch (type) {
    case undefined:
      return undefined;
    case frames.welcome: {
      const agentId = text(at(frame, fields.agentId));
      if (!agentId) return undefined;
      return { kind: 'welcome', agentId, agentName: text(at(frame, fields.agentName)) ?? '', ...status() };
    }
    case frames.status: {
      const current = status();
      return current ? { kind: 'status', ...current } : undefined;
    }
    case frames.renewToken:
      return { kind: 'renew-token' };
    case frames.activeElsewhere:
      return { kind: 'active-elsewhere' };
    case frames.sessionTaken:
      return { kind: 'session-taken' };
    case frames.loggedOut:
      return { kind: 'logged-out' };
    case frames.ticket:
      return ticketSignal(frame, data);
    case frames.message:
      return messageSignal(frame, data);
    default:
      return undefined;
  }
}

/** The longest record id (see shared/records/fields.ts). */
const MAX_ID = 128;

/**
 * A record id from the screen's own ids of a fact, so the same fact seen again (a refresh that
 * replays the conversation, a second screen) makes the same id, which the outbox and the server
 * keep once. Plain while it fits (readable in support), else the prefix and two hashes of it.
 */
export function factId(prefix: string, ...parts: string[]): string {
  const plain = `${prefix}:${parts.join(':')}`;
  if (plain.length <= MAX_ID) return plain;
  const reversed = [...plain].reverse().join('');
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `${prefix}:${hex(hashString(plain))}${hex(hashString(reversed))}:${plain.length}`;
}

class FrameProblem extends Error {}

/** Reads a field of a ticket or message frame, or says which one is wrong. */
function fieldsOf(frame: unknown) {
  const need = (path: string): string => {
    const value = text(at(frame, path))?.trim();
    if (!value) throw new FrameProblem(`${path}: is required`);
    if (value.length > 256) throw new FrameProblem(`${path}: longer than 256 characters`);
    return value;
  };
  const optional = (path: string, max = 256): string | undefined => {
    const value = at(frame, path);
    if (value === undefined || value === null || value === '') return undefined;
    const got = text(value);
    if (got === undefined) throw new FrameProblem(`${path}: must be a text`);
    if (got.length > max) throw new FrameProblem(`${path}: longer than ${max} characters`);
    return got;
  };
  const phone = (path: string, required: boolean): string | undefined => {
    const value = required ? need(path) : optional(path);
    if (value === undefined) return undefined;
    const digits = value.replace(/[\s+().-]/g, '');
    if (!/^[0-9]{1,20}$/.test(digits)) throw new FrameProblem(`${path}: not a phone number (${value})`);
    return digits;
  };
  const oneOfList = <T extends string>(
    path: string,
    values: readonly T[],
    required: boolean,
  ): T | undefined => {
    const value = required ? need(path) : optional(path);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value))
      throw new FrameProblem(`${path}: "${value}" is not one of ${values.join(', ')}`);
    return value as T;
  };
  const instant = (path: string): string => {
    const value = need(path);
    const problem = instantProblem(value);
    if (problem) throw new FrameProblem(`${path}: ${problem}`);
    // One spelling of the instant, so the ids of a replay match whatever offset it was sent in.
    return new Date(Date.parse(value)).toISOString();
  };
  const agent = (path: string) => {
    const id = optional(`${path}.id`);
    if (id === undefined) return {};
    return { agentId: id, agentName: optional(`${path}.name`) ?? '' };
  };
  return { need, optional, phone, oneOfList, instant, agent };
}

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

function malformed(data: string, error: unknown): PlatformSignal {
  if (!(error instanceof FrameProblem)) throw error;
  return { kind: 'malformed', frame: data.slice(0, 200), reason: error.message };
}

/**
 * A ticket frame: `{action, at, ticket: {id, queue, contact, contactName, business, kind},
 * agent?: {id, name}, tag?}`; `agent` is who took the step (none for a bot's overflow), `queue`
 * the ticket's queue after it.
 */
function ticketSignal(frame: unknown, data: string): PlatformSignal {
  try {
    const f = fieldsOf(frame);
    const ticketId = f.need('ticket.id');
    const action = f.oneOfList('action', TICKET_ACTIONS, true)!;
    const when = f.instant('at');
    const tag = f.optional('tag');
    if (action === 'tagged' && tag === undefined) throw new FrameProblem('tag: is required for a tagging');
    const record: TicketRecord = defined({
      id: factId('ticket', ticketId, action, when),
      type: 'ticket' as const,
      at: when,
      ticketId,
      action,
      contact: f.phone('ticket.contact', false),
      business: f.phone('ticket.business', false),
      contactName: f.optional('ticket.contactName'),
      queue: f.optional('ticket.queue'),
      ...f.agent('agent'),
      kind: f.oneOfList('ticket.kind', TICKET_KINDS, false),
      tag,
    });
    return { kind: 'ticket', record };
  } catch (error) {
    return malformed(data, error);
  }
}

const SENDERS = ['agent', 'contact', 'bot'] as const;

/**
 * A message frame: `{message: {id, ticketId, at, direction, sender, channel, contact, business,
 * contentType, text, template?: {id, name}, queue, agent?: {id, name}}}`.
 */
function messageSignal(frame: unknown, data: string): PlatformSignal {
  try {
    const f = fieldsOf(frame);
    const messageId = f.need('message.id');
    const direction = f.oneOfList('message.direction', ['MT', 'MO'] as const, true)!;
    const sender = f.oneOfList('message.sender', SENDERS, true)!;
    if ((direction === 'MO') !== (sender === 'contact'))
      throw new FrameProblem(`message.sender: ${sender} does not send ${direction} messages`);
    const contentType = f.oneOfList('message.contentType', CONTENT_TYPES, true)!;
    const templateId = f.optional('message.template.id');
    if (contentType === 'template' && templateId === undefined)
      throw new FrameProblem('message.template.id: is required for a template');
    const record: MessageRecord = defined({
      id: factId('message', messageId),
      type: 'message' as const,
      at: f.instant('message.at'),
      messageId,
      channel: f.oneOfList('message.channel', CHANNELS, false) ?? 'whatsapp',
      direction,
      contact: f.phone('message.contact', true)!,
      business: f.phone('message.business', true)!,
      contentType,
      text: f.optional('message.text', 65_536),
      templateId,
      templateName: f.optional('message.template.name'),
      // Only what an agent sends one by one is "attendance"; a bot's MT is not recorded at all.
      origin: sender === 'agent' ? ('attendance' as const) : undefined,
      ticketId: f.optional('message.ticketId'),
      queue: f.optional('message.queue'),
      ...(sender === 'agent' ? f.agent('message.agent') : {}),
    });
    if (sender === 'agent' && record.agentId === undefined)
      throw new FrameProblem("message.agent.id: is required for an agent's message");
    return { kind: 'message', record, sender };
  } catch (error) {
    return malformed(data, error);
  }
}
