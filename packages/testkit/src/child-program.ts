import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ChildProgram {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  /** The lines written to stdout and stderr so far (the last `maxLines`). */
  readonly lines: string[];
  /** Resolves with the first line (already written or still to come) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal name) once the program has ended. */
  readonly exited: Promise<number | string>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

/**
 * Starts a program (typically `node dist/main.js …` of an app) as a child process and keeps its output
 * lines, for tests that watch, signal or kill it. Only this process is ever signalled, by its PID.
 */
export function startChildProgram(
  command: string,
  args: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    cwd?: string;
    /** Also append every line to this file. */
    logFile?: string;
    /** Lines kept in memory; default 20,000 (a long-running program must not grow the test's memory). */
    maxLines?: number;
  } = {},
): ChildProgram {
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const maxLines = options.maxLines ?? 20_000;
  const log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  child.once('exit', () => log?.end());
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const onData = (buffered: { rest: string }) => (chunk: Buffer) => {
    const text = buffered.rest + chunk.toString('utf8');
    const parts = text.split('\n');
    buffered.rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
      log?.write(`${line}\n`);
      for (const w of waiters) {
        if (w.pattern.test(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', onData({ rest: '' }));
  child.stderr?.on('data', onData({ rest: '' }));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    pid: child.pid,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 20_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<string>((resolve, reject) => {
        const waiter = { pattern, resolve: (_line: string) => {} };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `no line matching ${pattern} after ${timeoutMs} ms; last lines:\n${lines.slice(-15).join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiter.resolve = (line: string) => {
          clearTimeout(timer);
          resolve(line);
        };
        waiters.add(waiter);
        exited.then((code) => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(
            new Error(
              `the program exited (${code}) before a line matching ${pattern}; last lines:\n${lines.slice(-15).join('\n')}`,
            ),
          );
        });
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
