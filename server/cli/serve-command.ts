import { buildApp } from '../app.ts';
import { EmbeddedDatabaseBusy, openDatabase } from '../config.ts';
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

  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(values.data);
  } catch (error) {
    if (error instanceof EmbeddedDatabaseBusy)
      throw new UserError(`${error.message}: stop it first, or set DATABASE_URL`);
    throw error;
  }
  const app = await buildApp({
    db: opened.db,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    adminSecret: opened.holder?.adminSecret,
    serveApp: true,
    corsOrigins: (process.env.PONTUAL_CORS_ORIGINS ?? '').split(',').filter(Boolean),
  });
  const stopped = stopGracefully(app, opened.close);
  await app.listen({ host: values.host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  opened.holder?.announcePort(actualPort);
  app.log.info({ port: actualPort, database: opened.db.kind }, 'pontual server listening');
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
