import {
  AdvertPipeline,
  type DecodedReading,
  definitionLoadErrors,
  type FormatId,
  formatLoadError,
  type PipelineCounters,
} from '@iotgw/ble';
import {
  NobleScanner,
  ReplayScanner,
  type ScannedAdvert,
  type Scanner,
  type SimulatedDevice,
  SimulatedScanner,
} from '@iotgw/ble/scanner';
import { resolveSecret } from '@iotgw/config';
import type { Logger } from '@iotgw/logger';
import type { EdgeConfig } from '../config/edge-config-schema.js';
import { BurstScanner } from './burst-scanner.js';

/** The simulated devices of `ble.source.kind: simulate` (the demo and the soak test). */
export const SIMULATED_BLE_DEVICES: readonly SimulatedDevice[] = [
  { format: 'thingy52', address: 'F4:3C:21:0A:9B:11' },
  { format: 'thingy52', address: 'F4:3C:21:0A:9B:12' },
  { format: 'bthome_v2', address: 'A4:C1:38:00:00:01' },
  /** Encrypted when `ble.bindkeys` has its key (as in fixtures/capture.jsonl); left out otherwise. */
  { format: 'bthome_v2', address: 'A4:C1:38:00:00:02' },
  { format: 'ruuvi_v5', address: 'C8:25:4E:1D:77:02' },
];

const MAX_TRACKED_DEVICES = 10_000;
const ENCRYPTED_DEMO_DEVICE = 'A4:C1:38:00:00:02';

export interface BleSourceOptions {
  config: EdgeConfig['ble'];
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  onReading: (reading: DecodedReading) => void;
}

/** BLE into the gateway: a scanner (radio, replay or simulation) feeding the decode pipeline. */
export class BleSource {
  readonly #pipeline: AdvertPipeline;
  readonly #scanner: Scanner;
  readonly #log: Logger;
  readonly #onReading: (reading: DecodedReading) => void;
  readonly #devices = new Map<string, { format: string; lastSeen: number }>();

  constructor(options: BleSourceOptions) {
    const { config } = options;
    this.#log = options.logger.child({ module: 'ble' });
    this.#onReading = options.onReading;
    // A device definition with a mistake is left out at load; say which, the others work.
    for (const e of definitionLoadErrors)
      this.#log.error({ definition: e.file, path: e.path }, formatLoadError(e));
    const keys: Record<string, string> = {};
    for (const [mac, ref] of Object.entries(config.bindkeys ?? {}))
      keys[mac] = resolveSecret(ref, options.env);
    this.#pipeline = new AdvertPipeline({
      keys,
      dedupWindowMs: config.dedupWindowS * 1000,
      dedupWindowByFormat: Object.fromEntries(
        Object.entries(config.dedupWindowByFormat ?? {}).map(([f, s]) => [f, s * 1000]),
      ) as Partial<Record<FormatId, number>>,
      allow: config.allow,
      deny: config.deny,
      minRssi: config.minRssi,
      formats: config.formats as FormatId[],
    });
    const source = config.source ?? { kind: 'noble' as const };
    if (source.kind === 'replay') {
      this.#scanner = new ReplayScanner({
        file: source.file,
        speed: source.speed,
        loop: source.loop,
        logger: this.#log,
      });
    } else if (source.kind === 'simulate') {
      const devices = SIMULATED_BLE_DEVICES.map((d) => {
        const key = keys[d.address];
        return key ? { ...d, key } : d;
      }).filter((d) => d.address !== ENCRYPTED_DEMO_DEVICE || d.key !== undefined);
      const intervalMs = source.intervalMs ?? 2000;
      this.#scanner =
        (source.batch ?? 1) > 1
          ? new BurstScanner(new SimulatedScanner({ devices }), {
              batch: source.batch ?? 1,
              intervalMs,
              repeats: 3,
            })
          : new SimulatedScanner({ devices, intervalMs, repeats: 3 });
    } else {
      // It names its own module (ble-noble).
      this.#scanner = new NobleScanner({ adapter: source.adapter, logger: options.logger });
    }
  }

  async start(): Promise<void> {
    await this.#scanner.start((adv) => this.#handle(adv));
  }

  async stop(): Promise<void> {
    await this.#scanner.stop();
  }

  counters(): PipelineCounters {
    return this.#pipeline.counters();
  }

  /** Devices that produced a reading, with their format and when they were last heard. */
  devices(): ReadonlyMap<string, { format: string; lastSeen: number }> {
    return this.#devices;
  }

  #handle(adv: ScannedAdvert): void {
    const outcome = this.#pipeline.process(adv);
    if (outcome.kind !== 'reading') {
      if (outcome.kind === 'refused' && outcome.code !== 'unknown_format') {
        this.#log.debug(
          { address: adv.address, code: outcome.code, detail: outcome.detail },
          'advert refused',
        );
      }
      return;
    }
    const r = outcome.reading;
    // Most recently heard last; bounded like the pipeline's own per-device state.
    this.#devices.delete(r.address);
    this.#devices.set(r.address, { format: r.format, lastSeen: r.receivedAt });
    if (this.#devices.size > MAX_TRACKED_DEVICES) {
      const oldest = this.#devices.keys().next().value;
      if (oldest !== undefined) this.#devices.delete(oldest);
    }
    try {
      this.#onReading(r);
    } catch (err) {
      this.#log.error({ err, address: r.address }, 'handling a BLE reading failed');
    }
  }
}
