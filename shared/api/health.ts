/** `GET /healthz`: 200 with `ok: true`, or 503 with what the database cannot do. */
export interface HealthAnswer {
  ok: boolean;
  database: 'pglite' | 'postgres';
  problem?: string;
}
