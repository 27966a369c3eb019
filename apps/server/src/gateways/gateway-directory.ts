import {
  type GatewayAvailability,
  type GatewayHealth,
  gatewayAvailability,
  gatewayHealth,
  type MeterStatusReport,
  meterStatus,
} from '@iotgw/contracts';

export type StatusKind = 'availability' | 'health' | 'meters';

export interface Seen<T> {
  readonly value: T;
  /** When the server received it (ms since the epoch). */
  readonly receivedAt: number;
}

/** The latest of each retained status message of one gateway. */
export interface GatewayState {
  readonly gatewayId: string;
  readonly availability: Seen<GatewayAvailability> | null;
  readonly health: Seen<GatewayHealth> | null;
  readonly meters: Seen<MeterStatusReport> | null;
}

/** What `accept` made of a message: null when the topic is not a gateway status topic. */
export type StatusAccepted =
  | { readonly ok: true; readonly kind: StatusKind; readonly gatewayId: string; readonly cleared: boolean }
  | { readonly ok: false; readonly kind: StatusKind; readonly gatewayId: string; readonly reason: string }
  | null;

interface Waiter {
  readonly since: number;
  readonly resolve: (report: MeterStatusReport | null) => void;
}

const CONTRACTS = [
  ['availability', gatewayAvailability],
  ['health', gatewayHealth],
  ['meters', meterStatus],
] as const;

/**
 * What the server knows about the gateways from their retained status topics
 * (`v2/+/status/availability|health|meters`): the latest message of each kind, and waiters for the
 * edge's answer to a provisioning message. In memory: every server replica subscribes (not shared) and
 * the broker hands it the retained messages on connect.
 */
export class GatewayDirectory {
  readonly #now: () => number;
  readonly #gateways = new Map<string, { -readonly [K in keyof GatewayState]: GatewayState[K] }>();
  readonly #waiters = new Map<string, Set<Waiter>>();

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The subscription filters of the three status contracts. */
  static readonly filters: readonly string[] = CONTRACTS.map(([, c]) => c.filter);

  /** Takes one received message. An empty payload (a cleared retained message) forgets that status. */
  accept(topic: string, payload: Uint8Array): StatusAccepted {
    for (const [kind, contract] of CONTRACTS) {
      const params = contract.match(topic);
      if (!params) continue;
      const gatewayId = params.gatewayId;
      if (payload.length === 0) {
        this.#clear(gatewayId, kind);
        return { ok: true, kind, gatewayId, cleared: true };
      }
      const parsed = contract.parse(payload);
      if (!parsed.ok) return { ok: false, kind, gatewayId, reason: parsed.error.message };
      const receivedAt = this.#now();
      const state = this.#state(gatewayId);
      if (kind === 'availability')
        state.availability = { value: parsed.value as GatewayAvailability, receivedAt };
      else if (kind === 'health') state.health = { value: parsed.value as GatewayHealth, receivedAt };
      else {
        const report = parsed.value as MeterStatusReport;
        state.meters = { value: report, receivedAt };
        this.#settle(gatewayId, report);
      }
      return { ok: true, kind, gatewayId, cleared: false };
    }
    return null;
  }

  list(): GatewayState[] {
    return [...this.#gateways.values()].sort((a, b) => a.gatewayId.localeCompare(b.gatewayId));
  }

  get(gatewayId: string): GatewayState | undefined {
    return this.#gateways.get(gatewayId);
  }

  counts(): Record<'online' | 'offline' | 'unknown', number> {
    const out = { online: 0, offline: 0, unknown: 0 };
    for (const g of this.#gateways.values()) out[g.availability?.value ?? 'unknown']++;
    return out;
  }

  /**
   * Resolves with the first meter status report of `gatewayId` that arrives from now on and answers a
   * provisioning message sent at `sinceMs` or later (its `command.timestamp`, second precision, is not
   * older than `sinceMs` truncated to the second), or with null after `timeoutMs`.
   */
  waitForCommandReport(
    gatewayId: string,
    sinceMs: number,
    timeoutMs: number,
  ): Promise<MeterStatusReport | null> {
    return new Promise((resolve) => {
      let set = this.#waiters.get(gatewayId);
      if (!set) {
        set = new Set();
        this.#waiters.set(gatewayId, set);
      }
      const waiters = set;
      const waiter: Waiter = {
        since: Math.floor(sinceMs / 1000) * 1000,
        resolve: (report) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (waiters.size === 0 && this.#waiters.get(gatewayId) === waiters) this.#waiters.delete(gatewayId);
          resolve(report);
        },
      };
      const timer = setTimeout(() => waiter.resolve(null), timeoutMs);
      waiters.add(waiter);
    });
  }

  /** Releases every waiter (with null): the server is stopping. */
  close(): void {
    for (const set of [...this.#waiters.values()]) for (const w of [...set]) w.resolve(null);
  }

  #settle(gatewayId: string, report: MeterStatusReport): void {
    const set = this.#waiters.get(gatewayId);
    const at = report.command ? Date.parse(report.command.timestamp) : Number.NaN;
    if (!set || Number.isNaN(at)) return;
    for (const w of [...set]) if (at >= w.since) w.resolve(report);
  }

  #state(gatewayId: string): { -readonly [K in keyof GatewayState]: GatewayState[K] } {
    let state = this.#gateways.get(gatewayId);
    if (!state) {
      state = { gatewayId, availability: null, health: null, meters: null };
      this.#gateways.set(gatewayId, state);
    }
    return state;
  }

  #clear(gatewayId: string, kind: StatusKind): void {
    const state = this.#gateways.get(gatewayId);
    if (!state) return;
    state[kind] = null;
    if (!state.availability && !state.health && !state.meters) this.#gateways.delete(gatewayId);
  }
}
