import { isoTimestamp, meterConfig, meterProvisioning } from '@iotgw/contracts';
import type { Logger } from '@iotgw/logger';
import type { MeterRegistry } from '@iotgw/wmbus';
import { provisioningCountProblem, provisioningSizeProblem } from './provisioning-limit.js';
import type { ReadingPublisher } from './reading-publisher.js';

export interface LastCommand {
  timestamp: string;
  ok: boolean;
  error?: string;
}

export interface ProvisioningDeps {
  /** Undefined when wM-Bus is off: provisioning is then ignored (logged). */
  registry: MeterRegistry | undefined;
  publisher: ReadingPublisher;
  log: Logger;
  maxMeters: number;
  /** Runs a task on the gateway's control chain (one after another). */
  enqueue: (task: () => Promise<unknown>) => void;
  /** Publishes the meter status report (it carries `lastCommand`). */
  publishStatus: () => Promise<void>;
}

/**
 * Provisioning lists from `v2/<gw>/sensors/set`: a burst is applied once (the newest), a list longer
 * than `maxMeters` (or larger than its byte allowance) is refused as a whole before anything
 * proportional to it is built, and the outcome goes out in the status report.
 */
export class Provisioning {
  lastCommand: LastCommand | undefined;
  #pending: Buffer | undefined;

  constructor(private readonly deps: ProvisioningDeps) {}

  /** A provisioning message arrived: applied on the control chain, only the newest of a burst. */
  receive(payload: Buffer): void {
    if (this.#pending === undefined) {
      this.deps.enqueue(() => {
        const latest = this.#pending ?? Buffer.alloc(0);
        this.#pending = undefined;
        return this.#apply(latest);
      });
    } else {
      this.deps.log.info(
        'a newer provisioning message arrived before the last one was applied: only the newer is',
      );
    }
    this.#pending = payload;
  }

  async #apply(payload: Buffer): Promise<void> {
    const { registry, log, maxMeters } = this.deps;
    if (!registry) {
      log.warn('provisioning message received but wM-Bus is disabled in the config: ignored');
      return;
    }
    const tooBig = provisioningSizeProblem(payload.length, maxMeters);
    const parsed = tooBig === null ? meterProvisioning.parse(payload) : null;
    let problem = tooBig;
    if (parsed && !parsed.ok) problem = parsed.error.message;
    else if (parsed?.ok) problem = provisioningCountProblem(parsed.value.length, maxMeters);
    if (problem !== null || !parsed?.ok) {
      log.warn({ problem }, 'provisioning message refused: the monitored meters stay as they were');
      this.lastCommand = { timestamp: isoTimestamp(new Date()), ok: false, error: problem ?? 'refused' };
      await this.deps.publishStatus();
      return;
    }
    const statuses = await registry.replace(parsed.value);
    this.lastCommand = { timestamp: isoTimestamp(new Date()), ok: true };
    const invalid = statuses.filter((s) => s.status === 'invalid');
    log.info(
      {
        meters: statuses.length,
        invalid: invalid.length,
        reasons: invalid.map((s) => `${s.index}: ${s.reason}`),
      },
      'monitored meters replaced',
    );
    await this.deps.publishStatus();
    for (const meter of registry.meters()) {
      const config = registry.configFor(meter.deviceId);
      if (!config) continue;
      await this.deps.publisher.publish(
        meterConfig,
        'meter_config',
        `${meter.manufacturerKey}-${meter.deviceId}`,
        config,
      );
    }
  }
}
