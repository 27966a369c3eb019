import type { Advertisement } from '../advertisement.js';
import type { DecodeFailure } from '../decode-failure.js';
import { decodeFailure } from '../decode-failure.js';
import type { FormatDecodeContext, FormatDecodeResult } from '../format-definition.js';
import type { CompiledDevice } from './compile-device.js';

/** Characters of a local name used as its index key (names and prefixes shorter than this use all). */
export const NAME_KEY_LENGTH = 2;

const BASE_UUID_SUFFIX = '-0000-1000-8000-00805f9b34fb';

/** `fcd2`, `FCD2`, `0xfcd2` and `0000fcd2-0000-1000-8000-00805f9b34fb` all give `fcd2`. */
export function shortUuid(uuid: string): string {
  if (uuid.length === 4) {
    const c = uuid.charCodeAt(0);
    return c >= 65 && c <= 90 ? uuid.toLowerCase() : uuid === uuid.toLowerCase() ? uuid : uuid.toLowerCase();
  }
  const lower = uuid.toLowerCase();
  if (lower.length === 6 && lower.startsWith('0x')) return lower.slice(2);
  if (lower.length === 36 && lower.startsWith('0000') && lower.endsWith(BASE_UUID_SUFFIX))
    return lower.slice(4, 8);
  return lower;
}

export type IndexedDecode =
  | { ok: true; device: CompiledDevice; result: Extract<FormatDecodeResult, { ok: true }> }
  | DecodeFailure;

function push<K>(map: Map<K, CompiledDevice[]>, key: K, device: CompiledDevice): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [device]);
  else list.push(device);
}

const EMPTY = new Uint8Array(0);

const byRank = (a: CompiledDevice, b: CompiledDevice): number => b.priority - a.priority || a.order - b.order;

/**
 * Identification index: each device sits under one key (company id, else service UUID, else the
 * first characters of its name), so an advert looks at the few devices under its own keys, however
 * many definitions are loaded.
 */
export class DeviceIndex {
  readonly #byCompany = new Map<number, CompiledDevice[]>();
  readonly #byUuid = new Map<string, CompiledDevice[]>();
  readonly #byName = new Map<string, CompiledDevice[]>();

  constructor(readonly devices: readonly CompiledDevice[]) {
    for (const d of devices) {
      if (d.companyIds !== undefined) for (const c of d.companyIds) push(this.#byCompany, c, d);
      else if (d.serviceUuid !== undefined) push(this.#byUuid, d.serviceUuid, d);
      else push(this.#byName, (d.nameExact ?? d.namePrefix)!.slice(0, NAME_KEY_LENGTH), d);
    }
    for (const map of [this.#byCompany, this.#byUuid, this.#byName] as Map<unknown, CompiledDevice[]>[]) {
      for (const list of map.values()) list.sort(byRank);
    }
  }

  /**
   * The first device whose match holds and whose decode succeeds; otherwise the first failure, or
   * `unknown_format`. `allowed` restricts the families tried.
   */
  decode(
    adv: Advertisement,
    context: FormatDecodeContext,
    allowed: ReadonlySet<string> | undefined,
  ): IndexedDecode {
    const md = adv.manufacturerData;
    const company = md !== undefined && md.length >= 2 ? md[0]! | (md[1]! << 8) : -1;
    const services = adv.serviceData;
    const probe: Probe = { adv, context, allowed, company, uuids: undefined, failure: undefined };
    let found: IndexedDecode | undefined;
    if (company >= 0) {
      const list = this.#byCompany.get(company);
      if (list !== undefined) found = attempt(list, probe);
    }
    if (found === undefined && services !== undefined && services.length > 0) {
      const uuids =
        services.length === 1 ? [shortUuid(services[0]!.uuid)] : services.map((x) => shortUuid(x.uuid));
      probe.uuids = uuids;
      for (let i = 0; i < uuids.length && found === undefined; i++) {
        const list = this.#byUuid.get(uuids[i]!);
        if (list !== undefined) found = attempt(list, probe);
      }
    }
    const name = adv.localName;
    if (found === undefined && name !== undefined && name.length > 0) {
      const list = this.#byName.get(name.slice(0, NAME_KEY_LENGTH));
      if (list !== undefined) {
        if (probe.uuids === undefined && services !== undefined)
          probe.uuids = services.map((x) => shortUuid(x.uuid));
        found = attempt(list, probe);
      }
    }
    return (
      found ?? probe.failure ?? decodeFailure('unknown_format', 'no device definition matches this advert')
    );
  }
}

interface Probe {
  adv: Advertisement;
  context: FormatDecodeContext;
  allowed: ReadonlySet<string> | undefined;
  company: number;
  uuids: string[] | undefined;
  failure: DecodeFailure | undefined;
}

function attempt(list: readonly CompiledDevice[], p: Probe): IndexedDecode | undefined {
  const { adv, allowed, company } = p;
  for (let i = 0; i < list.length; i++) {
    const d = list[i]!;
    if (allowed !== undefined && !allowed.has(d.family)) continue;
    if (d.companyIds !== undefined && !d.companyIds.includes(company)) continue;
    if (d.nameExact !== undefined && adv.localName !== d.nameExact) continue;
    if (
      d.namePrefix !== undefined &&
      (adv.localName === undefined || !adv.localName.startsWith(d.namePrefix))
    )
      continue;
    let serviceAt = -1;
    if (d.serviceUuid !== undefined) {
      if (p.uuids === undefined) {
        const services = adv.serviceData;
        if (services === undefined || services.length === 0) continue;
        p.uuids = services.map((x) => shortUuid(x.uuid));
      }
      serviceAt = p.uuids.indexOf(d.serviceUuid);
      if (serviceAt < 0) continue;
    }
    let data: Uint8Array | undefined;
    if (d.part === 'manufacturer') data = adv.manufacturerData;
    else if (adv.serviceData !== undefined && adv.serviceData.length > 0)
      data = adv.serviceData[Math.max(serviceAt, 0)]!.data;
    // A device known by its name alone may be decoded from a name-only advert.
    if (data === undefined) {
      if (d.nameExact === undefined && d.namePrefix === undefined) continue;
      data = EMPTY;
    }
    if (d.where !== undefined && !d.where(data)) continue;
    const result = d.decode(data, p.context);
    if (result.ok) return { ok: true, device: d, result };
    p.failure ??= result;
  }
  return undefined;
}
