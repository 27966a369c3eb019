import { buildMultical21Telegram } from '../encode/build-multical21-telegram.js';
import { buildOmnipowerTelegram } from '../encode/build-omnipower-telegram.js';
import type { SourceTelegram, TelegramSource } from './telegram-source.js';

/**
 * A simulated meter. `role` says what a demo should do with it: provision it with its key (`monitored`), leave
 * it out (`foreign`), or provision it with `provisionKey`, which is deliberately not its key (`wrong_key`).
 */
export interface SimulatedMeter {
  readonly id: string;
  readonly driver: 'omnipower' | 'kamwater';
  readonly key: string;
  readonly role: 'monitored' | 'foreign' | 'wrong_key';
  /** The key a demo should provision (differs from `key` for the wrong_key meter). */
  readonly provisionKey: string;
  readonly manufacturerKey: string;
  readonly manufacturerDeviceKey: string;
  readonly rssiDbm: number;
}

/** The spec's OmniPower (id 32666857, key from the worked example) and its neighbours. */
export const defaultSimulatedMeters: readonly SimulatedMeter[] = Object.freeze([
  {
    id: '32666857',
    driver: 'omnipower',
    key: '9A25139E3244CC2E391A8EF6B915B697',
    role: 'monitored',
    provisionKey: '9A25139E3244CC2E391A8EF6B915B697',
    manufacturerKey: 'kam',
    manufacturerDeviceKey: 'OmniPower1',
    rssiDbm: -84,
  },
  {
    id: '76348799',
    driver: 'kamwater',
    key: '28F64A24988064A079AA2C807D6102AE',
    role: 'monitored',
    provisionKey: '28F64A24988064A079AA2C807D6102AE',
    manufacturerKey: 'kam',
    manufacturerDeviceKey: 'Multical21-1',
    rssiDbm: -77,
  },
  {
    id: '11223344',
    driver: 'omnipower',
    key: '000102030405060708090A0B0C0D0E0F',
    role: 'foreign',
    provisionKey: '000102030405060708090A0B0C0D0E0F',
    manufacturerKey: 'kam',
    manufacturerDeviceKey: 'Neighbour',
    rssiDbm: -95,
  },
  {
    id: '87654321',
    driver: 'omnipower',
    key: 'F0E1D2C3B4A5968778695A4B3C2D1E0F',
    role: 'wrong_key',
    provisionKey: '00112233445566778899AABBCCDDEEFF',
    manufacturerKey: 'kam',
    manufacturerDeviceKey: 'OmniPower2',
    rssiDbm: -88,
  },
]);

export interface SimulatedMetersOptions {
  readonly meters?: readonly SimulatedMeter[];
  /** Time between two telegrams of one meter on the source timeline; default 16 s (Kamstrup drive-by). */
  readonly intervalMs?: number;
  /** Stop after this many telegrams in total (default: never). */
  readonly limit?: number;
  /** Begin at this round (totals continue from an earlier run); the timeline still starts at 0. */
  readonly startRound?: number;
}

/**
 * Fresh, valid, encrypted telegrams forever: each meter sends one full frame then seven compact ones,
 * ACC incrementing, energy / volume increasing. Meters are spread evenly over the interval. Deterministic.
 */
export class SimulatedMeters implements TelegramSource {
  readonly meters: readonly SimulatedMeter[];
  readonly #intervalMs: number;
  readonly #limit: number;
  readonly #startRound: number;

  constructor(options: SimulatedMetersOptions = {}) {
    this.meters = options.meters ?? defaultSimulatedMeters;
    this.#intervalMs = options.intervalMs ?? 16_000;
    this.#limit = options.limit ?? Number.POSITIVE_INFINITY;
    this.#startRound = Math.max(0, Math.floor(options.startRound ?? 0));
  }

  async *telegrams(): AsyncGenerator<SourceTelegram> {
    yield* this.generate();
  }

  /** The same telegrams synchronously (for callers that pace or batch them themselves). */
  *generate(): Generator<SourceTelegram> {
    const n = this.meters.length;
    if (n === 0) return;
    for (let k = 0; k < this.#limit; k++) {
      const round = Math.floor(k / n);
      const i = k % n;
      const meter = this.meters[i];
      if (meter === undefined) return;
      const atMs = round * this.#intervalMs + Math.floor((i * this.#intervalMs) / n);
      yield {
        atMs,
        bytes: telegramFor(meter, this.#startRound + round, i),
        rssiDbm: meter.rssiDbm - (round % 3),
      };
    }
  }
}

/** Telegram number `round` of a meter (deterministic). */
export function telegramFor(meter: SimulatedMeter, round: number, salt = 0): Uint8Array {
  const accessNumber = (round + 17 * salt) & 0xff;
  const compact = round % 8 !== 0;
  const wave = Math.sin((round + salt) / 5);
  if (meter.driver === 'kamwater') {
    const total = 6.408 + round * 0.012 + salt;
    return buildMultical21Telegram({
      id: meter.id,
      key: meter.key,
      accessNumber,
      compact,
      values: {
        total_m3: total,
        target_m3: 6.408 + salt,
        flow_temperature_c: Math.round(12 + 2 * wave),
        external_temperature_c: Math.round(19 + 3 * wave),
      },
    });
  }
  const powerKw = Math.round(1000 * (0.8 + 0.5 * wave)) / 1000;
  return buildOmnipowerTelegram({
    id: meter.id,
    key: meter.key,
    accessNumber,
    compact,
    values: {
      total_energy_consumption_kwh: 2.06 + salt * 100 + round * 0.02,
      total_energy_production_kwh: 0,
      current_power_consumption_kw: powerKw,
      current_power_production_kw: 0,
    },
  });
}
