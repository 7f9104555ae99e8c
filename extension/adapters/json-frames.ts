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
    default:
      return undefined;
  }
}
