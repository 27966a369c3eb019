import type { Advertisement, ReadingValues } from './advertisement.js';
import { canonicalAddress } from './bytes.js';
import { type DecodeFailure, type DecodeFailureCode, decodeFailure } from './decode-failure.js';
import type { FormatDecodeContext, FormatDefinition } from './format-definition.js';
import { type FormatId, formatRegistry } from './format-registry.js';
import type { ReplayGuard } from './replay-guard.js';

export interface DecodeOptions {
  /** BTHome bind keys by MAC (16 bytes each). A `KeyRing` (createKeyRing) is fastest; any case works. */
  keys?: ReadonlyMap<string, Uint8Array> | undefined;
  /** BTHome encryption-counter state (createReplayGuard). Without it, counters are not checked. */
  replay?: ReplayGuard | undefined;
  /** Only these formats are decoded; the others are `unknown_format`. Default: all. */
  formats?: readonly FormatId[] | undefined;
}

export type DecodeResult =
  | {
      ok: true;
      format: FormatId;
      /** Canonical MAC (`AA:BB:CC:DD:EE:FF`), or the address as given when it is not a MAC. */
      address: string;
      values: ReadingValues;
      /** The format's packet id / measurement sequence, for de-duplication. */
      sequence?: number;
    }
  | { ok: false; code: DecodeFailureCode; detail: string };

const byCompanyId = new Map<number, FormatDefinition<FormatId>>();
const byServiceUuid = new Map<string, FormatDefinition<FormatId>>();
for (const format of formatRegistry as readonly FormatDefinition<FormatId>[]) {
  if ('companyId' in format.match) byCompanyId.set(format.match.companyId, format);
  else byServiceUuid.set(format.match.serviceUuid, format);
}

const BASE_UUID_SUFFIX = '-0000-1000-8000-00805f9b34fb';

/** `fcd2`, `FCD2`, `0xfcd2` and `0000fcd2-0000-1000-8000-00805f9b34fb` all give `fcd2`. */
function shortUuid(uuid: string): string {
  const lower = uuid.toLowerCase();
  if (lower.length === 4) return lower;
  if (lower.length === 6 && lower.startsWith('0x')) return lower.slice(2);
  if (lower.length === 36 && lower.startsWith('0000') && lower.endsWith(BASE_UUID_SUFFIX))
    return lower.slice(4, 8);
  return lower;
}

function run(
  format: FormatDefinition<FormatId>,
  payload: Uint8Array,
  context: FormatDecodeContext,
): DecodeResult {
  const result = format.decode(payload, context);
  if (!result.ok) return result;
  const decoded: DecodeResult = {
    ok: true,
    format: format.id,
    address: result.address ?? context.address,
    values: result.values,
  };
  if (result.sequence !== undefined) decoded.sequence = result.sequence;
  return decoded;
}

function decode(adv: Advertisement, options: DecodeOptions | undefined): DecodeResult {
  const context: FormatDecodeContext = {
    address: canonicalAddress(adv.address),
    keys: options?.keys,
    replay: options?.replay,
  };
  const allowed = options?.formats;
  let firstFailure: DecodeFailure | undefined;

  const md = adv.manufacturerData;
  if (md !== undefined && md.length >= 2) {
    const format = byCompanyId.get(md[0]! | (md[1]! << 8));
    if (format !== undefined && (allowed === undefined || allowed.includes(format.id))) {
      const result = run(format, md.subarray(2), context);
      if (result.ok) return result;
      firstFailure = result;
    }
  }
  const services = adv.serviceData;
  if (services !== undefined) {
    for (const service of services) {
      const format = byServiceUuid.get(shortUuid(service.uuid));
      if (format === undefined || (allowed !== undefined && !allowed.includes(format.id))) continue;
      const result = run(format, service.data, context);
      if (result.ok) return result;
      firstFailure ??= result;
    }
  }
  return firstFailure ?? decodeFailure('unknown_format', 'no registered format matches this advert');
}

/**
 * Decodes one advertisement with the registered formats (manufacturer data first, then each
 * service-data element). Pure: no I/O, no logging, and never throws on any input; an advert that
 * is not a reading is `{ ok: false, code, detail }`. When several parts match and all fail, the
 * first failure is returned.
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
