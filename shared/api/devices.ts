/** An enrolled device as the API shows it. */
export interface Device {
  id: string;
  name: string;
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
