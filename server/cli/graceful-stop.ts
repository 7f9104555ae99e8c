import type { FastifyInstance, FastifyRequest } from 'fastify';

/** How long a stop may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 10_000;

/**
 * Stops the server on SIGTERM or SIGINT: no new connections, the event streams ended (their
 * clients reconnect elsewhere), the requests in flight answered, then the database closed. Past
 * {@link STOP_DEADLINE_MS} it exits anyway with code 1, logging what was still open; a second
 * signal exits at once. Call it before `listen`: it follows the requests from their start.
 * Resolves with the exit code once stopped.
 */
export function stopGracefully(app: FastifyInstance, closeDatabase: () => Promise<void>): Promise<number> {
  const inFlight = new Set<FastifyRequest>();
  let stopping = false;
  app.addHook('onRequest', async (request, reply) => {
    inFlight.add(request);
    reply.raw.once('close', () => {
      inFlight.delete(request);
      // Kept alive, its connection would hold the close for the keep-alive timeout (72 s).
      if (stopping) app.server.closeIdleConnections();
    });
  });

  return new Promise((resolve) => {
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) {
        app.log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      app.log.info({ signal }, 'shutting down');
      let waitingFor = () => [...inFlight].map((request) => `${request.method} ${request.url}`);
      setTimeout(() => {
        app.log.error(
          { open: waitingFor() },
          `still stopping after ${STOP_DEADLINE_MS / 1000} s: exiting anyway`,
        );
        process.exit(1);
      }, STOP_DEADLINE_MS).unref(); // the process may well exit before
      let code = 0;
      try {
        await app.close();
      } catch (error) {
        app.log.error(error, 'the HTTP server did not close cleanly');
        code = 1;
      }
      waitingFor = () => ['the database'];
      try {
        await closeDatabase();
      } catch (error) {
        app.log.error(error, 'the database did not close cleanly');
        code = 1;
      }
      // Anything left now keeps the process from exiting: the deadline names it.
      waitingFor = () => process.getActiveResourcesInfo();
      resolve(code);
    };
    process.on('SIGINT', (signal) => void stop(signal));
    process.on('SIGTERM', (signal) => void stop(signal));
  });
}
