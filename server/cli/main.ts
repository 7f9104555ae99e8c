import { UserError } from './user-error.ts';

const USAGE = `pontual — contact-center activity reports

usage:
  pontual reports                       list report ids and titles
  pontual report <id> --input <events.jsonl|-> [options]
      --format csv|xlsx|pdf|json        output format (default csv)
      --out <file>                      write there instead of standard output
      --tz <IANA zone>                  time zone of dates and times (default the machine's)
      --locale en|pt-BR                 labels and date format (default en)
      --from <date|ISO>  --to <date|ISO> period [from, to); a date is midnight in --tz
      --as-of <date|ISO>                "now" for the run (default the clock)
      --split-days                      split rows at midnight (timesheets)
      --device-time                     each device's own clock, without the measured skew applied
      --skip-invalid                    skip invalid lines instead of stopping
      --memory-events <n>               events held in memory before spilling to temporary files
      --show <keys>  --hide <keys>      columns to add (those off by default, e.g. cause) or leave out
  pontual serve [--port 8787] [--host 0.0.0.0] [--data ./data]
                                        the sync server; DATABASE_URL=postgres://… for PostgreSQL
  pontual admin create-tenant <name> [--data ./data]
  pontual admin create-user --tenant <name> --email <email> --role admin|supervisor [--data ./data]
                                        (password from standard input, or asked for)
  pontual admin backup --out <file> [--data ./data]
                                        a consistent copy while the server runs (pg_dump with DATABASE_URL)
  pontual admin restore <file> [--data ./data]
                                        into an empty data folder (or the empty database of DATABASE_URL)
`;

// Loaded on demand, so a command pays only for the code it runs.
const commands: Record<string, () => Promise<(args: string[]) => Promise<number>>> = {
  reports: async () => (await import('./reports-command.ts')).reportsCommand,
  report: async () => (await import('./report-command.ts')).reportCommand,
  serve: async () => (await import('./serve-command.ts')).serveCommand,
  admin: async () => (await import('./admin-command.ts')).adminCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) throw new UserError(`unknown command "${name}" (try: pontual --help)`);
  return (await load())(args);
}

// A reader that goes away (`pontual report … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UserError) {
    process.stderr.write(`pontual: ${error.message}\n`);
    process.exitCode = 2;
  } else if (process.env.PONTUAL_DEBUG) {
    throw error;
  } else {
    // A stack from inside the bundle or its dependencies tells a person nothing: one line, and
    // the way to the stack for whoever reports it.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pontual: ${message.split('\n')[0]} (PONTUAL_DEBUG=1 shows where)\n`);
    process.exitCode = 1;
  }
}
