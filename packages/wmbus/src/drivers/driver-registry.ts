import { type CompactFormat, compactFormatFromHex } from '../compact/compact-format.js';
import { WmbusError } from '../result.js';
import type { MeterDriver } from './meter-driver.js';

function mvtKey(manufacturer: string, version: number, deviceType: number): string {
  return `${manufacturer}/${version}/${deviceType}`;
}

/**
 * Drivers keyed by (manufacturer, version, device type). Built once from plain driver definitions; a
 * duplicate detection tuple or an unparseable built-in compact format is a programmer error and throws.
 */
export class DriverRegistry {
  readonly #byMvt = new Map<string, MeterDriver>();
  readonly #byName = new Map<string, MeterDriver>();
  readonly #formats = new Map<MeterDriver, Map<number, CompactFormat>>();
  readonly drivers: readonly MeterDriver[];

  constructor(drivers: readonly MeterDriver[]) {
    this.drivers = [...drivers];
    for (const d of drivers) {
      for (const name of [d.name, ...d.aliases]) {
        if (this.#byName.has(name))
          throw new WmbusError('WMBUS_ERR_DRIVER', `driver name ${name} is registered twice`);
        this.#byName.set(name, d);
      }
      for (const t of d.detect) {
        const key = mvtKey(t.manufacturer, t.version, t.deviceType);
        const other = this.#byMvt.get(key);
        if (other !== undefined)
          throw new WmbusError('WMBUS_ERR_DRIVER', `drivers ${other.name} and ${d.name} both detect ${key}`);
        this.#byMvt.set(key, d);
      }
      const formats = new Map<number, CompactFormat>();
      for (const hex of d.compactFormats) {
        const f = compactFormatFromHex(hex);
        if (!f.ok)
          throw new WmbusError('WMBUS_ERR_DRIVER', `driver ${d.name}: compact format ${hex}: ${f.detail}`);
        formats.set(f.format.signature, f.format);
      }
      this.#formats.set(d, formats);
    }
  }

  find(manufacturer: string, version: number, deviceType: number): MeterDriver | undefined {
    return this.#byMvt.get(mvtKey(manufacturer, version, deviceType));
  }

  /** By name or alias (case-insensitive). */
  byName(name: string): MeterDriver | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** A compact format the driver ships built in, by signature. */
  builtInFormat(driver: MeterDriver, signature: number): CompactFormat | undefined {
    return this.#formats.get(driver)?.get(signature);
  }
}
