import type { FastifyInstance } from 'fastify';

/** The server's clock (devices measure their offset against it) and the caller's address. */
export function clockRoutes(app: FastifyInstance): void {
  app.get('/api/v1/time', async () => ({ now: new Date().toISOString() }));
  app.get('/api/v1/ip', async (request) => ({ ip: request.ip }));
}
