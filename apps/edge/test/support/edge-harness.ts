import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meterProvisioning, meterStatus } from '@iotgw/contracts';
import { type ChildProgram, repoRoot, startChildProgram } from '@iotgw/testkit';
import type { MqttClient } from 'mqtt';
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

/**
 * Publishes a provisioning list and waits until the edge's status report lists `expectDeviceId`;
 * publishes again every 2 s meanwhile (replacing the list is idempotent), because a message sent before
 * the edge's first subscription exists is not queued for it.
 */
export async function provision(
  client: MqttClient,
  gatewayId: string,
  entries: readonly Record<string, unknown>[],
  expectDeviceId: string,
  timeoutMs = 30_000,
): Promise<void> {
  const statusTopic = meterStatus.build({ gatewayId });
  let seen = false;
  const onMessage = (topic: string, payload: Buffer) => {
    if (topic === statusTopic && payload.toString().includes(`"deviceId":"${expectDeviceId}"`)) seen = true;
  };
  client.on('message', onMessage);
  await client.subscribeAsync(statusTopic, { qos: 1 });
  try {
    const deadline = Date.now() + timeoutMs;
    while (!seen) {
      if (Date.now() > deadline)
        throw new Error(`the edge did not report meter ${expectDeviceId} after ${timeoutMs} ms`);
      await client.publishAsync(meterProvisioning.build({ gatewayId }), JSON.stringify(entries), { qos: 1 });
      for (let i = 0; i < 100 && !seen; i++) await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    client.off('message', onMessage);
  }
}
