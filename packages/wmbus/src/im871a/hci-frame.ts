import { crc16X25 } from '../crc/crc16-x25.js';
import { Control, HCI_SOF } from './hci-protocol.js';

/** One HCI frame: `A5 ctrl|ep msg N payload [ts(4)] [rssi] [crc(2)]`. */
export interface HciFrame {
  readonly control: number;
  readonly endpoint: number;
  readonly msgId: number;
  readonly payload: Uint8Array;
  readonly timestamp?: number;
  readonly rssiRaw?: number;
  /** 'ok' when a CRC was attached and verified, 'absent' when none was attached. */
  readonly crc: 'ok' | 'absent';
}

export interface EncodeHciFrame {
  readonly endpoint: number;
  readonly msgId: number;
  readonly payload?: Uint8Array;
  /** Attach a CRC (the stick always does; wmbusmeters' requests do not). */
  readonly crc?: boolean;
  readonly rssiRaw?: number;
  readonly timestamp?: number;
}

/** Builds an HCI frame; a payload longer than 255 bytes is a programmer error. */
export function encodeHciFrame(f: EncodeHciFrame): Uint8Array {
  const payload = f.payload ?? new Uint8Array(0);
  if (payload.length > 255) throw new RangeError('HCI payload is at most 255 bytes');
  let control = f.endpoint & 0x0f;
  if (f.crc) control |= Control.crc;
  if (f.rssiRaw !== undefined) control |= Control.rssi;
  if (f.timestamp !== undefined) control |= Control.timestamp;
  const out: number[] = [HCI_SOF, control, f.msgId, payload.length, ...payload];
  if (f.timestamp !== undefined) {
    const t = f.timestamp >>> 0;
    out.push(t & 0xff, (t >>> 8) & 0xff, (t >>> 16) & 0xff, t >>> 24);
  }
  if (f.rssiRaw !== undefined) out.push(f.rssiRaw & 0xff);
  if (f.crc) {
    const bytes = Uint8Array.from(out);
    const crc = crc16X25(bytes, 1, bytes.length);
    out.push(crc & 0xff, crc >> 8);
  }
  return Uint8Array.from(out);
}
