import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildRouter {
  readonly pid: number | undefined;
  readonly stderr: () => string;
  /** The counters the child printed when it stopped cleanly (null before, or after a kill). */
  readonly stats: () => Record<string, number> | null;
  /** SIGKILL: no chance to commit, acknowledge or close anything. */
  kill(): Promise<void>;
  /** SIGTERM: the router stops cleanly. */
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('./router-child.ts', import.meta.url));

/** Starts `router-child.ts` under plain node (against the built package) and waits for `ready`. */
export async function startChildRouter(env: Record<string, string>): Promise<ChildRouter> {
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`router child not ready after 30 s: ${stderr}`)), 30_000);
    child.stdout?.on('data', (d) => {
      if (String(d).includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`router child exited with ${code}: ${stderr}`));
    });
  });
  const signal = (sig: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(sig);
    });
  return {
    pid: child.pid,
    stderr: () => stderr,
    stats: () => {
      const line = stdout.split('\n').find((l) => l.startsWith('stats '));
      return line ? (JSON.parse(line.slice(6)) as Record<string, number>) : null;
    },
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}
