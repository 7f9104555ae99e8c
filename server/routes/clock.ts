import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { IpAnswer, TimeAnswer } from '../../shared/api/clock.ts';

/** The server's clock (devices measure their offset against it) and the caller's address. */
export function clockRoutes(root: FastifyInstance): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/time', async () => ({ now: new Date().toISOString() }) satisfies TimeAnswer);
  app.get('/api/v1/ip', async (request) => ({ ip: request.ip }) satisfies IpAnswer);
}
