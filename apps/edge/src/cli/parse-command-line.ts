import { parseArgs } from 'node:util';
import { type DecodeBleCommand, parseDecodeBle } from './parse-decode-ble.js';
import {
  parseDriversCommand,
  parseWmbusTelegramCommand,
  type WmbusCommand,
  wmbusCliOptions,
} from './wmbus-commands.js';

export type Command =
  | { kind: 'run'; config: string | undefined }
  | { kind: 'config-check'; file: string | undefined }
  | DecodeBleCommand
  | WmbusCommand
  | { kind: 'capture'; source: 'ble' | 'wmbus'; out: string; config: string | undefined; seconds?: number }
  | { kind: 'help' }
  | { kind: 'version' };

export type ParsedCommandLine = { ok: true; command: Command } | { ok: false; message: string };

export const USAGE = `Usage: iotgw-edge [command] [options]

Commands:
  run [--config FILE]                    run the gateway (default; FILE defaults to /etc/iotgw/edge.yaml)
  config check [FILE]                    validate a config file and print every problem with its path
  decode ble [--key MAC=HEX] [--name NAME] [--service-uuid UUID] HEX
                                         identify and decode one BLE advertisement (HEX: manufacturer
                                         data, company id first; or service data with --service-uuid)
  decode wmbus [--key HEX] [--drivers DIR] [--pre-decrypted] [--format json] TELEGRAM...
                                         decode wM-Bus telegrams of one meter in order, one JSON line each
                                         (--format json: wmbusmeters' shape)
  analyze wmbus [--key HEX] [--pre-decrypted] HEX
                                         show a wM-Bus telegram field by field
  drivers test PATH...                   run the tests embedded in meter driver files (.json .yaml .xmq)
  drivers list [--drivers DIR]           list the meter drivers (built-in, plus DIR)
  capture ble|wmbus --out FILE [--config FILE] [--seconds N]
                                         record what the configured source hears, in replay format

Options:
  --help, -h       show this help
  --version, -v    print the version

Secrets (MQTT password, keys) come from the environment or files named in the config
(env:NAME, file:/path), never from the config file itself.`;

function fail(message: string): ParsedCommandLine {
  return { ok: false, message };
}

/** Parses iotgw-edge's command line. Pure: returns the command or a one-line reason. */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        config: { type: 'string', short: 'c' },
        address: { type: 'string' },
        manufacturer: { type: 'string' },
        service: { type: 'string', multiple: true },
        key: { type: 'string' },
        name: { type: 'string' },
        'service-uuid': { type: 'string' },
        out: { type: 'string', short: 'o' },
        seconds: { type: 'string' },
        ...wmbusCliOptions,
      },
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const pos = parsed.positionals;
  if (v['help']) return { ok: true, command: { kind: 'help' } };
  if (v['version']) return { ok: true, command: { kind: 'version' } };
  const config = typeof v['config'] === 'string' ? v['config'] : undefined;
  if (pos[0] === 'decode' && pos[1] === 'ble') return parseDecodeBle(v, pos.slice(2));
  const key = typeof v['key'] === 'string' ? v['key'].replace(/\s/g, '') : undefined;
  if (key !== undefined && !/^[0-9a-fA-F]{32}$/.test(key))
    return fail('--key must be 32 hex digits (a 16-byte AES key)');
  const [first, second, ...rest] = pos;

  switch (first) {
    case undefined:
    case 'run':
      if (pos.length > 1) return fail(`unexpected argument '${pos[1]}' (see --help)`);
      return { ok: true, command: { kind: 'run', config } };
    case 'config':
      if (second !== 'check')
        return fail(`unknown config command '${second ?? ''}'; try: iotgw-edge config check FILE`);
      if (rest.length > 1) return fail(`unexpected argument '${rest[1]}'`);
      return { ok: true, command: { kind: 'config-check', file: rest[0] ?? config } };
    case 'decode':
    case 'analyze': {
      if (second === 'wmbus') return parseWmbusTelegramCommand(first, rest, v, key);
      return fail(
        `unknown ${first} target '${second ?? ''}'; try: ${first} wmbus${first === 'decode' ? ' | decode ble' : ''}`,
      );
    }
    case 'drivers':
      return parseDriversCommand(second, rest, v);
    case 'capture': {
      if (second !== 'ble' && second !== 'wmbus')
        return fail('capture needs a source: capture ble|wmbus --out FILE');
      const out = v['out'];
      if (typeof out !== 'string') return fail('capture needs --out FILE');
      let seconds: number | undefined;
      if (typeof v['seconds'] === 'string') {
        seconds = Number(v['seconds']);
        if (!Number.isFinite(seconds) || seconds <= 0) return fail('--seconds must be a positive number');
      }
      return {
        ok: true,
        command: { kind: 'capture', source: second, out, config, ...(seconds ? { seconds } : {}) },
      };
    }
    default:
      return fail(`unknown command '${first}' (see --help)`);
  }
}
