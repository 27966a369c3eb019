import { join } from 'node:path';
import type { Logger } from '@iotgw/logger';
import { FileRegistryStore, MeterRegistry, type TelegramOutcome } from '@iotgw/wmbus';
import { Im871aTransport, type StickTelegram } from '@iotgw/wmbus/im871a';
import { CaptureReplay, paceTelegrams, SimulatedMeters, type TelegramSource } from '@iotgw/wmbus/simulator';
import type { EdgeConfig } from '../config/edge-config-schema.js';
import { loadUserDrivers } from './load-user-drivers.js';

export interface WmbusSourceOptions {
  config: EdgeConfig['wmbus'];
  stateDir: string;
  logger: Logger;
  /** Every telegram's outcome (readings, failures of monitored meters, ignored foreign meters). */
  onOutcome: (outcome: TelegramOutcome, telegram: StickTelegram) => void;
}

/**
 * wM-Bus into the gateway: the iM871A stick (or a replay / the simulated meters, in-process) feeding the
 * meter registry, which decrypts and decodes the telegrams of monitored meters.
 */
export class WmbusSource {
  readonly registry: MeterRegistry;
  readonly #log: Logger;
  readonly #options: WmbusSourceOptions;
  #transport: Im871aTransport | undefined;
  #abort: AbortController | undefined;
  #pump: Promise<void> | undefined;

  constructor(options: WmbusSourceOptions) {
    this.#options = options;
    this.#log = options.logger.child({ module: 'wmbus' });
    const file = options.config.registryFile ?? join(options.stateDir, 'meters.json');
    const drivers = loadUserDrivers(options.config.driversDir, this.#log);
    this.registry = new MeterRegistry({
      store: new FileRegistryStore(file),
      ...(drivers ? { drivers } : {}),
    });
  }

  /** How the source reads telegrams, for the start-up line. */
  describe(): string {
    const s = this.#options.config.source ?? { kind: 'simulate' as const };
    if (s.kind === 'im871a') return `iM871A on ${s.device}, link mode ${this.#options.config.linkMode}`;
    if (s.kind === 'replay') return `replay of ${s.file}`;
    return 'simulated meters (in-process)';
  }

  async start(): Promise<void> {
    await this.registry.load();
    const source = this.#options.config.source ?? { kind: 'simulate' as const };
    if (source.kind === 'im871a') {
      const transport = new Im871aTransport({
        path: source.device,
        linkMode: this.#options.config.linkMode,
        logger: this.#options.logger, // it names its own module (im871a)
      });
      transport.onTelegram((t) => this.#handle(t));
      transport.onStateChange((state, error) => {
        if (error) this.#log.warn({ state, err: error }, 'iM871A state changed');
        else this.#log.info({ state }, 'iM871A state changed');
      });
      this.#transport = transport;
      await transport.start();
      return;
    }
    const telegrams: TelegramSource =
      source.kind === 'replay'
        ? new CaptureReplay({ path: source.file, loop: source.loop ?? false })
        : new SimulatedMeters(source.intervalMs ? { intervalMs: source.intervalMs } : {});
    const speed = source.kind === 'replay' ? (source.speed ?? 1) : 1;
    const abort = new AbortController();
    this.#abort = abort;
    this.#pump = (async () => {
      try {
        for await (const t of paceTelegrams(telegrams, {
          speed: speed === 0 ? Number.POSITIVE_INFINITY : speed,
          signal: abort.signal,
        })) {
          this.#handle({
            bytes: t.bytes,
            receivedAt: Date.now(),
            ...(t.rssiDbm === undefined ? {} : { rssiDbm: t.rssiDbm }),
          });
        }
      } catch (err) {
        this.#log.error({ err }, 'telegram source failed');
      }
    })();
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#pump;
    await this.#transport?.stop();
  }

  /** Telegrams by outcome (the registry) and, with a stick, its serial-line counters as `stick_*`. */
  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.registry.counters())) if (typeof v === 'number') out[k] = v;
    if (this.#transport) {
      for (const [k, v] of Object.entries(this.#transport.counters()))
        if (typeof v === 'number') out[`stick_${k}`] = v;
    }
    return out;
  }

  #handle(telegram: StickTelegram): void {
    let outcome: TelegramOutcome;
    try {
      outcome = this.registry.handleTelegram(telegram.bytes, {
        receivedAt: telegram.receivedAt,
        ...(telegram.rssiDbm === undefined ? {} : { rssiDbm: telegram.rssiDbm }),
      });
    } catch (err) {
      this.#log.error({ err }, 'decoding a telegram failed unexpectedly');
      return;
    }
    try {
      this.#options.onOutcome(outcome, telegram);
    } catch (err) {
      this.#log.error({ err }, 'handling a telegram outcome failed');
    }
  }
}
