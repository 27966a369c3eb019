import type { Advertisement, ReadingValues } from './advertisement.js';
import { canonicalAddress } from './bytes.js';
import { type DecodeFailureCode, decodeFailure } from './decode-failure.js';
import type { FormatDecodeContext } from './format-definition.js';
import { deviceIndex, type FormatId } from './format-registry.js';
import type { ReplayGuard } from './replay-guard.js';

export interface DecodeOptions {
  /** Bind keys by MAC (16 bytes each). A `KeyRing` (createKeyRing) is fastest; any case works. */
  keys?: ReadonlyMap<string, Uint8Array> | undefined;
  /** Encryption-counter state (createReplayGuard). Without it, counters are not checked. */
  replay?: ReplayGuard | undefined;
  /** Only these formats are decoded; the others are `unknown_format`. Default: all. */
  formats?: readonly FormatId[] | undefined;
}

export type DecodeResult =
  | {
      ok: true;
      /** The format family (definition file) that decoded it. */
      format: FormatId;
      /** Canonical MAC (`AA:BB:CC:DD:EE:FF`), or the address as given when it is not a MAC. */
      address: string;
      brand: string;
      model: string;
      modelId: string;
      values: ReadingValues;
      /** The format's packet id / measurement sequence, for de-duplication. */
      sequence?: number;
    }
  | { ok: false; code: DecodeFailureCode; detail: string };

const allowedSets = new WeakMap<readonly FormatId[], ReadonlySet<string>>();

function allowedSet(formats: readonly FormatId[] | undefined): ReadonlySet<string> | undefined {
  if (formats === undefined) return undefined;
  let set = allowedSets.get(formats);
  if (set === undefined) {
    set = new Set(formats);
    allowedSets.set(formats, set);
  }
  return set;
}

function decode(adv: Advertisement, options: DecodeOptions | undefined): DecodeResult {
  const context: FormatDecodeContext = {
    address: canonicalAddress(adv.address),
    keys: options?.keys,
    replay: options?.replay,
    advert: adv,
  };
  const found = deviceIndex.decode(adv, context, allowedSet(options?.formats));
  if (!found.ok) return found;
  const { device, result } = found;
  const identity = result.model ?? device;
  const decoded: DecodeResult = {
    ok: true,
    format: device.family as FormatId,
    address: result.address ?? context.address,
    brand: identity.brand,
    model: identity.model,
    modelId: identity.modelId,
    values: result.values,
  };
  if (result.sequence !== undefined) decoded.sequence = result.sequence;
  return decoded;
}

/**
 * Identifies and decodes one advertisement with every loaded device definition (see
 * devices/families/). Pure: no I/O, no logging, and never throws on any input; an advert that is
 * not a reading is `{ ok: false, code, detail }`. When several definitions match and all fail,
 * the first failure is returned.
 */
export function decodeAdvertisement(adv: Advertisement, options?: DecodeOptions): DecodeResult {
  try {
    return decode(adv, options);
  } catch (err) {
    return decodeFailure(
      'internal_error',
      `decoder error: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
