import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverMain } from './build-dist.js';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly cwd: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `node dist/main.js <args>` in a fresh working directory (no stray .env) with only the given
 * environment (plus PATH), collecting its output.
 */
export function startServerProcess(env: Record<string, string>, args: string[] = []): ServerProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'iotgw-server-run-'));
  const child = spawn(process.execPath, [serverMain, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, cwd, stdout: () => out, stderr: () => err, exited };
}

/** Polls `probe` every 100 ms until it returns true, or throws after `timeoutMs` with `what`. */
export async function eventually(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
