import { parseCommandLine, runCli } from '@iotgw/server';
import { describe, expect, it } from 'vitest';

describe('iotgw-server command line', () => {
  it('parses run, --no-migrate, migrate, --help and --version', () => {
    expect(parseCommandLine([])).toEqual({ ok: true, command: { kind: 'run', migrate: true } });
    expect(parseCommandLine(['run', '--no-migrate'])).toEqual({
      ok: true,
      command: { kind: 'run', migrate: false },
    });
    expect(parseCommandLine(['--no-migrate'])).toEqual({
      ok: true,
      command: { kind: 'run', migrate: false },
    });
    expect(parseCommandLine(['migrate'])).toEqual({ ok: true, command: { kind: 'migrate' } });
    expect(parseCommandLine(['-h'])).toEqual({ ok: true, command: { kind: 'help' } });
    expect(parseCommandLine(['--version'])).toEqual({ ok: true, command: { kind: 'version' } });
  });

  it('refuses unknown commands and options in one line', () => {
    expect(parseCommandLine(['serve'])).toEqual({
      ok: false,
      message: "unknown command 'serve' (see --help)",
    });
    expect(parseCommandLine(['run', 'x'])).toEqual({
      ok: false,
      message: "unexpected argument 'x' (see --help)",
    });
    expect(parseCommandLine(['--port', '1']).ok).toBe(false);
  });

  it('exits 2 on a usage error and 1 on a configuration error, with one line on stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await runCli(['nope'], {}, io)).toBe(2);
    expect(await runCli(['migrate'], { DATABASE_URL: 'oracle://x' }, io)).toBe(1);
    expect(err).toEqual([
      "iotgw-server: unknown command 'nope' (see --help)",
      'iotgw-server: DATABASE_URL must start with mysql:// or sqlite: (got oracle:)',
    ]);
    expect(await runCli(['--version'], {}, io)).toBe(0);
    expect(out[0]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
