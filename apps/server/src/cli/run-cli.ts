import type { Logger } from '@iotgw/logger';
import { loadServerConfig } from '../config/load-server-config.js';
import { createServerLogger } from '../server/create-server-logger.js';
import { IotgwServer } from '../server/iotgw-server.js';
import { runMigrations } from '../server/run-migrations.js';
import { oneLine } from '../server-error.js';
import { serverVersion } from '../version.js';
import { parseCommandLine, USAGE } from './parse-command-line.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function flush(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

/** Runs until SIGTERM/SIGINT, then stops gracefully; a second signal or the shutdown timeout ends it at once. */
async function runServer(env: Env, migrate: boolean, io: CliIo): Promise<number> {
  const config = loadServerConfig(env);
  const logger = createServerLogger({ level: config.logLevel, logDir: config.logDir });
  let wake: (signal: NodeJS.Signals) => void = () => {};
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    wake = resolve;
  });
  let signals = 0;
  let forced: (code: number) => void = () => {};
  const force = new Promise<number>((resolve) => {
    forced = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) wake(signal);
    else {
      io.err(`iotgw-server: ${signal} again: exiting without finishing`);
      forced(1);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    let server: IotgwServer;
    try {
      server = await IotgwServer.start(config, logger, { migrate });
    } catch (err) {
      await flush(logger);
      io.err(`iotgw-server: ${oneLine(err)}`);
      return 1;
    }
    const signal = await signalled;
    logger.info({ signal }, 'signal received: stopping');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        io.err(`iotgw-server: shutdown took longer than ${config.shutdownTimeoutMs / 1000} s: exiting`);
        resolve(1);
      }, config.shutdownTimeoutMs);
    });
    const code = await Promise.race([server.stop().then(() => 0), timeout, force]);
    clearTimeout(timer);
    await flush(logger);
    return code;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** iotgw-server's command line; resolves with the exit code. Errors are one line on stderr, no stack. */
export async function runCli(argv: readonly string[], env: Env, io: CliIo = processIo): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) {
    io.err(`iotgw-server: ${parsed.message}`);
    return 2;
  }
  const command = parsed.command;
  try {
    switch (command.kind) {
      case 'help':
        io.out(USAGE);
        return 0;
      case 'version':
        io.out(serverVersion());
        return 0;
      case 'migrate': {
        const config = loadServerConfig(env);
        const result = await runMigrations(config.router.databaseUrl);
        io.out(result.text);
        return result.ok ? 0 : 1;
      }
      case 'run':
        return await runServer(env, command.migrate, io);
    }
  } catch (err) {
    io.err(`iotgw-server: ${oneLine(err)}`);
    return 1;
  }
}
