import { type Advertisement, decodeAdvertisement } from '@iotgw/ble';
import { analyzeTelegram, decodeTelegram, formatAnalysis } from '@iotgw/wmbus';

/** The command line already checked that these are hex. */
const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

import type { Command } from './parse-command-line.js';

export type CommandOutput = { ok: true; output: string } | { ok: false; message: string };

/** `iotgw-edge decode ble`: one advert as noble would report it → the decoded reading as JSON. */
export function decodeBle(cmd: Extract<Command, { kind: 'decode-ble' }>): CommandOutput {
  const adv: Advertisement = {
    address: cmd.address,
    ...(cmd.name !== undefined ? { localName: cmd.name } : {}),
    ...(cmd.manufacturer ? { manufacturerData: bytes(cmd.manufacturer) } : {}),
    ...(cmd.service.length > 0
      ? { serviceData: cmd.service.map((s) => ({ uuid: s.uuid, data: bytes(s.hex) })) }
      : {}),
  };
  const keys = cmd.key ? new Map([[cmd.address, bytes(cmd.key)]]) : undefined;
  const r = decodeAdvertisement(adv, keys ? { keys } : {});
  if (!r.ok) return { ok: false, message: `cannot decode the advert: ${r.code}: ${r.detail}` };
  const out: Record<string, unknown> = {
    format: r.format,
    brand: r.brand,
    model: r.model,
    model_id: r.modelId,
    address: r.address,
    ...r.values,
  };
  if (r.sequence !== undefined) out['sequence'] = r.sequence;
  return { ok: true, output: JSON.stringify(out) };
}

/** `iotgw-edge decode wmbus`: one telegram → the reading with the driver's value names, as JSON. */
export function decodeWmbus(cmd: Extract<Command, { kind: 'decode-wmbus' }>): CommandOutput {
  const r = decodeTelegram(bytes(cmd.hex), cmd.key ? { key: bytes(cmd.key) } : {});
  if (!r.ok) return { ok: false, message: `cannot decode the telegram: ${r.code}: ${r.detail}` };
  const { reading } = r;
  return {
    ok: true,
    output: JSON.stringify({
      id: reading.id,
      manufacturer: reading.manufacturer,
      driver: reading.driver,
      media: reading.media,
      frame: reading.frame,
      ...reading.values,
      units: reading.units,
    }),
  };
}

/** `iotgw-edge analyze wmbus`: field by field, like `wmbusmeters --analyze`. */
export function analyzeWmbus(cmd: Extract<Command, { kind: 'analyze-wmbus' }>): CommandOutput {
  const lines = analyzeTelegram(bytes(cmd.hex), cmd.key ? { key: bytes(cmd.key) } : {});
  return { ok: true, output: formatAnalysis(lines) };
}
