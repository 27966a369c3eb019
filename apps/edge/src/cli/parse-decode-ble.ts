/** `decode ble` arguments, parsed apart from the other commands (their options overlap only in `--key`). */
export interface DecodeBleCommand {
  kind: 'decode-ble';
  address: string;
  manufacturer?: string;
  service: { uuid: string; hex: string }[];
  /** Bind key (32 hex digits) for `address`. */
  key?: string;
  name?: string;
}

type Parsed = { ok: true; command: DecodeBleCommand } | { ok: false; message: string };

const HEX = /^([0-9a-fA-F]{2})*$/;
const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const UUID = /^(0x)?([0-9a-fA-F]{4}|[0-9a-fA-F-]{32,36})$/;

/**
 * `decode ble [--key MAC=HEX] [--name NAME] [--service-uuid UUID] HEX`: HEX is manufacturer data
 * (company id first, as noble gives it), or service data when `--service-uuid` is given. The long
 * form `--address MAC [--manufacturer HEX] [--service UUID:HEX]... [--key HEX]` still works.
 */
export function parseDecodeBle(
  v: Readonly<Record<string, string | boolean | string[] | undefined>>,
  positionals: readonly string[],
): Parsed {
  const fail = (message: string): Parsed => ({ ok: false, message });
  let address = typeof v['address'] === 'string' ? v['address'] : undefined;
  let key: string | undefined;
  if (typeof v['key'] === 'string') {
    const m = /^(?:([0-9a-fA-F:]{17})=)?([0-9a-fA-F\s]+)$/.exec(v['key'].trim());
    const hex = m?.[2]?.replace(/\s/g, '');
    if (!m || hex === undefined || !/^[0-9a-fA-F]{32}$/.test(hex))
      return fail('--key must be MAC=HEX or HEX, with 32 hex digits (a 16-byte key)');
    if (m[1] !== undefined) {
      if (!MAC.test(m[1])) return fail(`--key: '${m[1]}' is not a MAC address`);
      if (address !== undefined && address.toUpperCase() !== m[1].toUpperCase())
        return fail('--key is for another MAC than --address');
      address = m[1];
    }
    key = hex;
  }
  address ??= '00:00:00:00:00:00';
  if (!MAC.test(address)) return fail('decode ble needs --address AA:BB:CC:DD:EE:FF');
  let manufacturer = typeof v['manufacturer'] === 'string' ? v['manufacturer'].replace(/\s/g, '') : undefined;
  if (manufacturer !== undefined && !HEX.test(manufacturer)) return fail('--manufacturer must be hex');
  const service: { uuid: string; hex: string }[] = [];
  for (const s of (v['service'] as string[] | undefined) ?? []) {
    const m = /^([0-9a-fA-F]{4}|[0-9a-fA-F-]{32,36}):(([0-9a-fA-F]{2})*)$/.exec(s);
    if (!m) return fail(`--service must be UUID:HEX (e.g. fcd2:4002c4), got '${s}'`);
    service.push({ uuid: (m[1] as string).toLowerCase(), hex: m[2] as string });
  }
  const hex = positionals.join('').replace(/\s/g, '');
  if (hex !== '') {
    if (!HEX.test(hex)) return fail('the advert data must be an even number of hex digits');
    const uuid = v['service-uuid'];
    if (typeof uuid === 'string') {
      const m = UUID.exec(uuid);
      if (!m) return fail(`--service-uuid must be a 16-bit UUID like fcd2, got '${uuid}'`);
      service.push({ uuid: (m[2] as string).toLowerCase(), hex });
    } else {
      if (manufacturer !== undefined) return fail('give the manufacturer data once (HEX or --manufacturer)');
      manufacturer = hex;
    }
  } else if (typeof v['service-uuid'] === 'string')
    return fail('--service-uuid needs the service data as HEX');
  if (manufacturer === undefined && service.length === 0)
    return fail('decode ble needs HEX (manufacturer data), --service-uuid UUID HEX, or --service UUID:HEX');
  const name = typeof v['name'] === 'string' ? v['name'] : undefined;
  return {
    ok: true,
    command: {
      kind: 'decode-ble',
      address: address.toUpperCase(),
      service,
      ...(manufacturer ? { manufacturer } : {}),
      ...(key ? { key } : {}),
      ...(name !== undefined ? { name } : {}),
    },
  };
}
