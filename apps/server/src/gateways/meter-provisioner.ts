import type { MeterProvisioning, MeterStatusReport } from '@iotgw/contracts';
import type { GatewayDirectory } from './gateway-directory.js';

/** Publishes a provisioning list on `v2/{gatewayId}/sensors/set` (the app passes the connector's publishContract). */
export type ProvisioningPublish = (gatewayId: string, list: MeterProvisioning) => Promise<unknown>;

export type ProvisioningResult =
  | {
      readonly status: 'applied' | 'refused';
      readonly requestedAt: number;
      readonly report: MeterStatusReport;
    }
  | { readonly status: 'pending'; readonly requestedAt: number };

export interface MeterProvisionerOptions {
  readonly directory: GatewayDirectory;
  readonly publish: ProvisioningPublish;
  /** How long to wait for the edge's meter status report before answering "pending". */
  readonly waitMs: number;
  readonly now?: () => number;
}

/**
 * Sends a meter list to a gateway and waits a few seconds for its answer: the edge republishes its
 * meter status with `command: { timestamp, ok, error? }` after every provisioning message.
 */
export class MeterProvisioner {
  readonly #o: MeterProvisionerOptions;
  readonly #now: () => number;

  constructor(options: MeterProvisionerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  get waitMs(): number {
    return this.#o.waitMs;
  }

  async provision(gatewayId: string, list: MeterProvisioning): Promise<ProvisioningResult> {
    const requestedAt = this.#now();
    // publish() resolves once the message is in the connector's outbox, before any answer can arrive.
    await this.#o.publish(gatewayId, list);
    if (this.#o.waitMs <= 0) return { status: 'pending', requestedAt };
    const report = await this.#o.directory.waitForCommandReport(gatewayId, requestedAt, this.#o.waitMs);
    if (!report?.command) return { status: 'pending', requestedAt };
    return { status: report.command.ok ? 'applied' : 'refused', requestedAt, report };
  }
}
