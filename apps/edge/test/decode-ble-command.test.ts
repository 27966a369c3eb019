import { describe, expect, it } from 'vitest';
import { decodeBle } from '../src/cli/decode-commands.js';
import { parseCommandLine } from '../src/cli/parse-command-line.js';

function decode(args: string[]) {
  const parsed = parseCommandLine(['decode', 'ble', ...args]);
  if (!parsed.ok) return { parseError: parsed.message };
  if (parsed.command.kind !== 'decode-ble') throw new Error('not decode-ble');
  const r = decodeBle(parsed.command);
  return r.ok ? JSON.parse(r.output) : { error: r.message };
}

// Adverts from Theengs Decoder's tests/BLE/test_ble.cpp (theengs/decoder).
describe('iotgw-edge decode ble [--key MAC=HEX] [--name NAME] [--service-uuid UUID] HEX', () => {
  it('identifies manufacturer data by company id and local name', () => {
    expect(decode(['--name', 'GVH5075_1234', '88ec000418ee6400'])).toMatchObject({
      format: 'govee',
      brand: 'Govee',
      model: 'Thermo-Hygrometer',
      model_id: 'H5072/75',
      temperature_c: 26.8,
      humidity_pct: 52.6,
      battery_pct: 100,
    });
  });

  it('decodes service data with --service-uuid (any case, 0x prefix allowed)', () => {
    expect(decode(['--service-uuid', '0xFDCD', '0807ffeeddccbbaa01041201720202010d'])).toMatchObject({
      brand: 'ClearGrass/Qingping',
      model_id: 'CGG1',
      temperature_c: 27.4,
      humidity_pct: 62.6,
      battery_pct: 13,
      mac: 'AA:BB:CC:DD:EE:FF',
    });
  });

  it('uses --key MAC=HEX as the address and its bind key', () => {
    const parsed = parseCommandLine([
      'decode',
      'ble',
      '--key',
      'a4:c1:38:00:00:02=a1b2c3d4e5f60718293a4b5c6d7e8f90',
      '--service-uuid',
      'fcd2',
      '4002c4',
    ]);
    expect(parsed).toMatchObject({
      ok: true,
      command: {
        address: 'A4:C1:38:00:00:02',
        key: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        service: [{ uuid: 'fcd2' }],
      },
    });
    // A plaintext BTHome advert from a device with a key is refused (downgrade), as in the gateway.
    expect(
      decode([
        '--key',
        'A4:C1:38:00:00:02=a1b2c3d4e5f60718293a4b5c6d7e8f90',
        '--service-uuid',
        'fcd2',
        '4002c409',
      ]),
    ).toMatchObject({ error: expect.stringMatching(/^cannot decode the advert: downgrade/) });
  });

  it.each([
    [['--key', 'zz'], /--key must be MAC=HEX or HEX/],
    [['--key', '11:22:33:44:55=a1b2c3d4e5f60718293a4b5c6d7e8f90', 'ffff'], /--key/],
    [['--service-uuid', 'fcd2'], /--service-uuid needs the service data/],
    [['--service-uuid', 'xyz', '40'], /--service-uuid must be a 16-bit UUID/],
    [['abc'], /even number of hex digits/],
    [[], /decode ble needs HEX/],
  ])('refuses %j with one line', (args, message) => {
    expect(decode(args as string[]).parseError).toMatch(message);
  });

  it('says why an advert is not decoded', () => {
    expect(decode(['590001020304'])).toEqual({
      error: 'cannot decode the advert: unknown_format: no device definition matches this advert',
    });
  });
});
