import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/parse-command-line.js';

describe('iotgw-edge command line', () => {
  it.each([
    [[], { kind: 'run', config: undefined }],
    [['run', '--config', '/etc/x.yaml'], { kind: 'run', config: '/etc/x.yaml' }],
    [['config', 'check', 'a.yaml'], { kind: 'config-check', file: 'a.yaml' }],
    [['decode', 'wmbus', '27442D2C'], { kind: 'decode-wmbus', telegrams: ['27442d2c'] }],
    [
      [
        'decode',
        'wmbus',
        '--pre-decrypted',
        '--format',
        'json',
        '--drivers',
        'd',
        '0x2744_2D|2C#00',
        '27 44',
      ],
      {
        kind: 'decode-wmbus',
        telegrams: ['27442d2c00', '2744'],
        drivers: 'd',
        preDecrypted: true,
        format: 'json',
      },
    ],
    [['drivers', 'test', 'a.xmq', 'dir'], { kind: 'drivers-test', paths: ['a.xmq', 'dir'] }],
    [['drivers', 'list', '--drivers', 'dir'], { kind: 'drivers-list', drivers: 'dir' }],
    [
      ['analyze', 'wmbus', '--key', '9A25139E3244CC2E391A8EF6B915B697', '2744'],
      { kind: 'analyze-wmbus', hex: '2744', key: '9A25139E3244CC2E391A8EF6B915B697' },
    ],
    [
      ['decode', 'ble', '--address', 'aa:bb:cc:dd:ee:ff', '--service', 'FCD2:4002c4', '--service', 'fcd2:40'],
      {
        kind: 'decode-ble',
        address: 'AA:BB:CC:DD:EE:FF',
        service: [
          { uuid: 'fcd2', hex: '4002c4' },
          { uuid: 'fcd2', hex: '40' },
        ],
      },
    ],
    [
      ['capture', 'ble', '--out', 'c.jsonl', '--seconds', '30'],
      { kind: 'capture', source: 'ble', out: 'c.jsonl', config: undefined, seconds: 30 },
    ],
    [['--version'], { kind: 'version' }],
    [['decode', '--help'], { kind: 'help' }],
  ])('%j', (argv, command) => {
    expect(parseCommandLine(argv)).toEqual({ ok: true, command });
  });

  it.each([
    [['frobnicate'], "unknown command 'frobnicate' (see --help)"],
    [['decode', 'wmbus'], 'decode wmbus needs the telegram as hex'],
    [['decode', 'wmbus', 'abc'], 'the telegram must be an even number of hex digits'],
    [['decode', 'wmbus', '--key', '12', 'aa'], '--key must be 32 hex digits (a 16-byte AES key)'],
    [
      ['decode', 'ble', '--address', 'nope', '--manufacturer', 'ffff'],
      'decode ble needs --address AA:BB:CC:DD:EE:FF',
    ],
    [['decode', 'wmbus', '--format', 'xml', 'aa'], "--format must be json (wmbusmeters' shape) or reading"],
    [['drivers', 'test'], 'drivers test needs driver files or directories'],
    [['drivers', 'remove'], "unknown drivers command 'remove'; try: drivers test PATH… | drivers list"],
    [
      ['decode', 'ble', '--address', 'AA:BB:CC:DD:EE:FF'],
      'decode ble needs HEX (manufacturer data), --service-uuid UUID HEX, or --service UUID:HEX',
    ],
    [['capture', 'ble'], 'capture needs --out FILE'],
    [['run', '--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j', (argv, message) => {
    const r = parseCommandLine(argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
});
