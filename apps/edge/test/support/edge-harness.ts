import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildProgram, repoRoot, startChildProgram } from '@iotgw/testkit';
import { stringify } from 'yaml';

export const edgeMain = join(repoRoot, 'apps/edge/dist/main.js');
export const bleCapture = join(repoRoot, 'packages/ble/fixtures/capture.jsonl');
/** The demo bind key of the encrypted BTHome device in the capture (packages/ble/fixtures/README.md). */
export const DEMO_BINDKEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `iotgw-edge-${name}-`));
}

/** Writes an edge.yaml (defaults fill the rest) and returns its path. */
export function writeEdgeConfig(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'edge.yaml');
  writeFileSync(
    file,
    stringify({
      version: 1,
      stateDir: join(dir, 'state'),
      log: { level: 'info', format: 'json' },
      ...config,
    }),
  );
  return file;
}

/** Starts `node dist/main.js run --config FILE` and waits for its start-up line. */
export async function startEdge(configFile: string, env: Record<string, string> = {}): Promise<ChildProgram> {
  const edge = startChildProgram(process.execPath, [edgeMain, 'run', '--config', configFile], {
    env: { E2E_BINDKEY: DEMO_BINDKEY, ...env },
  });
  await edge.waitForLine(/iotgw-edge started/);
  return edge;
}
