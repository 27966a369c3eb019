// ws:// transport: the connector over MQTT-over-WebSocket (aedes behind a `ws` server). It runs in a
// child process on the built package: under vitest, Node resolves MQTT.js' require('ws') with the
// workspace's `import` condition to ws's ESM wrapper, which lacks createWebSocketStream, so ws:// only
// fails inside the test runner. The child runs the package the way an app does.
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AedesBroker, startAedes } from '@iotgw/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSocketStream, WebSocketServer } from 'ws';

const child = fileURLToPath(new URL('./support/ws-child.ts', import.meta.url));
let aedes: AedesBroker;
let wss: WebSocketServer;

beforeAll(async () => {
  aedes = await startAedes();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (socket) => aedes.broker.handle(createWebSocketStream(socket)));
});
afterAll(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await aedes.close();
});

describe('WebSocket transport', () => {
  it('connects, publishes and receives over ws://', async () => {
    const { port } = wss.address() as AddressInfo;
    const { stdout } = await promisify(execFile)(process.execPath, [child, `ws://127.0.0.1:${port}/mqtt`], {
      timeout: 20_000,
    });
    expect(stdout.trim()).toBe('over websocket connected');
  });
});
