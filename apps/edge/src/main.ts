#!/usr/bin/env node
import { ConfigError, formatProblem } from '@iotgw/config';
import { parseCommandLine, USAGE } from './cli/parse-command-line.js';
import { checkEdgeConfig, DEFAULT_CONFIG_PATH, loadEdgeConfig } from './config/load-edge-config.js';
import { edgeVersion } from './version.js';

// Each command loads only what it needs: `decode` and `--version` start fast and never open a radio,
// a serial port or the outbox.

/** One line on stderr for anything the user has to fix; never a stack trace for an expected failure. */
function fatal(message: string, code = 1): never {
  process.stderr.write(`iotgw-edge: ${message.trim().replace(/\s*\n\s*/g, '; ')}\n`);
  process.exit(code);
}

function configProblems(err: unknown): string[] | undefined {
  return err instanceof ConfigError ? err.problems.map(formatProblem) : undefined;
}

async function run(configFile: string | undefined): Promise<void> {
  let config: ReturnType<typeof loadEdgeConfig>;
  try {
    config = loadEdgeConfig(configFile ?? DEFAULT_CONFIG_PATH);
  } catch (err) {
    const problems = configProblems(err);
    if (problems) {
      for (const p of problems) process.stderr.write(`iotgw-edge: config: ${p}\n`);
      fatal(
        `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}); check it with: iotgw-edge config check ${configFile ?? DEFAULT_CONFIG_PATH}`,
      );
    }
    throw err;
  }
  const { createLogger } = await import('@iotgw/logger');
  const { EdgeGateway } = await import('./edge-gateway.js');
  const logger = createLogger({ name: 'iotgw-edge', level: config.log.level, format: config.log.format });
  let gateway: InstanceType<typeof EdgeGateway>;
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    logger.info({ signal }, 'stopping: flushing the outbox, then offline');
    stopping = gateway.stop().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  try {
    gateway = new EdgeGateway({ config, logger, onStopCommand: () => shutdown('mqtt stop command') });
  } catch (err) {
    fatal((err as Error).message);
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    await gateway.start();
  } catch (err) {
    logger.flush();
    await gateway.stop(0).catch(() => {});
    fatal((err as Error).message);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) fatal(`${parsed.message}\n`, 2);
  const cmd = parsed.command;
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return;
    case 'version':
      process.stdout.write(`iotgw-edge ${edgeVersion()}\n`);
      return;
    case 'config-check': {
      const file = cmd.file ?? DEFAULT_CONFIG_PATH;
      let problems: string[];
      try {
        problems = checkEdgeConfig(file, process.env, { deployment: true }).problems.map(formatProblem);
      } catch (err) {
        problems = configProblems(err) ?? [(err as Error).message];
      }
      if (problems.length === 0) {
        process.stdout.write(`${file}: ok\n`);
        return;
      }
      for (const p of problems) process.stdout.write(`${p}\n`);
      process.stdout.write(`${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
      process.exit(1);
      break;
    }
    case 'decode-wmbus':
    case 'analyze-wmbus':
    case 'drivers-test':
    case 'drivers-list': {
      const r = (await import('./cli/wmbus-commands.js')).runWmbusCommand(cmd);
      if (r.stdout !== '') process.stdout.write(`${r.stdout}\n`);
      if (r.stderr !== '') process.stderr.write(`${r.stderr.replace(/^/gm, 'iotgw-edge: ')}\n`);
      process.exitCode = r.code;
      return;
    }
    case 'decode-ble': {
      const { decodeBle } = await import('./cli/decode-commands.js');
      const result = decodeBle(cmd);
      if (!result.ok) fatal(result.message);
      process.stdout.write(`${result.output}\n`);
      return;
    }
    case 'capture':
      await (await import('./cli/capture-command.js')).runCapture(cmd);
      return;
    case 'run':
      await run(cmd.config);
      return;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => fatal(err instanceof Error ? err.message : String(err)));
