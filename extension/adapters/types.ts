import { type Static, Type } from '@sinclair/typebox';
import type { MessageRecord } from '../../shared/records/message.ts';
import type { TicketRecord } from '../../shared/records/ticket.ts';

/**
 * The declarative part of a site adapter: what can be changed without a rebuild, from the
 * options page or from enterprise policy (`chrome.storage.managed`).
 */
export const adapterSettingsSchema = Type.Object({
  /** Match patterns of the attendance screen (e.g. `https://app.example.com/*`). */
  matches: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  /** Regular expression (source) of the WebSocket URL that carries the platform's frames. */
  socketUrl: Type.String({ minLength: 1 }),
  /** Dotted path of a frame's type field, e.g. `type` or `payload.kind`. */
  frameType: Type.String({ minLength: 1 }),
  /** The value of that field for each signal. */
  frames: Type.Object({
    welcome: Type.String(),
    status: Type.String(),
    renewToken: Type.String(),
    activeElsewhere: Type.String(),
    sessionTaken: Type.String(),
    loggedOut: Type.String(),
    /**
     * A ticket's step and a message shown in a conversation (see docs/capture.md, "Tickets and
     * messages"); their bodies follow the reference screen's shape. Optional: settings saved
     * before these existed, or a platform whose tickets are not captured, leave them out.
     */
    ticket: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
  }),
  /** Dotted paths, inside a frame, of the agent's id and name and of the status and break reason. */
  fields: Type.Object({
    agentId: Type.String(),
    agentName: Type.String(),
    status: Type.String(),
    reason: Type.String(),
  }),
  /** The platform's words for available and on break. */
  statusValues: Type.Object({ available: Type.String(), break: Type.String() }),
  /** How often an open screen says it is still alive. */
  heartbeatSeconds: Type.Number({ minimum: 1, maximum: 3600 }),
});
export type AdapterSettings = Static<typeof adapterSettingsSchema>;

/** What the platform told the page, in Pontual's words. */
export type PlatformSignal =
  | { kind: 'welcome'; agentId: string; agentName: string; status?: 'available' | 'break'; reason?: string }
  | { kind: 'status'; status: 'available' | 'break'; reason?: string }
  | { kind: 'renew-token' }
  | { kind: 'active-elsewhere' }
  | { kind: 'session-taken' }
  | { kind: 'logged-out' }
  /** A step of a ticket, as the record it makes (its id derived from the screen's ids). */
  | { kind: 'ticket'; record: TicketRecord }
  /**
   * A message shown in a conversation, as the record it makes. `sender` says who wrote it: only
   * the agent's MTs and the contact's MOs are recorded (a bot's are not attendance).
   */
  | { kind: 'message'; record: MessageRecord; sender: 'agent' | 'contact' | 'bot' }
  /** A frame of a known type that could not be read: ignored, and `reason` logged. */
  | { kind: 'malformed'; frame: string; reason: string };

export interface SiteAdapter {
  id: string;
  name: string;
  defaults: AdapterSettings;
  /** Reads one text frame of the watched socket; `undefined` for frames that mean nothing to us. */
  readFrame(data: string, settings: AdapterSettings): PlatformSignal | undefined;
}
