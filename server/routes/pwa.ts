import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build:pwa` puts the supervisors' app. */
export const PWA_DIR = join(import.meta.dirname, '../../dist/pwa');

/** The app may talk only to this origin and run only its own scripts. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the PWA on the API's origin: hashed assets cached for good; the page, the service
 * worker and the manifest always revalidated, so a new version is seen at once. Any other path
 * that is not the API gets the page (the app routes it).
 */
export async function pwaRoutes(app: FastifyInstance, root = PWA_DIR): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn(`the supervisors' app is not built (${root}): run npm run build:pwa`);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    preCompressed: true,
    index: ['index.html'],
    setHeaders(reply, path) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
      reply.header(
        'cache-control',
        path.includes(`${join('/', 'assets')}/`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/healthz';
    if (!wantsPage)
      return reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` });
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
