import { type ChildProcess, spawn } from 'node:child_process';

export interface PtyPair {
  /** The end the program under test opens (as it would open /dev/ttyUSB0). */
  readonly device: string;
  /** The other end, where a simulator plays the stick. */
  readonly peer: string;
  readonly pid: number | undefined;
  /** Ends socat: both ends go away, as when the stick is unplugged. */
  close(): Promise<void>;
}

/** A real pseudo-terminal pair made by `socat -d -d pty,raw,echo=0 pty,raw,echo=0`. */
export async function openPtyPair(options: { link?: string } = {}): Promise<PtyPair> {
  const first = options.link ? `pty,raw,echo=0,link=${options.link}` : 'pty,raw,echo=0';
  const child: ChildProcess = spawn('socat', ['-d', '-d', first, 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const paths = await new Promise<string[]>((resolve, reject) => {
    const found: string[] = [];
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`socat did not open a pty pair: ${stderr}`)), 5_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (apt-get install socat): ${e.message}`));
    });
    child.stderr?.on('data', (d) => {
      stderr += String(d);
      for (const m of String(d).matchAll(/PTY is (\S+)/g)) found.push(m[1] as string);
      if (found.length >= 2) {
        clearTimeout(timer);
        resolve(found);
      }
    });
  });
  return {
    device: options.link ?? (paths[0] as string),
    peer: paths[1] as string,
    pid: child.pid,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
