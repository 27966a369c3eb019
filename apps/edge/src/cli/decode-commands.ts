import { type Advertisement, decodeAdvertisement } from '@iotgw/ble';

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
