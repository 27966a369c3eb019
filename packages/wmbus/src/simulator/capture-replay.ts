import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { bytesToHex, hexToBytes } from '../hex.js';
import { WmbusError } from '../result.js';
import type { SourceTelegram, TelegramSource } from './telegram-source.js';

/**
 * One line of a capture file (JSON Lines, UTF-8):
 * `{"time": 1717497168000, "hex": "2d442d2c…", "rssiDbm": -84}`
 * - `time`: milliseconds (epoch or any monotonic origin: only differences matter);
 * - `hex`: one L-prefixed telegram, stripped (as the iM871A delivers it) or with format A/B DLL CRCs;
 * - `rssiDbm`: optional signal strength.
 * Blank lines and lines starting with `#` are comments.
 */
export interface CaptureLine {
  readonly time: number;
  readonly hex: string;
  readonly rssiDbm?: number;
}

export function formatCaptureLine(t: { time: number; bytes: Uint8Array; rssiDbm?: number }): string {
  return JSON.stringify({
    time: t.time,
    hex: bytesToHex(t.bytes),
    ...(t.rssiDbm === undefined ? {} : { rssiDbm: t.rssiDbm }),
  });
}

/** Parses one capture line; throws WMBUS_ERR_CAPTURE naming `where` (file:line) when it is malformed. */
export function parseCaptureLine(
  line: string,
  where: string,
): { time: number; bytes: Uint8Array; rssiDbm?: number } {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    throw new WmbusError('WMBUS_ERR_CAPTURE', `${where}: not a JSON object`);
  }
  const d = doc as Record<string, unknown> | null;
  if (d === null || typeof d !== 'object')
    throw new WmbusError('WMBUS_ERR_CAPTURE', `${where}: not a JSON object`);
  if (typeof d['time'] !== 'number' || !Number.isFinite(d['time']))
    throw new WmbusError('WMBUS_ERR_CAPTURE', `${where}: "time" must be a number of milliseconds`);
  const bytes = typeof d['hex'] === 'string' ? hexToBytes(d['hex']) : undefined;
  if (bytes === undefined || bytes.length < 11)
    throw new WmbusError(
      'WMBUS_ERR_CAPTURE',
      `${where}: "hex" must be a telegram in hex (at least 11 bytes)`,
    );
  const rssi = d['rssiDbm'];
  if (rssi !== undefined && typeof rssi !== 'number')
    throw new WmbusError('WMBUS_ERR_CAPTURE', `${where}: "rssiDbm" must be a number`);
  return { time: d['time'], bytes, ...(rssi === undefined ? {} : { rssiDbm: rssi }) };
}

/** Replays a JSON Lines capture (see CaptureLine), optionally looping forever. */
export class CaptureReplay implements TelegramSource {
  readonly #path: string;
  readonly #loop: boolean;

  constructor(options: { path: string; loop?: boolean }) {
    this.#path = options.path;
    this.#loop = options.loop ?? false;
  }

  async *telegrams(): AsyncGenerator<SourceTelegram> {
    let offset = 0;
    for (;;) {
      let first: number | undefined;
      let last = 0;
      let lineNo = 0;
      const lines = createInterface({
        input: createReadStream(this.#path, 'utf8'),
        crlfDelay: Number.POSITIVE_INFINITY,
      });
      for await (const raw of lines) {
        lineNo++;
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) continue;
        const t = parseCaptureLine(line, `${this.#path}:${lineNo}`);
        first ??= t.time;
        last = t.time - first;
        yield {
          atMs: offset + last,
          bytes: t.bytes,
          ...(t.rssiDbm === undefined ? {} : { rssiDbm: t.rssiDbm }),
        };
      }
      if (!this.#loop || first === undefined) return;
      offset += last + 1_000;
    }
  }
}
