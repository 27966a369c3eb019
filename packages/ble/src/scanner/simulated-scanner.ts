import { BleError } from '../ble-error.js';
import { hexToBytes, normalizeMac } from '../bytes.js';
import { encodeBthome } from '../encoders/encode-bthome.js';
import { encodeRuuviV5 } from '../encoders/encode-ruuvi-v5.js';
import { encodeThingy52 } from '../encoders/encode-thingy52.js';
import type { FormatId } from '../format-registry.js';
import { KeyRing } from '../key-ring.js';
import type { ScannedAdvert, Scanner } from './scanned-advert.js';

export interface SimulatedDevice {
  format: FormatId;
  /** MAC address of the simulated device. */
  address: string;
  /** BTHome only: encrypt with this bind key (16 bytes or 32 hex digits). */
  key?: Uint8Array | string | undefined;
  localName?: string | undefined;
}

export interface SimulatedScannerOptions {
  devices: readonly SimulatedDevice[];
  /** Each device sends one new measurement per interval (devices are spread over it). Default 1000 ms. */
  intervalMs?: number | undefined;
  /** Copies of each advert, as a radio hears one packet on channels 37/38/39. Default 1. */
  repeats?: number | undefined;
  /** PRNG seed: the same seed gives the same values. Default 1. */
  seed?: number | undefined;
  /** Clock for `time` (epoch ms). Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** mulberry32: small, fast, seedable; good enough for simulated sensor noise. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

interface DeviceState {
  device: SimulatedDevice;
  address: string;
  index: number;
  key: Uint8Array | undefined;
  /** Measurements sent so far. */
  n: number;
  temperature: number;
  humidity: number;
  co2: number;
  pressure: number;
  battery: number;
  window: boolean;
  movement: number;
}

/**
 * Generates fresh, valid adverts for simulated Thingy:52, BTHome v2 (plain or encrypted, counter
 * and packet id increasing) and Ruuvi devices, with slowly evolving values: for the demo (it never
 * repeats, so nothing is refused as a replay), the soak test and benchmarks. `next()` gives the
 * next advert synchronously (round robin over the devices) without starting timers.
 */
export class SimulatedScanner implements Scanner {
  readonly #states: DeviceState[];
  readonly #intervalMs: number;
  readonly #repeats: number;
  readonly #random: () => number;
  readonly #now: () => number;
  #cursor = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SimulatedScannerOptions) {
    if (options.devices.length === 0)
      throw new BleError('BLE_ERR_CONFIG', 'SimulatedScanner needs at least one device');
    this.#intervalMs = options.intervalMs ?? 1000;
    if (!Number.isFinite(this.#intervalMs) || this.#intervalMs <= 0) {
      throw new BleError('BLE_ERR_CONFIG', `simulation intervalMs must be > 0 (got ${this.#intervalMs})`);
    }
    this.#repeats = options.repeats ?? 1;
    if (!Number.isInteger(this.#repeats) || this.#repeats < 1) {
      throw new BleError(
        'BLE_ERR_CONFIG',
        `simulation repeats must be a positive integer (got ${this.#repeats})`,
      );
    }
    this.#random = prng(options.seed ?? 1);
    this.#now = options.now ?? Date.now;
    const ring = new KeyRing();
    this.#states = options.devices.map((device, index) => {
      const address = normalizeMac(device.address);
      if (address === undefined) {
        throw new BleError(
          'BLE_ERR_CONFIG',
          `simulated device address '${device.address}' is not a MAC address`,
        );
      }
      let key: Uint8Array | undefined;
      if (device.key !== undefined) {
        if (device.format !== 'bthome_v2') {
          throw new BleError(
            'BLE_ERR_CONFIG',
            `simulated ${device.format} device ${address} cannot have a key (BTHome only)`,
          );
        }
        ring.set(
          address,
          typeof device.key === 'string' ? (hexToBytes(device.key) ?? new Uint8Array()) : device.key,
        );
        key = ring.get(address);
      }
      const outdoor = index % 3 === 2;
      return {
        device,
        address,
        index,
        key,
        n: 0,
        temperature: outdoor ? -1.5 : 20 + (index % 5),
        humidity: 45 + (index % 10),
        co2: 600,
        pressure: 1013,
        battery: 100 - (index % 7),
        window: false,
        movement: 0,
      };
    });
  }

  async start(onAdvert: (adv: ScannedAdvert) => void): Promise<void> {
    if (this.#timer !== undefined) throw new BleError('BLE_ERR_STATE', 'SimulatedScanner already started');
    const tickMs = Math.max(1, this.#intervalMs / this.#states.length);
    this.#timer = setInterval(() => {
      const adv = this.next();
      for (let r = 0; r < this.#repeats; r++) onAdvert(r === 0 ? adv : { ...adv });
    }, tickMs);
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The next device's next measurement as an advert (one copy; `start` adds the repeats). */
  next(): ScannedAdvert {
    const state = this.#states[this.#cursor]!;
    this.#cursor = (this.#cursor + 1) % this.#states.length;
    this.#evolve(state);
    const adv: ScannedAdvert = {
      time: this.#now(),
      address: state.address,
      rssi: Math.round(-55 - state.index * 2 - this.#random() * 10),
    };
    if (state.device.localName !== undefined) adv.localName = state.device.localName;
    switch (state.device.format) {
      case 'thingy52':
        adv.manufacturerData = encodeThingy52({
          window_open: state.window,
          humidity_pct: Math.round(state.humidity),
          temperature_c: round(state.temperature, 1),
          ...(state.n <= 3 ? {} : { co2_ppm: Math.round(state.co2) }),
          battery_pct: Math.round(state.battery),
        });
        break;
      case 'ruuvi_v5':
        adv.manufacturerData = encodeRuuviV5({
          temperature_c: round(state.temperature, 2),
          humidity_pct: round(state.humidity, 2),
          pressure_hpa: round(state.pressure, 2),
          acceleration_x_mg: Math.round((this.#random() - 0.5) * 40),
          acceleration_y_mg: Math.round((this.#random() - 0.5) * 40),
          acceleration_z_mg: 1000 + Math.round((this.#random() - 0.5) * 40),
          voltage_v: round(2.4 + state.battery / 100, 3),
          tx_power_dbm: 4,
          movement_counter: state.movement,
          measurement_sequence: state.n % 65535,
          mac: state.address,
        });
        break;
      case 'bthome_v2':
        adv.serviceData = [
          {
            uuid: 'fcd2',
            data: encodeBthome(
              [
                { id: 0x00, value: state.n % 256 },
                { id: 0x01, value: Math.round(state.battery) },
                { id: 0x02, value: round(state.temperature, 2) },
                { id: 0x03, value: round(state.humidity, 2) },
              ],
              state.key === undefined ? {} : { key: state.key, address: state.address, counter: state.n },
            ),
          },
        ];
        break;
    }
    return adv;
  }

  #evolve(state: DeviceState): void {
    const r = this.#random;
    state.n++;
    state.temperature = Math.max(-20, Math.min(45, state.temperature + (r() - 0.5) * 0.4));
    state.humidity = Math.max(5, Math.min(95, state.humidity + (r() - 0.5) * 1.5));
    state.co2 = Math.max(400, Math.min(3000, state.co2 + (r() - 0.48) * 40));
    state.pressure = Math.max(950, Math.min(1050, state.pressure + (r() - 0.5) * 0.3));
    if (state.n % 50 === 0) state.battery = Math.max(5, state.battery - 1);
    if (r() < 0.05) state.window = !state.window;
    if (r() < 0.1) state.movement = (state.movement + 1) % 255;
  }
}
