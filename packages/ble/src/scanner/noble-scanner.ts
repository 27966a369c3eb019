import type { Logger } from '@iotgw/logger';
import { BleError } from '../ble-error.js';
import { canonicalAddress } from '../bytes.js';
import { NOBLE_MODULE, probeNoble, SETCAP_FIX } from './adapter-probe.js';
import type { ScannedAdvert, Scanner } from './scanned-advert.js';

export interface NobleScannerOptions {
  /** Adapter index: 0 = hci0 (default). One adapter per process (noble holds one HCI socket). */
  adapter?: number | undefined;
  logger?: Logger | undefined;
  /** How long to wait for the adapter to report `poweredOn`. Default 10 s. */
  poweredOnTimeoutMs?: number | undefined;
  /** Where adapters are listed (tests); default /sys/class/bluetooth. */
  sysfsRoot?: string | undefined;
  /** Process status file for the capability check (tests); default /proc/self/status. */
  procStatusPath?: string | undefined;
  /** Module to load (tests); default @abandonware/noble. */
  nobleModule?: string | undefined;
}

/** The part of noble this scanner uses (noble is optional, so its types are not imported). */
interface NoblePeripheral {
  id: string;
  address: string;
  rssi: number;
  advertisement: {
    localName?: string;
    manufacturerData?: Uint8Array;
    serviceData?: { uuid: string; data: Uint8Array }[];
  };
}

interface NobleLike {
  readonly state: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (peripheral: NoblePeripheral) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  startScanningAsync(serviceUuids: string[], allowDuplicates: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

function isNobleLike(value: unknown): value is NobleLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<NobleLike>).startScanningAsync === 'function' &&
    typeof (value as Partial<NobleLike>).on === 'function'
  );
}

function stateFix(state: string, adapterName: string): string {
  if (state === 'unauthorized') return `run ${SETCAP_FIX}`;
  if (state === 'poweredOff') {
    return `power it on: \`sudo rfkill unblock bluetooth && sudo hciconfig ${adapterName} up\``;
  }
  if (state === 'unsupported') return 'the adapter does not support Bluetooth LE; use another adapter';
  return `check \`hciconfig ${adapterName}\` and \`sudo rfkill list\``;
}

/** Maps a noble peripheral to an advert (noble's address is lower-case; '' on some platforms). */
export function advertFromPeripheral(peripheral: NoblePeripheral, time: number): ScannedAdvert {
  const usable = peripheral.address !== '' && peripheral.address !== 'unknown';
  const adv: ScannedAdvert = { time, address: canonicalAddress(usable ? peripheral.address : peripheral.id) };
  if (Number.isFinite(peripheral.rssi)) adv.rssi = peripheral.rssi;
  const ad = peripheral.advertisement;
  if (ad.localName !== undefined) adv.localName = ad.localName;
  if (ad.manufacturerData !== undefined && ad.manufacturerData.length > 0) {
    adv.manufacturerData = new Uint8Array(ad.manufacturerData);
  }
  if (ad.serviceData !== undefined && ad.serviceData.length > 0) {
    adv.serviceData = ad.serviceData.map((s) => ({ uuid: s.uuid, data: new Uint8Array(s.data) }));
  }
  return adv;
}

/**
 * Continuous BLE scanning with @abandonware/noble (HCI socket, Linux). Before importing noble it
 * checks the adapter exists, the process has CAP_NET_RAW and noble is installed, and
 * fails with a `BleError` whose message says how to fix it. It scans with duplicates allowed (every
 * advert is reported) and NOBLE_REPORT_ALL_HCI_EVENTS=1 (a connectable device's advert is not held
 * back until its scan response). noble's HCI binding always uses scan interval = window = 11.25 ms,
 * i.e. it listens continuously, as the legacy gateway configured BlueZ to.
 */
export class NobleScanner implements Scanner {
  readonly #options: NobleScannerOptions;
  readonly #adapter: number;
  #noble: NobleLike | undefined;
  #onDiscover: ((peripheral: NoblePeripheral) => void) | undefined;

  constructor(options: NobleScannerOptions = {}) {
    const adapter = options.adapter ?? 0;
    if (!Number.isInteger(adapter) || adapter < 0) {
      throw new BleError('BLE_ERR_CONFIG', `BLE adapter must be an index like 0 for hci0 (got ${adapter})`);
    }
    this.#options = options;
    this.#adapter = adapter;
  }

  async start(onAdvert: (adv: ScannedAdvert) => void): Promise<void> {
    if (this.#onDiscover !== undefined) throw new BleError('BLE_ERR_STATE', 'NobleScanner already started');
    const { adapterName } = await probeNoble({
      adapter: this.#adapter,
      ...(this.#options.sysfsRoot === undefined ? {} : { sysfsRoot: this.#options.sysfsRoot }),
      ...(this.#options.procStatusPath === undefined ? {} : { procStatusPath: this.#options.procStatusPath }),
      ...(this.#options.nobleModule === undefined ? {} : { nobleModule: this.#options.nobleModule }),
    });
    const log = this.#options.logger?.child({ module: 'ble-noble', adapter: adapterName });
    const noble = this.#noble ?? (await this.#load(adapterName));
    this.#noble = noble;
    await this.#poweredOn(noble, adapterName);
    const onDiscover = (peripheral: NoblePeripheral): void => {
      onAdvert(advertFromPeripheral(peripheral, Date.now()));
    };
    noble.on('discover', onDiscover);
    this.#onDiscover = onDiscover;
    try {
      await noble.startScanningAsync([], true);
    } catch (cause) {
      noble.removeListener('discover', onDiscover);
      this.#onDiscover = undefined;
      throw new BleError(
        'BLE_ERR_ADAPTER_STATE',
        `cannot start scanning on ${adapterName}: ${String(cause)}`,
        { cause },
      );
    }
    log?.info('BLE scanning started (active, duplicates allowed)');
  }

  async stop(): Promise<void> {
    const noble = this.#noble;
    const onDiscover = this.#onDiscover;
    this.#onDiscover = undefined;
    if (noble === undefined || onDiscover === undefined) return;
    noble.removeListener('discover', onDiscover);
    try {
      await noble.stopScanningAsync();
    } catch (err) {
      this.#options.logger?.warn({ err }, 'stopping BLE scan failed');
    }
  }

  async #load(adapterName: string): Promise<NobleLike> {
    // Read by noble's HCI binding at run time: report adverts of connectable devices immediately.
    process.env.NOBLE_REPORT_ALL_HCI_EVENTS ??= '1';
    const spec = `${this.#options.nobleModule ?? NOBLE_MODULE}/with-custom-binding.js`;
    let factory: unknown;
    try {
      const mod: unknown = await import(spec);
      factory = (mod as { default?: unknown }).default ?? mod;
    } catch (cause) {
      throw new BleError(
        'BLE_ERR_NOBLE_LOAD',
        `cannot load ${spec}: ${String(cause)}; reinstall (pnpm install) so its native build runs`,
        {
          cause,
        },
      );
    }
    if (typeof factory !== 'function')
      throw new BleError('BLE_ERR_NOBLE_LOAD', `${spec} does not export a factory`);
    try {
      const noble: unknown = factory({ deviceId: this.#adapter });
      if (!isNobleLike(noble)) throw new Error('unexpected noble API');
      return noble;
    } catch (cause) {
      throw new BleError('BLE_ERR_NOBLE_LOAD', `noble cannot open ${adapterName}: ${String(cause)}`, {
        cause,
      });
    }
  }

  #poweredOn(noble: NobleLike, adapterName: string): Promise<void> {
    const timeoutMs = this.#options.poweredOnTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (err?: BleError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        noble.removeListener('stateChange', onState);
        if (err) reject(err);
        else resolve();
      };
      const onState = (state: string): void => {
        if (state === 'poweredOn') finish();
        else if (state === 'unauthorized' || state === 'unsupported') {
          finish(
            new BleError(
              state === 'unauthorized' ? 'BLE_ERR_PERMISSION' : 'BLE_ERR_ADAPTER_STATE',
              `${adapterName} is ${state}: ${stateFix(state, adapterName)}`,
            ),
          );
        }
      };
      timer = setTimeout(() => {
        finish(
          new BleError(
            'BLE_ERR_ADAPTER_STATE',
            `${adapterName} did not power on within ${timeoutMs} ms (state ${noble.state}): ${stateFix(noble.state, adapterName)}`,
          ),
        );
      }, timeoutMs);
      noble.on('stateChange', onState);
      let initial: string;
      try {
        initial = noble.state; // noble opens the HCI socket on first access
      } catch (cause) {
        finish(
          new BleError('BLE_ERR_NOBLE_LOAD', `noble cannot open ${adapterName}: ${String(cause)}`, { cause }),
        );
        return;
      }
      onState(initial);
    });
  }
}
