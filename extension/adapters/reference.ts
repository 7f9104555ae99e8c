import { readJsonFrame } from './json-frames.ts';
import type { SiteAdapter } from './types.ts';

/**
 * The reference attendance screen (tests/fixtures/attendance): JSON frames on `/ws`, status and
 * agent in WELCOME and STATUS frames, RENEW_TOKEN every two hours, "Use here" and logout frames.
 * TICKET and MESSAGE frames carry the tickets and conversations (docs/capture.md, "Tickets and
 * messages"). It is the default adapter; a company points the same settings at its own platform.
 */
export const referenceAdapter: SiteAdapter = {
  id: 'reference',
  name: 'Reference attendance screen',
  defaults: {
    matches: ['http://127.0.0.1/*', 'http://localhost/*'],
    socketUrl: '^wss?://[^/]+/ws(\\?|$)',
    frameType: 'type',
    frames: {
      welcome: 'WELCOME',
      status: 'STATUS',
      renewToken: 'RENEW_TOKEN',
      activeElsewhere: 'SESSION_ACTIVE_ELSEWHERE',
      sessionTaken: 'SESSION_TAKEN',
      loggedOut: 'LOGGED_OUT',
      ticket: 'TICKET',
      message: 'MESSAGE',
    },
    fields: { agentId: 'agent.id', agentName: 'agent.name', status: 'status', reason: 'reason' },
    statusValues: { available: 'available', break: 'break' },
    heartbeatSeconds: 60,
  },
  readFrame: readJsonFrame,
};
