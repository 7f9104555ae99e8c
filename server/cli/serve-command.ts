import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { openDatabase } from '../config.ts';
import { EmbeddedDatabaseBusy } from '../db/data-folder.ts';
import { countUsers } from '../tenants.ts';
import { stopGracefully } from './graceful-stop.ts';
import { parseOptions } from './options.ts';
import { UserError } from './user-error.ts';

/** `pontual serve [--port 8787] [--host 0.0.0.0] [--data ./data]`: the sync server. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: process.env.HOST ?? '0.0.0.0' },
    data: { type: 'string', default: process.env.PONTUAL_DATA ?? './data' },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UserError(`--port must be 0 to 65535, not "${values.port}"`);

  // What the server writes (the embedded database's files among them) is its owner's only.
  process.umask(0o077);
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(values.data);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusy)
      throw new UserError(`${error.message}: stop it first, or set DATABASE_URL`);
    throw error;
  }
  let app: FastifyInstance | undefined;
  let stopped: Promise<number>;
  try {
    app = await buildApp({
      db: opened.db,
      logger: { level: process.env.LOG_LEVEL ?? 'info' },
      localAdmin: opened.embedded,
      serveApp: true,
      corsOrigins: (process.env.PONTUAL_CORS_ORIGINS ?? '').split(',').filter(Boolean),
    });
    stopped = stopGracefully(app, opened.close);
    await app.listen({ host: values.host, port });
  } catch (error) {
    await app?.close();
    await opened.close();
    throw listenError(error, values.host, port);
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  opened.embedded?.serve(app.routing, actualPort);
  app.log.info({ port: actualPort, database: opened.db.kind }, 'pontual server listening');
  for (const notice of opened.notices) app.log.warn(notice);
  const shownHost = values.host === '0.0.0.0' || values.host === '::' ? 'localhost' : values.host;
  app.log.info(
    `The supervisors' app: http://${shownHost}:${actualPort}/ — the capture extension (after npm run ` +
      'build:extension) is in dist/extension/chrome-mv3: chrome://extensions → Developer mode → Load unpacked.',
  );
  if ((await countUsers(opened.db)) === 0) {
    const data = opened.db.kind === 'pglite' ? ` --data ${values.data}` : '';
    app.log.warn(
      `No users yet. Create the first admin (works while this server runs):\n` +
        `  npx pontual admin create-tenant "My company"${data}\n` +
        `  npx pontual admin create-user --tenant "My company" --email you@example.com --role admin${data}`,
    );
  }

  return stopped;
}

/** Why the server cannot listen where it was asked to, said with what to do. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new UserError(
      `port ${port} on ${host} is in use by another program: stop it, or choose another --port`,
    );
  if (code === 'EACCES')
    return new UserError(
      `port ${port} needs privileges this user does not have: choose one above 1023 with --port`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new UserError(
      `--host ${host} is not an address of this machine: give one of its addresses, or 0.0.0.0`,
    );
  return error;
}
