import { createWriteStream } from 'node:fs';
import { CaptureWriter, NobleScanner, ReplayScanner, type Scanner } from '@iotgw/ble/scanner';
import { createLogger } from '@iotgw/logger';
import { Im871aTransport } from '@iotgw/wmbus/im871a';
import { formatCaptureLine } from '@iotgw/wmbus/simulator';
import { DEFAULT_CONFIG_PATH, loadEdgeConfig } from '../config/load-edge-config.js';
import type { Command } from './parse-command-line.js';

/** Resolves after `seconds`, or on Ctrl-C / SIGTERM. */
function untilDone(seconds: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = seconds ? setTimeout(resolve, seconds * 1000) : undefined;
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * `iotgw-edge capture ble|wmbus --out FILE`: records what the configured source hears, in the replay
 * format of that source (BLE: ReplayScanner's JSON Lines; wM-Bus: the simulator's capture lines).
 */
export async function runCapture(cmd: Extract<Command, { kind: 'capture' }>): Promise<void> {
  const config = loadEdgeConfig(cmd.config ?? DEFAULT_CONFIG_PATH);
  const logger = createLogger({ name: 'iotgw-edge', level: config.log.level, format: config.log.format });
  let count = 0;
  if (cmd.source === 'ble') {
    const source = config.ble.source ?? { kind: 'noble' as const };
    const scanner: Scanner =
      source.kind === 'replay'
        ? new ReplayScanner({ file: source.file, speed: source.speed, logger })
        : new NobleScanner({ adapter: source.kind === 'noble' ? source.adapter : undefined, logger });
    const writer = new CaptureWriter({ file: cmd.out });
    await writer.start();
    await scanner.start((adv) => {
      writer.write(adv);
      count++;
    });
    await untilDone(cmd.seconds);
    await scanner.stop();
    await writer.stop();
  } else {
    const source = config.wmbus.source;
    if (source?.kind !== 'im871a')
      throw new Error('capture wmbus needs wmbus.source.kind: im871a in the config');
    const out = createWriteStream(cmd.out, { flags: 'a' });
    const transport = new Im871aTransport({ path: source.device, linkMode: config.wmbus.linkMode, logger });
    transport.onTelegram((t) => {
      out.write(
        `${formatCaptureLine({ time: t.receivedAt, bytes: t.bytes, ...(t.rssiDbm === undefined ? {} : { rssiDbm: t.rssiDbm }) })}\n`,
      );
      count++;
    });
    await transport.start();
    await untilDone(cmd.seconds);
    await transport.stop();
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  process.stderr.write(
    `iotgw-edge: captured ${count} ${cmd.source === 'ble' ? 'adverts' : 'telegrams'} into ${cmd.out}\n`,
  );
}
