import { compactFormatFromRecords, signatureOfRecords } from '../compact/compact-format.js';
import { builtInDriverRegistry } from '../drivers/built-in-drivers.js';
import type { DriverRegistry } from '../drivers/driver-registry.js';
import type { ExtractContext, ExtractedValues, FieldValue, MeterDriver } from '../drivers/meter-driver.js';
import { deviceTypeMedia } from '../link/device-type.js';
import {
  type FrameFormatOption,
  frameFormatCandidates,
  type LinkHeader,
  parseLinkLayer,
} from '../link/link-layer.js';
import { manufacturerCode } from '../link/manufacturer.js';
import { isWiredLongFrame, wiredToWireless } from '../link/wired-frame.js';
import type { DecodedRecord } from '../records/parse-records.js';
import { type Failure, fail } from '../result.js';
import { MeterDecodeState } from './meter-decode-state.js';
import { openTelegram } from './open-telegram.js';
import { readApplication } from './read-application.js';

/** One decoded telegram, with the last-known values of the meter carried along. */
export interface MeterReading {
  /** 8-digit meter id as printed on the meter. */
  readonly id: string;
  /** Three-letter manufacturer code, e.g. KAM. */
  readonly manufacturer: string;
  readonly version: number;
  readonly deviceType: number;
  readonly media: string;
  readonly driver: string;
  /** Driver values by wmbusmeters name (`total_energy_consumption_kwh`, `total_m3`, …). */
  readonly values: Record<string, number | string>;
  /** Unit of each numeric value. */
  readonly units: Record<string, string>;
  readonly frame: 'full' | 'compact';
  /** This telegram's generic records. */
  readonly records: DecodedRecord[];
  /** ELL/TPL access number, when the telegram carries one. */
  readonly accessNumber?: number;
  /** Tolerances applied to read this telegram (trailing bytes after the records, …), as wmbusmeters does. */
  readonly tolerated?: readonly string[];
}

/**
 * A failed decode. `header` is present once the link layer parsed (so a caller knows which meter failed);
 * for WMBUS_ERR_NO_DRIVER `records` holds the generic record list, so an unknown OMS meter stays readable.
 */
export interface DecodeFailure extends Failure {
  readonly header?: LinkHeader;
  readonly records?: DecodedRecord[];
}

export type DecodeResult = { readonly ok: true; readonly reading: MeterReading } | DecodeFailure;

export interface DecodeOptions {
  /** The meter's AES-128 key (16 bytes). With a key, plaintext telegrams are refused. */
  readonly key?: Uint8Array;
  /** Per-meter state (learnt compact formats, last-known values), owned by the caller. */
  readonly state?: MeterDecodeState;
  /** DLL CRC handling; default 'auto' (detect format A/B CRCs, else take the telegram as stripped). */
  readonly frameFormat?: FrameFormatOption;
  /** Treat encrypted spans as already decrypted (wmbusmeters' NOKEY test telegrams). Not for radio traffic. */
  readonly preDecrypted?: boolean;
  /** Drivers to use; default the built-in ones. */
  readonly drivers?: DriverRegistry;
  /** Decode with this driver whatever the telegram's (manufacturer, version, type) says (driver tests). */
  readonly driver?: MeterDriver;
}

/**
 * Decodes one wM-Bus telegram (L-prefixed; DLL CRCs optional). Pure: never throws on bad input, never logs.
 * State (learnt formats, last-known values) changes only when the telegram decoded.
 */
export function decodeTelegram(bytes: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  if (!(bytes instanceof Uint8Array)) return fail('WMBUS_ERR_INPUT', 'telegram must be a Uint8Array');
  if (options.key !== undefined && (!(options.key instanceof Uint8Array) || options.key.length !== 16))
    return fail('WMBUS_ERR_INPUT', 'key must be 16 bytes');
  if (isWiredLongFrame(bytes)) {
    const w = wiredToWireless(bytes);
    if (!w.ok) return fail('WMBUS_ERR_CRC', w.detail);
    return decodeTelegram(w.bytes, { ...options, frameFormat: 'stripped' });
  }
  const format = options.frameFormat ?? 'auto';
  const candidates = format === 'auto' ? frameFormatCandidates(bytes) : [format];
  if (candidates.length === 0) {
    const r = parseLinkLayer(bytes, { frameFormat: 'stripped' });
    return r.ok ? fail('WMBUS_ERR_LENGTH', 'telegram length does not match its L field') : r;
  }
  let first: DecodeFailure | undefined;
  for (const candidate of candidates) {
    const r = decodeFrame(bytes, candidate, options);
    if (r.ok) return r;
    first ??= r;
  }
  return first ?? fail('WMBUS_ERR_INPUT', 'no frame format to try');
}

function decodeFrame(bytes: Uint8Array, format: FrameFormatOption, options: DecodeOptions): DecodeResult {
  const link = parseLinkLayer(bytes, { frameFormat: format });
  if (!link.ok) return link;
  const header = link.frame.header;
  const state = options.state;
  const aes = options.key === undefined ? undefined : (state ?? new MeterDecodeState()).aesFor(options.key);
  const opened = openTelegram(link.frame, {
    ...(aes ? { aes } : {}),
    ...(options.preDecrypted ? { preDecrypted: true } : {}),
  });
  if (!opened.ok) return { ok: false, code: opened.code, detail: opened.detail, header };
  const drivers = options.drivers ?? builtInDriverRegistry;
  // A long TPL header names the meter itself (the link address may be a radio converter's).
  const meter = meterAddress(header, opened.opened.tpl?.longAddress);
  const driver =
    options.driver ??
    drivers.find(meter.manufacturer, meter.version, meter.deviceType) ??
    drivers.find(header.manufacturer, header.version, header.deviceType);
  const app = readApplication(opened.opened, {
    drivers,
    ...(state ? { state } : {}),
    ...(driver ? { driver } : {}),
  });
  if (!app.ok) return { ok: false, code: app.code, detail: app.detail, header };
  const { records } = app.app;
  if (state !== undefined && app.app.frame === 'full') learnFormat(state, app.app.stream, records);
  if (driver === undefined)
    return {
      ok: false,
      code: 'WMBUS_ERR_NO_DRIVER',
      detail: `no driver for ${header.manufacturer} version 0x${hex2(header.version)} type 0x${hex2(header.deviceType)}; ${records.length} generic records decoded`,
      header,
      records,
    };
  const tplStatus = opened.opened.tpl?.status;
  const fresh = extractValues(driver, records, tplStatus === undefined ? {} : { tplStatus });
  const merged = state ? state.mergeValues(fresh.values, fresh.units) : fresh;
  const acc = opened.opened.ell?.acc ?? opened.opened.tpl?.acc;
  const tolerated = [opened.opened.tolerated, app.app.tolerated].filter((t): t is string => t !== undefined);
  return {
    ok: true,
    reading: {
      id: meter.id,
      manufacturer: meter.manufacturer,
      version: meter.version,
      deviceType: meter.deviceType,
      media: meter.media,
      driver: driver.name,
      values: merged.values,
      units: merged.units,
      frame: app.app.frame,
      records,
      ...(acc === undefined ? {} : { accessNumber: acc }),
      ...(tolerated.length === 0 ? {} : { tolerated }),
    },
  };
}

/** Remembers the compact format a full frame defines (built only the first time its signature is seen). */
function learnFormat(state: MeterDecodeState, stream: Uint8Array, records: readonly DecodedRecord[]): void {
  const signature = signatureOfRecords(stream, records);
  if (signature === undefined || state.learnedFormat(signature) !== undefined) return;
  const format = compactFormatFromRecords(stream, records);
  if (format !== undefined) state.learnFormat(format);
}

/** The meter's own address: the long TPL header's when present, else the link layer's. */
function meterAddress(
  header: LinkHeader,
  long:
    | { readonly id: string; readonly mField: number; readonly version: number; readonly deviceType: number }
    | undefined,
): { id: string; manufacturer: string; version: number; deviceType: number; media: string } {
  if (long === undefined) return header;
  return {
    id: long.id,
    manufacturer: manufacturerCode(long.mField),
    version: long.version,
    deviceType: long.deviceType,
    media: deviceTypeMedia(long.deviceType),
  };
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** Runs every field of `driver` over `records`: values, units and which record each value came from. */
export function extractValues(
  driver: MeterDriver,
  records: readonly DecodedRecord[],
  context: ExtractContext = {},
): ExtractedValues {
  if (driver.extract !== undefined) return driver.extract(records, context);
  const values: Record<string, number | string> = {};
  const units: Record<string, string> = {};
  const used = new Map<string, FieldValue>();
  for (const field of driver.fields) {
    const v = field.extract(records);
    if (v === undefined) continue;
    values[field.name] = v.value;
    if (field.unit !== '') units[field.name] = field.unit;
    used.set(field.name, v);
  }
  return { values, units, used };
}
