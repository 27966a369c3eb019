import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './free-port.js';
import { serviceEnv } from './services.js';

export interface MosquittoProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Graceful stop (SIGTERM); persistence is written. */
  stop(): Promise<void>;
  /** Hard stop (SIGKILL). */
  kill(): Promise<void>;
  /** Starts again on the same port with the same persistence folder. */
  start(): Promise<void>;
}

/** The broker configuration iotgw ships (`infra/mosquitto/mosquitto.conf`), minus listener and paths. */
export function projectMosquittoConfig(): string {
  const path = fileURLToPath(new URL('../../../infra/mosquitto/mosquitto.conf', import.meta.url));
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(
      (l) =>
        !/^\s*(listener|port|persistence_location|log_dest|pid_file|user|include_dir|password_file|acl_file|allow_anonymous|persistence_file)\b/.test(
          l,
        ),
    )
    .join('\n');
}

/**
 * Starts a private Mosquitto on a free loopback port with the project's broker settings, for tests
 * that stop, kill or load the broker. Only this process is ever stopped, by its PID.
 */
export async function startMosquitto(
  options: { port?: number; extraConfig?: string } = {},
): Promise<MosquittoProcess> {
  const bin = serviceEnv.mosquittoBin ?? 'mosquitto';
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      projectMosquittoConfig(),
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      `persistence_location ${dir}/`,
      'log_dest none',
      // Run as root, Mosquitto drops to user mosquitto, which cannot write the private persistence
      // folder: nothing would be persisted across a restart.
      process.getuid?.() === 0 ? 'user root' : '',
      options.extraConfig ?? '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  async function start(): Promise<void> {
    const c = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr?.on('data', (d) => {
      stderr += String(d);
    });
    child = c;
    const exited = new Promise<never>((_, reject) =>
      c.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}: ${stderr.trim()}`))),
    );
    await Promise.race([waitForPort(port), exited]);
    exited.catch(() => {});
  }
  async function signal(sig: NodeJS.Signals): Promise<void> {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(sig);
    });
  }
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.pid;
    },
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    start,
  };
}
