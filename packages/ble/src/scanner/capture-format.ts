import type { ServiceData } from '../advertisement.js';
import { bytesToHex, hexToBytes } from '../bytes.js';
import type { ScannedAdvert } from './scanned-advert.js';

/**
 * Capture files are JSON Lines, one advert per line:
 * `{"time":1764000000000,"address":"F4:3C:21:0A:9B:11","rssi":-67,"localName":"Thingy",
 *   "manufacturerData":"ffff01…","serviceData":[{"uuid":"fcd2","data":"40…"}]}`
 * `time` epoch ms and `address` are required; `rssi`, `localName`, `manufacturerData` (hex,
 * starting with the company id as noble reports it) and `serviceData` (uuid + hex data) are
 * optional. Unknown keys are ignored; blank lines and lines starting with `#` are skipped.
 */
export type CaptureLineResult = { ok: true; advert: ScannedAdvert } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseServiceData(value: unknown): ServiceData[] | string {
  if (!Array.isArray(value)) return 'serviceData must be an array';
  const out: ServiceData[] = [];
  for (const [i, entry] of value.entries()) {
    if (!isRecord(entry) || typeof entry.uuid !== 'string' || typeof entry.data !== 'string') {
      return `serviceData[${i}] must be {"uuid": string, "data": hex string}`;
    }
    const data = hexToBytes(entry.data);
    if (data === undefined) return `serviceData[${i}].data is not hex`;
    out.push({ uuid: entry.uuid.toLowerCase(), data });
  }
  return out;
}

/** Parses one capture line (never throws). */
export function parseCaptureLine(line: string): CaptureLineResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isRecord(parsed)) return { ok: false, reason: 'not a JSON object' };
  const { time, address, rssi, localName, manufacturerData, serviceData } = parsed;
  if (typeof time !== 'number' || !Number.isFinite(time))
    return { ok: false, reason: '"time" (epoch ms) is missing or not a number' };
  if (typeof address !== 'string' || address === '')
    return { ok: false, reason: '"address" is missing or not a string' };
  const advert: ScannedAdvert = { time, address };
  if (rssi !== undefined) {
    if (typeof rssi !== 'number' || !Number.isFinite(rssi))
      return { ok: false, reason: '"rssi" is not a number' };
    advert.rssi = rssi;
  }
  if (localName !== undefined) {
    if (typeof localName !== 'string') return { ok: false, reason: '"localName" is not a string' };
    advert.localName = localName;
  }
  if (manufacturerData !== undefined) {
    const bytes = typeof manufacturerData === 'string' ? hexToBytes(manufacturerData) : undefined;
    if (bytes === undefined) return { ok: false, reason: '"manufacturerData" is not a hex string' };
    advert.manufacturerData = bytes;
  }
  if (serviceData !== undefined) {
    const services = parseServiceData(serviceData);
    if (typeof services === 'string') return { ok: false, reason: services };
    advert.serviceData = services;
  }
  return { ok: true, advert };
}

/** One capture line (no newline) for an advert. */
export function formatCaptureLine(adv: ScannedAdvert): string {
  const line: Record<string, unknown> = { time: adv.time, address: adv.address };
  if (adv.rssi !== undefined) line.rssi = adv.rssi;
  if (adv.localName !== undefined) line.localName = adv.localName;
  if (adv.manufacturerData !== undefined) line.manufacturerData = bytesToHex(adv.manufacturerData);
  if (adv.serviceData !== undefined && adv.serviceData.length > 0) {
    line.serviceData = adv.serviceData.map((s) => ({ uuid: s.uuid, data: bytesToHex(s.data) }));
  }
  return JSON.stringify(line);
}
