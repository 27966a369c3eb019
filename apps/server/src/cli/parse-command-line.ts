import { parseArgs } from 'node:util';

export type Command =
  | { kind: 'run'; migrate: boolean }
  | { kind: 'migrate' }
  | { kind: 'help' }
  | { kind: 'version' };

export type ParsedCommandLine = { ok: true; command: Command } | { ok: false; message: string };

export const USAGE = `Usage: iotgw-server [command] [options]

Commands:
  run [--no-migrate]   run the server (default): apply pending database migrations (unless
                       --no-migrate), route MQTT messages into flows, serve the HTTP API
  migrate              apply pending database migrations, print the report and exit

Options:
  --help, -h           show this help
  --version, -v        print the version

Configuration comes from the environment (and a .env file in the working directory):
DATABASE_URL or DB_HOST/DB_PORT/DB_NAME/DB_USER/DB_PASSWORD, MQTT_URL (else the first enabled row of
mqtt_servers), HTTP_PORT, HTTP_HOST, API_TOKENS_FILE or API_TOKENS, LOG_LEVEL. See docs/server.md.`;

/** Parses iotgw-server's command line. Pure: returns the command or a one-line reason. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        migrate: { type: 'boolean' },
      },
    });
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const v = parsed.values as Record<string, boolean | undefined>;
  if (v['help']) return { ok: true, command: { kind: 'help' } };
  if (v['version']) return { ok: true, command: { kind: 'version' } };
  const [first, ...rest] = parsed.positionals;
  if (rest.length > 0) return { ok: false, message: `unexpected argument '${rest[0]}' (see --help)` };
  switch (first) {
    case undefined:
    case 'run':
      return { ok: true, command: { kind: 'run', migrate: v['migrate'] !== false } };
    case 'migrate':
      if (v['migrate'] !== undefined)
        return { ok: false, message: '--no-migrate makes no sense with migrate' };
      return { ok: true, command: { kind: 'migrate' } };
    default:
      return { ok: false, message: `unknown command '${first}' (see --help)` };
  }
}
