import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_FORMAT_IDS } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';
import { checkEdgeConfig, loadEdgeConfig } from '../src/config/load-edge-config.js';

function tmpFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-edge-config-'));
  const file = join(dir, 'edge.yaml');
  writeFileSync(file, text);
  return file;
}

describe('edge configuration', () => {
  it('fills every default from a minimal file', () => {
    const cfg = loadEdgeConfig(tmpFile('gatewayId: gw-1\n'), {});
    expect(cfg).toMatchObject({
      version: 1,
      gatewayId: 'gw-1',
      stateDir: '/var/lib/iotgw',
      mqtt: { url: 'mqtt://127.0.0.1:1883', protocolVersion: 'auto', keepalive: 60 },
      ble: { enabled: false, dedupWindowS: 10, formats: [...DEFAULT_FORMAT_IDS] },
      wmbus: { enabled: false, linkMode: 'c1' },
      outbox: { fsync: 'group', groupCommitMs: 5 },
      homeAssistant: { enabled: false, prefix: 'homeassistant' },
      health: { port: 0 },
      commands: { allowStop: false },
    });
  });

  it('accepts the shipped example (infra/edge/edge.yaml)', () => {
    const file = fileURLToPath(new URL('../../../infra/edge/edge.yaml', import.meta.url));
    const { problems } = checkEdgeConfig(file, {});
    expect(problems).toEqual([]);
  });

  it('lets the environment override the file', () => {
    const cfg = loadEdgeConfig(tmpFile('gatewayId: gw-1\n'), {
      MQTT_URL: 'mqtt://10.0.0.2:1883',
      IOTGW_EDGE_BLE__DEDUP_WINDOW_S: '5',
      IOTGW_STATE_DIR: '/tmp/state',
    });
    expect(cfg.mqtt.url).toBe('mqtt://10.0.0.2:1883');
    expect(cfg.ble.dedupWindowS).toBe(5);
    expect(cfg.stateDir).toBe('/tmp/state');
  });

  it('lists every problem with its path', () => {
    const file = tmpFile(
      'gatewayId: "gw/1"\nmqtt:\n  url: http://x\n  password: hunter2\nble:\n  dedupWindowS: -1\n  allow: [nope]\nwmbus:\n  linkMode: s1\n',
    );
    const { problems } = checkEdgeConfig(file, {});
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.gatewayId',
        '$.mqtt.url',
        '$.mqtt.password',
        '$.ble.dedupWindowS',
        '$.ble.allow[0]',
        '$.wmbus.linkMode',
      ]),
    );
    expect(problems.map((p) => `${p.source} ${p.path} ${p.message}`).join('\n')).not.toContain('hunter2');
    for (const p of problems) expect(p.source).toMatch(/edge\.yaml:\d+:\d+$/);
  });
});
