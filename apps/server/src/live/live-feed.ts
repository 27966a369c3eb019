import type { StoredMessage } from '@iotgw/flow-router';
import { type LiveReading, liveReading } from './live-reading.js';

/** Readings kept for resume and replay (documented in docs/server.md). */
export const LIVE_RING_SIZE = 1_000;
/** Concurrent live streams; one more is refused with 503. */
export const LIVE_MAX_STREAMS = 64;

export interface LiveFilter {
  readonly flow?: string | undefined;
  readonly gatewayId?: string | undefined;
  readonly deviceId?: string | undefined;
}

export type LiveListener = (reading: LiveReading) => void;

/** Where a resume starts: readings after `afterSeq`, and whether some were already dropped from the ring. */
export interface Resume {
  readonly readings: LiveReading[];
  /** True when the Last-Event-ID is older than the ring (or from another server run): readings were missed. */
  readonly gap: boolean;
}

export function matchesFilter(reading: LiveReading, filter: LiveFilter): boolean {
  return (
    (filter.flow === undefined || reading.flow === filter.flow) &&
    (filter.gatewayId === undefined || reading.gatewayId === filter.gatewayId) &&
    (filter.deviceId === undefined || reading.deviceId === filter.deviceId)
  );
}

/**
 * The push side of "readings as they are stored": the router's onStored hook publishes here after each
 * commit; live streams subscribe. A bounded ring of the last LIVE_RING_SIZE readings serves
 * Last-Event-ID resume and replay. Ids are `<boot>-<sequence>`: a resume against another server run
 * (another boot) is a gap.
 */
export class LiveFeed {
  readonly boot: string;
  readonly capacity: number;
  readonly maxStreams: number;
  readonly #ring: LiveReading[] = [];
  #seq = 0;
  readonly #listeners = new Set<LiveListener>();

  constructor(options: { capacity?: number; maxStreams?: number; boot?: string } = {}) {
    this.capacity = options.capacity ?? LIVE_RING_SIZE;
    this.maxStreams = options.maxStreams ?? LIVE_MAX_STREAMS;
    this.boot = options.boot ?? Date.now().toString(36);
  }

  get streams(): number {
    return this.#listeners.size;
  }

  /** The router hook: every stored message becomes one reading, buffered and pushed. */
  publish(messages: readonly StoredMessage[]): void {
    for (const m of messages) {
      this.#seq++;
      const reading = liveReading(`${this.boot}-${this.#seq}`, m);
      this.#ring.push(reading);
      if (this.#ring.length > this.capacity) this.#ring.shift();
      for (const listener of this.#listeners) listener(reading);
    }
  }

  /** Registers a listener; null when LIVE_MAX_STREAMS are already open. Returns the unsubscribe. */
  subscribe(listener: LiveListener): (() => void) | null {
    if (this.#listeners.size >= this.maxStreams) return null;
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The last `count` buffered readings (oldest first). */
  recent(count: number): LiveReading[] {
    return count <= 0 ? [] : this.#ring.slice(-count);
  }

  /** Buffered readings after the event `lastEventId`. */
  after(lastEventId: string): Resume {
    const m = /^([0-9a-z]+)-(\d+)$/.exec(lastEventId.trim());
    const oldest = this.#ring[0];
    const oldestSeq = oldest ? Number(oldest.id.slice(oldest.id.indexOf('-') + 1)) : this.#seq + 1;
    if (!m || m[1] !== this.boot) return { readings: [...this.#ring], gap: true };
    const seq = Number(m[2]);
    if (seq >= this.#seq) return { readings: [], gap: false };
    return { readings: this.#ring.slice(Math.max(0, seq + 1 - oldestSeq)), gap: seq + 1 < oldestSeq };
  }
}
