import { u16le, u32le } from '../bytes.js';
import { crc16X25 } from '../crc/crc16-x25.js';
import type { HciFrame } from './hci-frame.js';
import { Control, HCI_SOF, isValidMessageId } from './hci-protocol.js';

export interface HciParserCounters {
  /** Complete frames returned. */
  readonly frames: number;
  /** Frames whose attached CRC did not verify (dropped; the parser resynchronises after their SOF). */
  readonly crcErrors: number;
  /** Times bytes had to be skipped to find the next SOF. */
  readonly resyncs: number;
  /** Bytes skipped while resynchronising. */
  readonly bytesDropped: number;
  /** Frames with the reserved control bit or an invalid endpoint / message id. */
  readonly protocolErrors: number;
}

/** The longest possible frame: 4 + 255 + 4 (timestamp) + 1 (RSSI) + 2 (CRC). */
export const MAX_HCI_FRAME = 266;

/**
 * Incremental iM871A HCI frame parser. Pure: feed it whatever `read()` returned, get the complete frames.
 * Resynchronises on SOF (0xA5), handles several frames in one chunk and frames split across chunks, checks
 * the CRC when the control byte says one is attached, and counts what it had to throw away. It never holds
 * more than one incomplete frame (< 266 bytes) between calls.
 */
export class HciFrameParser {
  #buf: Uint8Array = new Uint8Array(0);
  #frames = 0;
  #crcErrors = 0;
  #resyncs = 0;
  #bytesDropped = 0;
  #protocolErrors = 0;
  readonly #requireCrc: boolean;

  /** `requireCrc`: treat frames without an attached CRC as protocol errors (default false, as wmbusmeters). */
  constructor(options: { requireCrc?: boolean } = {}) {
    this.#requireCrc = options.requireCrc ?? false;
  }

  push(chunk: Uint8Array): HciFrame[] {
    let buf: Uint8Array;
    if (this.#buf.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.#buf.length + chunk.length);
      buf.set(this.#buf, 0);
      buf.set(chunk, this.#buf.length);
    }
    const frames: HciFrame[] = [];
    let i = 0;
    while (i < buf.length) {
      if (buf[i] !== HCI_SOF) {
        let next = buf.indexOf(HCI_SOF, i + 1);
        if (next === -1) next = buf.length;
        this.#resyncs++;
        this.#bytesDropped += next - i;
        i = next;
        continue;
      }
      if (buf.length - i < 4) break;
      const control = buf[i + 1] ?? 0;
      const endpoint = control & 0x0f;
      const msgId = buf[i + 2] ?? 0;
      const hasCrc = (control & Control.crc) !== 0;
      if (
        (control & Control.reserved) !== 0 ||
        !isValidMessageId(endpoint, msgId) ||
        (this.#requireCrc && !hasCrc)
      ) {
        this.#protocolErrors++;
        this.#skipOne();
        i++;
        continue;
      }
      const n = buf[i + 3] ?? 0;
      const hasTs = (control & Control.timestamp) !== 0;
      const hasRssi = (control & Control.rssi) !== 0;
      const total = 4 + n + (hasTs ? 4 : 0) + (hasRssi ? 1 : 0) + (hasCrc ? 2 : 0);
      if (buf.length - i < total) break;
      if (hasCrc && crc16X25(buf, i + 1, i + total - 2) !== u16le(buf, i + total - 2)) {
        this.#crcErrors++;
        this.#skipOne();
        i++;
        continue;
      }
      let at = i + 4 + n;
      const payload = buf.slice(i + 4, i + 4 + n);
      let timestamp: number | undefined;
      let rssiRaw: number | undefined;
      if (hasTs) {
        timestamp = u32le(buf, at);
        at += 4;
      }
      if (hasRssi) rssiRaw = buf[at] ?? 0;
      frames.push({
        control,
        endpoint,
        msgId,
        payload,
        ...(timestamp === undefined ? {} : { timestamp }),
        ...(rssiRaw === undefined ? {} : { rssiRaw }),
        crc: hasCrc ? 'ok' : 'absent',
      });
      this.#frames++;
      i += total;
    }
    this.#buf = i >= buf.length ? new Uint8Array(0) : buf.slice(i);
    return frames;
  }

  #skipOne(): void {
    this.#resyncs++;
    this.#bytesDropped++;
  }

  /** Bytes held for an incomplete frame. */
  get pendingBytes(): number {
    return this.#buf.length;
  }

  /** Drops any partial frame (after a reopen, old bytes belong to nobody). */
  reset(): void {
    this.#buf = new Uint8Array(0);
  }

  counters(): HciParserCounters {
    return {
      frames: this.#frames,
      crcErrors: this.#crcErrors,
      resyncs: this.#resyncs,
      bytesDropped: this.#bytesDropped,
      protocolErrors: this.#protocolErrors,
    };
  }
}
