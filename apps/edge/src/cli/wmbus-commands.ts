import {
  analyzeTelegram,
  builtInDrivers,
  type DriverRegistry,
  decodeTelegram,
  formatAnalysis,
  hexToBytes,
  MeterDecodeState,
  type MeterDriver,
  mergeDrivers,
  runDriverTests,
  wmbusmetersJson,
} from '@iotgw/wmbus';
import { formatDriverProblem, loadDriverFiles } from '@iotgw/wmbus/driver-files';

/** The wM-Bus commands: decode / analyze a telegram, test and list meter drivers. */
export type WmbusCommand =
  | {
      kind: 'decode-wmbus';
      telegrams: string[];
      key?: string;
      drivers?: string;
      preDecrypted?: boolean;
      format?: 'json' | 'reading';
    }
  | { kind: 'analyze-wmbus'; hex: string; key?: string; preDecrypted?: boolean }
  | { kind: 'drivers-test'; paths: string[] }
  | { kind: 'drivers-list'; drivers?: string };

export type ParsedWmbusCommand = { ok: true; command: WmbusCommand } | { ok: false; message: string };

/** The options these commands add to iotgw-edge's command line (node:util parseArgs form). */
export const wmbusCliOptions = {
  drivers: { type: 'string' },
  'pre-decrypted': { type: 'boolean' },
  format: { type: 'string' },
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

const fail = (message: string): ParsedWmbusCommand => ({ ok: false, message });

/** Telegram hex as people paste it: `_`, `|`, `#`, spaces, `0x`; undefined when it is not hex. */
export function cleanTelegramHex(text: string): string | undefined {
  const bytes = hexToBytes(text);
  return bytes === undefined || bytes.length === 0 ? undefined : Buffer.from(bytes).toString('hex');
}

/** `decode wmbus …` / `analyze wmbus …`: every positional argument is one telegram. */
export function parseWmbusTelegramCommand(
  verb: 'decode' | 'analyze',
  args: readonly string[],
  v: Values,
  key: string | undefined,
): ParsedWmbusCommand {
  if (args.length === 0) return fail(`${verb} wmbus needs the telegram as hex`);
  const telegrams: string[] = [];
  for (const a of args) {
    const hex = cleanTelegramHex(a);
    if (hex === undefined) return fail('the telegram must be an even number of hex digits');
    telegrams.push(hex);
  }
  const preDecrypted = v['pre-decrypted'] === true;
  if (verb === 'analyze') {
    if (telegrams.length > 1) return fail('analyze wmbus takes one telegram');
    return {
      ok: true,
      command: {
        kind: 'analyze-wmbus',
        hex: telegrams[0] as string,
        ...(key ? { key } : {}),
        ...(preDecrypted ? { preDecrypted } : {}),
      },
    };
  }
  const format = v['format'];
  if (format !== undefined && format !== 'json' && format !== 'reading')
    return fail("--format must be json (wmbusmeters' shape) or reading");
  const drivers = v['drivers'];
  return {
    ok: true,
    command: {
      kind: 'decode-wmbus',
      telegrams,
      ...(key ? { key } : {}),
      ...(typeof drivers === 'string' ? { drivers } : {}),
      ...(preDecrypted ? { preDecrypted } : {}),
      ...(format === undefined ? {} : { format }),
    },
  };
}

/** `drivers test PATH…` / `drivers list [--drivers DIR]`. */
export function parseDriversCommand(
  sub: string | undefined,
  args: readonly string[],
  v: Values,
): ParsedWmbusCommand {
  if (sub === 'test') {
    if (args.length === 0) return fail('drivers test needs driver files or directories');
    return { ok: true, command: { kind: 'drivers-test', paths: [...args] } };
  }
  if (sub === 'list') {
    if (args.length > 0) return fail(`unexpected argument '${args[0]}'`);
    const drivers = v['drivers'];
    return {
      ok: true,
      command: { kind: 'drivers-list', ...(typeof drivers === 'string' ? { drivers } : {}) },
    };
  }
  return fail(`unknown drivers command '${sub ?? ''}'; try: drivers test PATH… | drivers list`);
}

export interface WmbusCommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

function driversWith(dir: string | undefined): { registry?: DriverRegistry; notes: string[]; bad: number } {
  if (dir === undefined) return { notes: [], bad: 0 };
  const report = loadDriverFiles([dir]);
  const merged = mergeDrivers(
    builtInDrivers,
    report.drivers.map((d) => d.driver),
  );
  const notes = [
    ...report.problems.map(formatDriverProblem),
    ...merged.replaced.map((n) => `user driver ${n} replaces the built-in driver`),
    ...merged.conflicts.map((c) => `driver conflict: ${c}; the first one is used`),
  ];
  return { registry: merged.registry, notes, bad: report.problems.length };
}

function decode(cmd: Extract<WmbusCommand, { kind: 'decode-wmbus' }>): WmbusCommandResult {
  const { registry, notes } = driversWith(cmd.drivers);
  const state = new MeterDecodeState();
  const out: string[] = [];
  const errors = [...notes];
  let failed = 0;
  for (const hex of cmd.telegrams) {
    const r = decodeTelegram(bytes(hex), {
      state,
      ...(cmd.key ? { key: bytes(cmd.key) } : {}),
      ...(cmd.preDecrypted ? { preDecrypted: true } : {}),
      ...(registry ? { drivers: registry } : {}),
    });
    if (!r.ok) {
      failed++;
      errors.push(`cannot decode the telegram: ${r.code}: ${r.detail}`);
      continue;
    }
    const { reading } = r;
    out.push(
      JSON.stringify(
        cmd.format === 'json'
          ? wmbusmetersJson(reading, { timestamp: new Date().toISOString() })
          : {
              id: reading.id,
              manufacturer: reading.manufacturer,
              driver: reading.driver,
              media: reading.media,
              frame: reading.frame,
              ...reading.values,
              units: reading.units,
            },
      ),
    );
  }
  return { code: failed > 0 ? 1 : 0, stdout: out.join('\n'), stderr: errors.join('\n') };
}

function test(paths: readonly string[]): WmbusCommandResult {
  const report = loadDriverFiles(paths);
  const lines = report.problems.map(formatDriverProblem);
  let passed = 0;
  let failed = 0;
  for (const { file, driver } of report.drivers)
    for (const r of runDriverTests(driver)) {
      if (r.ok) passed++;
      else {
        failed++;
        lines.push(`FAIL ${file} ${driver.name} test ${r.index + 1}: ${r.differences.join('; ')}`);
      }
    }
  const bad = report.problems.length;
  lines.push(
    `${passed} passed, ${failed} failed${bad > 0 ? `, ${bad} driver file problem${bad === 1 ? '' : 's'}` : ''}`,
  );
  return { code: failed > 0 || bad > 0 ? 1 : 0, stdout: lines.join('\n'), stderr: '' };
}

function describe(d: MeterDriver): string {
  const detect = d.detect
    .map(
      (t) =>
        `${t.manufacturer},${t.version < 0 ? '*' : t.version.toString(16).padStart(2, '0')},${t.deviceType.toString(16).padStart(2, '0')}`,
    )
    .join(' ');
  return `${d.name.padEnd(16)} ${d.media.padEnd(22)} ${detect}${d.aliases.length > 0 ? `  (aliases: ${d.aliases.join(', ')})` : ''}`;
}

function list(dir: string | undefined): WmbusCommandResult {
  const { registry, notes } = driversWith(dir);
  const drivers = [...(registry?.drivers ?? builtInDrivers)].sort((a, b) => a.name.localeCompare(b.name));
  return {
    code: 0,
    stdout: [...drivers.map(describe), `${drivers.length} drivers`].join('\n'),
    stderr: notes.join('\n'),
  };
}

/** Runs a wM-Bus command; never throws for bad telegrams or driver files (they are reported). */
export function runWmbusCommand(cmd: WmbusCommand): WmbusCommandResult {
  switch (cmd.kind) {
    case 'decode-wmbus':
      return decode(cmd);
    case 'analyze-wmbus': {
      const lines = analyzeTelegram(bytes(cmd.hex), {
        ...(cmd.key ? { key: bytes(cmd.key) } : {}),
        ...(cmd.preDecrypted ? { preDecrypted: true } : {}),
      });
      return { code: 0, stdout: formatAnalysis(lines), stderr: '' };
    }
    case 'drivers-test':
      return test(cmd.paths);
    case 'drivers-list':
      return list(cmd.drivers);
  }
}
