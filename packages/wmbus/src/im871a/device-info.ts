import { u32le } from '../bytes.js';

/** What GET_DEVICEINFO (and GET_CONFIG's ID field) say about the stick. */
export interface Im871aDeviceInfo {
  /** 0x33 = iM871A, 0x36 = iM170A. */
  readonly moduleType: number;
  readonly moduleName: string;
  /** 0 = other/collector, 1 = meter. */
  readonly deviceMode: number;
  /** 0x13: one link mode at a time; 0x14: first that can do C1+T1; 0x15: 0x14 plus fixes. */
  readonly firmware: number;
  readonly hciVersion: number;
  readonly uid: number;
  /** GET_CONFIG's ID field as %08x: wmbusmeters' "dongle id", e.g. 00102644. */
  readonly dongleId?: string;
  /** Link-mode code the stick reported in GET_CONFIG before we set ours. */
  readonly configuredLinkMode?: number;
}

export function moduleName(type: number): string {
  return type === 0x33 ? 'iM871A' : type === 0x36 ? 'iM170A' : `unknown module 0x${type.toString(16)}`;
}

/** Parses the GET_DEVICEINFO response payload (at least 8 bytes); undefined when it is shorter. */
export function parseDeviceInfo(p: Uint8Array): Im871aDeviceInfo | undefined {
  if (p.length < 8) return undefined;
  const moduleType = p[0] ?? 0;
  return {
    moduleType,
    moduleName: moduleName(moduleType),
    deviceMode: p[1] ?? 0,
    firmware: p[2] ?? 0,
    hciVersion: p[3] ?? 0,
    uid: u32le(p, 4),
  };
}

/** The fields of a GET_CONFIG response this driver uses (link mode, ID → dongle id). */
export function parseConfig(p: Uint8Array): { linkMode?: number; dongleId?: string } {
  let i = 0;
  const flags = p[i++] ?? 0;
  const out: { linkMode?: number; dongleId?: string } = {};
  if (flags & 0x01) i++;
  if (flags & 0x02) out.linkMode = p[i++] ?? 0;
  if (flags & 0x04) i++;
  if (flags & 0x08) i += 2;
  if (flags & 0x10 && i + 4 <= p.length) {
    out.dongleId = u32le(p, i).toString(16).padStart(8, '0');
    i += 4;
  }
  return out;
}

/** SET_CONFIG payload: temporary (not NVM), link mode, RSSI attach on, timestamp attach off. */
export function setLinkModePayload(linkModeCode: number): Uint8Array {
  return Uint8Array.of(0x00, 0x02, linkModeCode, 0x30, 0x01, 0x00);
}
