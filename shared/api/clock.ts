/** `GET /api/v1/time`: the server's clock, which devices measure their offset against. */
export interface TimeAnswer {
  now: string;
}

/** `GET /api/v1/ip`: the caller's address as the server sees it. */
export interface IpAnswer {
  ip: string;
}
