import { createTestLogger } from '@iotgw/logger';
import { freePort, testBroker, uniqueId } from '@iotgw/testkit';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build-dist.js';
import { eventually, startServerProcess } from './support/server-process.js';
import { asReader, createTestApi } from './support/test-api.js';

describe('what the server logs about itself and its requests', () => {
  it('logs a quick success at debug, a refused request at info', async () => {
    const sink = createTestLogger('server', 'info');
    const api = await createTestApi({ logger: sink.logger });
    try {
      expect((await api.app.inject({ method: 'GET', url: '/api/flows', headers: asReader })).statusCode).toBe(
        200,
      );
      expect(
        (await api.app.inject({ method: 'GET', url: '/api/flows/none', headers: asReader })).statusCode,
      ).toBe(404);
      const completed = sink.records().filter((r) => r['msg'] === 'request completed');
      expect(completed).toEqual([
        expect.objectContaining({ method: 'GET', url: '/api/flows/none', status: 404, level: 'info' }),
      ]);
    } finally {
      await api.close();
    }
    const debug = createTestLogger('server', 'debug');
    const api2 = await createTestApi({ logger: debug.logger });
    try {
      await api2.app.inject({ method: 'GET', url: '/api/flows', headers: asReader });
      expect(debug.records().filter((r) => r['msg'] === 'request completed')).toEqual([
        expect.objectContaining({ method: 'GET', url: '/api/flows', status: 200, level: 'debug' }),
      ]);
    } finally {
      await api2.close();
    }
  });

  it('the start line names the broker URL (not the setting), never the password', {
    timeout: 90_000,
  }, async () => {
    ensureBuilt();
    const broker = await testBroker();
    const port = await freePort();
    const server = startServerProcess({
      DATABASE_URL: 'sqlite:./data/iotgw.db',
      MQTT_URL: broker.url,
      MQTT_USERNAME: 'demo-user',
      MQTT_PASSWORD: 'not-for-logs',
      MQTT_CLIENT_ID: uniqueId('start-line'),
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
    });
    try {
      await eventually(
        'the start line',
        async () => {
          if (server.child.exitCode !== null) throw new Error(`the server exited: ${server.stderr()}`);
          return server.stdout().includes('iotgw-server started');
        },
        60_000,
      );
      const line = server
        .stdout()
        .split('\n')
        .find((l) => l.includes('iotgw-server started'));
      const start = JSON.parse(line ?? '{}');
      expect(start.mqtt).toBe(broker.url.replace(/\/$/, ''));
      expect(start.mqttFrom).toBe('MQTT_URL');
      expect(server.stdout() + server.stderr()).not.toContain('not-for-logs');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await broker.close();
    }
  });
});
