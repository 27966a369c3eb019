import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayCommand } from '@iotgw/contracts';
import { startAedes, startChildProgram, uniqueId, waitFor } from '@iotgw/testkit';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { bleCapture, edgeMain, startEdge, tempDir, writeEdgeConfig } from './support/edge-harness.js';

describe('iotgw-edge: the stop command and capture', () => {
  it('refuses {"command":"stop"} unless commands.allowStop is set; with it, stops cleanly (exit 0)', async () => {
    const broker = await startAedes();
    const client = await connectAsync(broker.url, { protocolVersion: 4 });
    try {
      for (const allowStop of [false, true]) {
        const gw = uniqueId('cmd');
        const config = writeEdgeConfig(tempDir('cmd'), {
          gatewayId: gw,
          mqtt: { url: broker.url },
          commands: { allowStop },
        });
        const edge = await startEdge(config);
        await edge.waitForLine(/connected to the broker/);
        const send = () =>
          client.publishAsync(gatewayCommand.build({ gatewayId: gw }), JSON.stringify({ command: 'stop' }), {
            qos: 1,
          });
        if (!allowStop) {
          // Resent until the edge's subscription exists; each copy is refused.
          await waitFor(async () => {
            await send();
            return edge.lines.some((l) => l.includes('stop command refused: commands.allowStop is false'));
          }, 'the refusal');
          expect(edge.child.exitCode).toBeNull();
          expect(await edge.stop('SIGTERM')).toBe(0);
        } else {
          await waitFor(async () => {
            await send();
            return edge.child.exitCode !== null;
          }, 'the edge to stop');
          expect(await edge.exited).toBe(0);
          expect(edge.lines.join('\n')).toContain('stop command received over MQTT');
        }
      }
    } finally {
      await client.endAsync();
      await broker.close();
    }
  });

  it('capture ble records what the configured source hears, in the replay format', async () => {
    const dir = tempDir('capture');
    const out = join(dir, 'heard.jsonl');
    const config = writeEdgeConfig(dir, {
      gatewayId: 'cap',
      ble: { enabled: true, source: { kind: 'replay', file: bleCapture, speed: 100 } },
    });
    const capture = startChildProgram(process.execPath, [
      edgeMain,
      'capture',
      'ble',
      '--out',
      out,
      '--config',
      config,
      '--seconds',
      '3',
    ]);
    expect(await capture.exited).toBe(0);
    expect(capture.lines.join('\n')).toMatch(/captured \d+ adverts into/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const source = readFileSync(bleCapture, 'utf8').trim().split('\n');
    expect(lines.length).toBe(source.length);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      address: 'F4:3C:21:0A:9B:11',
      manufacturerData: 'ffff0100022c0300c704ffffffff0564',
    });
  });
});
