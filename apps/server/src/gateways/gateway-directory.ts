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

/** Gateways kept when GATEWAYS_MAX is not set. */
export const DEFAULT_MAX_GATEWAYS = 10_000;

export interface GatewayDirectoryOptions {
  now?: () => number;
  /** Gateways kept; one more evicts the one heard from longest ago (default 10,000). */
  maxGateways?: number;
}

/** One page of gateways ordered by id: those after `after` (exclusive), at most `limit`. */
export interface GatewayPage {
  readonly items: GatewayState[];
  /** The last id of this page when more follow, else null. */
  readonly nextAfter: string | null;
}

/**
 * What the server knows about the gateways from their retained status topics
 * (`v2/+/status/availability|health|meters`): the latest message of each kind, and waiters for the
 * edge's answer to a provisioning message. In memory: every server replica subscribes (not shared) and
 * the broker hands it the retained messages on connect.
 *
 * Bounded: at most `maxGateways` gateways. The map is kept in order of the last message heard (a
 * gateway is moved to the end on every message), so the first entry is the longest-silent one and is
 * evicted, in O(1), when a new gateway would exceed the maximum.
 */
export class GatewayDirectory {
  readonly #now: () => number;
  readonly #max: number;
  readonly #gateways = new Map<string, { -readonly [K in keyof GatewayState]: GatewayState[K] }>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #evicted = 0;

  constructor(options: GatewayDirectoryOptions = {}) {
    this.#now = options.now ?? Date.now;
    const max = options.maxGateways ?? DEFAULT_MAX_GATEWAYS;
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`maxGateways must be a positive integer (got ${max})`);
    this.#max = max;
  }

  /** The configured maximum. */
  get maxGateways(): number {
    return this.#max;
  }

  /** Gateways known now (≤ maxGateways). */
  get size(): number {
    return this.#gateways.size;
  }

  /** Gateways evicted to stay within the maximum since start. */
  get evicted(): number {
    return this.#evicted;
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

  /** Every gateway, ordered by id (code unit order). */
  list(): GatewayState[] {
    return this.page(undefined, this.#max).items;
  }

  /** Gateways ordered by id (code unit order, stable for cursors) after `after`, at most `limit`. */
  page(after: string | undefined, limit: number): GatewayPage {
    const ids: string[] = [];
    for (const id of this.#gateways.keys()) if (after === undefined || id > after) ids.push(id);
    ids.sort();
    const items = ids.slice(0, limit).map((id) => this.#gateways.get(id) as GatewayState);
    return { items, nextAfter: ids.length > limit ? (items.at(-1)?.gatewayId ?? null) : null };
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

  /** The gateway's state, moved to the most recently heard end; a new one may evict the longest-silent. */
  #state(gatewayId: string): { -readonly [K in keyof GatewayState]: GatewayState[K] } {
    let state = this.#gateways.get(gatewayId);
    if (state) {
      this.#gateways.delete(gatewayId);
    } else {
      state = { gatewayId, availability: null, health: null, meters: null };
      while (this.#gateways.size >= this.#max) {
        const oldest = this.#gateways.keys().next().value as string;
        this.#gateways.delete(oldest);
        this.#evicted++;
      }
    }
    this.#gateways.set(gatewayId, state);
    return state;
  }

  #clear(gatewayId: string, kind: StatusKind): void {
    const state = this.#gateways.get(gatewayId);
    if (!state) return;
    state[kind] = null;
    if (!state.availability && !state.health && !state.meters) this.#gateways.delete(gatewayId);
  }
}
