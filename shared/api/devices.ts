/** An enrolled device as the API shows it. */
export interface Device {
  id: string;
  /** The agent last seen on it, or, before any, the name it enrolled with. */
  name: string;
  /** When it last pushed (events, or just its report); `null` before the first push. */
  lastSeenAt: string | null;
  /** The events it said it still had to send at its last push; `null` before it said. */
  eventsWaiting: number | null;
  /** Its extension's version, as it last said; `null` before it said. */
  version: string | null;
  /** The only agents it may push events of; `null` for any agent. */
  agentIds: string[] | null;
  enrolledAt: string;
  /** When an admin revoked it; `null` while its token works. */
  revokedAt: string | null;
}

/** `GET /api/v1/devices`. */
export interface DevicesAnswer {
  devices: Device[];
}

/** `POST /api/v1/devices/:id/revoke`. */
export interface DeviceAnswer {
  device: Device;
}
