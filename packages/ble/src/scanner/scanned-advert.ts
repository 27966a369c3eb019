import type { Advertisement } from '../advertisement.js';

/** An advert as a scanner delivers it: the advert plus its reception time (epoch ms). */
export type ScannedAdvert = Advertisement & { time: number };

/**
 * A source of adverts (radio, capture file, simulation). `start` resolves once scanning runs and
 * rejects with a `BleError` (stable `code`, one-line fix in the message) when it cannot.
 */
export interface Scanner {
  start(onAdvert: (adv: ScannedAdvert) => void): Promise<void>;
  stop(): Promise<void>;
}
