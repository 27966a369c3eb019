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

  /** What a lenient registry skipped: a second driver with a name or detection tuple already taken. */
  readonly conflicts: string[] = [];

  /**
   * Strict (default): a duplicate name or detection tuple throws. Lenient (`{ lenient: true }`, for user
   * driver directories): the first driver keeps it and the conflict is listed in `conflicts`.
   */
  constructor(drivers: readonly MeterDriver[], options: { readonly lenient?: boolean } = {}) {
    this.drivers = [...drivers];
    const conflict = (message: string): void => {
      if (!options.lenient) throw new WmbusError('WMBUS_ERR_DRIVER', message);
      this.conflicts.push(message);
    };
    for (const d of drivers) {
      for (const name of [d.name, ...d.aliases]) {
        if (this.#byName.has(name)) conflict(`driver name ${name} is registered twice`);
        else this.#byName.set(name, d);
      }
      for (const t of d.detect) {
        const key = mvtKey(t.manufacturer, t.version, t.deviceType);
        const other = this.#byMvt.get(key);
        if (other !== undefined) conflict(`drivers ${other.name} and ${d.name} both detect ${key}`);
        else this.#byMvt.set(key, d);
      }
      this.#formats.set(d, this.#formatsOf(d));
    }
  }

  #formatsOf(d: MeterDriver, strict = true): Map<number, CompactFormat> {
    const formats = new Map<number, CompactFormat>();
    for (const hex of d.compactFormats) {
      const f = compactFormatFromHex(hex);
      if (!f.ok && !strict) continue;
      if (!f.ok)
        throw new WmbusError('WMBUS_ERR_DRIVER', `driver ${d.name}: compact format ${hex}: ${f.detail}`);
      formats.set(f.format.signature, f.format);
    }
    return formats;
  }

  find(manufacturer: string, version: number, deviceType: number): MeterDriver | undefined {
    return (
      this.#byMvt.get(mvtKey(manufacturer, version, deviceType)) ??
      this.#byMvt.get(mvtKey(manufacturer, -1, deviceType))
    );
  }

  /** By name or alias (case-insensitive). */
  byName(name: string): MeterDriver | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** A compact format the driver ships built in, by signature. */
  builtInFormat(driver: MeterDriver, signature: number): CompactFormat | undefined {
    let formats = this.#formats.get(driver);
    if (formats === undefined) {
      formats = this.#formatsOf(driver, false);
      this.#formats.set(driver, formats);
    }
    return formats.get(signature);
  }
}
