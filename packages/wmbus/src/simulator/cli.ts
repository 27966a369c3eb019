#!/usr/bin/env node
// iotgw-stick-sim --pty PATH [--capture FILE] [--speed N] [--simulate] [--firmware 0x15]
// Plays an iM871A on PATH (one end of a pty pair, e.g. from `socat -d -d pty,raw,echo=0,link=/tmp/im871a
// pty,raw,echo=0`), replaying a JSON Lines capture or generating simulated meters.
import { parseArgs } from 'node:util';
import { CaptureReplay } from './capture-replay.js';
import { SimulatedMeters } from './simulated-meters.js';
import { StickSimulator } from './stick-simulator.js';

const USAGE =
  'usage: iotgw-stick-sim --pty PATH [--capture FILE [--loop]] [--speed N] [--simulate] [--firmware 0x15]';

async function main(): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        pty: { type: 'string' },
        capture: { type: 'string' },
        loop: { type: 'boolean' },
        speed: { type: 'string' },
        simulate: { type: 'boolean' },
        firmware: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values['help']) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const pty = values['pty'];
  const speed = values['speed'] === undefined ? 1 : Number(values['speed']);
  const firmware = values['firmware'] === undefined ? 0x15 : Number(values['firmware']);
  if (typeof pty !== 'string' || !(speed > 0) || !Number.isInteger(firmware)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const capture = values['capture'];
  const source =
    typeof capture === 'string' && !values['simulate']
      ? new CaptureReplay({ path: capture, loop: values['loop'] === true })
      : new SimulatedMeters();
  const sim = new StickSimulator({ path: pty, source, speed, firmware });
  await sim.start();
  process.stderr.write(
    `iotgw-stick-sim: playing an iM871A on ${pty} (${typeof capture === 'string' ? capture : 'simulated meters'}, speed ${speed})\n`,
  );
  const stop = (): void => {
    void sim.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await sim.closed();
  await sim.stop();
  process.stderr.write(`iotgw-stick-sim: port closed after ${sim.counters().telegramsSent} telegrams\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`iotgw-stick-sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
