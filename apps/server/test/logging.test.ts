import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestLogger } from '@iotgw/logger';
import { createServerLogger } from '@iotgw/server';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, asAdmin, createTestApi, READ_TOKEN } from './support/test-api.js';

const KEY = '0123456789ABCDEF0123456789ABCDEF';
const WRONG_TOKEN = 'wrong-token-9876543210fedcba';

describe('what the HTTP API logs', () => {
  it('logs requests without any token, AES key or password', async () => {
    const sink = createTestLogger('server', 'trace');
    const api = await createTestApi({ logger: sink.logger, provisioningWaitMs: 50 });
    try {
      await api.app.inject({ method: 'GET', url: '/api/flows', headers: asAdmin });
      await api.app.inject({
        method: 'GET',
        url: '/api/flows',
        headers: { authorization: `Bearer ${READ_TOKEN}` },
      });
      await api.app.inject({
        method: 'GET',
        url: '/api/flows',
        headers: { authorization: `Bearer ${WRONG_TOKEN}` },
      });
      await api.app.inject({
        method: 'PUT',
        url: '/api/gateways/gw-01/meters',
        headers: asAdmin,
        payload: [{ deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: KEY }],
      });
      await api.app.inject({
        method: 'PUT',
        url: '/api/gateways/gw-01/meters',
        headers: asAdmin,
        payload: [{ deviceId: 1, encryptionKey: KEY }],
      });
      await api.app.inject({
        method: 'PUT',
        url: '/api/gateways/gw-01/meters',
        headers: { ...asAdmin, 'content-type': 'application/json' },
        payload: `[{"deviceId":"1","encryptionKey":"${KEY}"`,
      });
      await api.app.inject({
        method: 'POST',
        url: '/api/mqtt-servers',
        headers: asAdmin,
        payload: { name: 'b', host: 'h', password: 'hunter2-password' },
      });
      const text = sink.text();
      expect(text).toContain('request completed');
      expect(text).toContain('refused an unknown API token');
      expect(text).toContain('meter list provisioned');
      for (const secret of [ADMIN_TOKEN, READ_TOKEN, WRONG_TOKEN, KEY, 'hunter2-password']) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await api.close();
    }
  });

  it('redacts secrets passed to the logger by mistake', () => {
    const sink = createTestLogger('server', 'info');
    sink.logger.info(
      {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        config: { mqtt: { password: 'hunter2-password' } },
        encryptionKey: KEY,
      },
      'oops',
    );
    const text = sink.text();
    for (const secret of [ADMIN_TOKEN, KEY, 'hunter2-password']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('also appends to LOG_DIR/iotgw-server.log when LOG_DIR is set, redacted there too', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'iotgw-server-logs-')), 'logs');
    const logger = createServerLogger({ level: 'info', logDir: dir });
    logger.info({ token: ADMIN_TOKEN, flow: 'f1' }, 'to the file');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    const text = readFileSync(join(dir, 'iotgw-server.log'), 'utf8');
    expect(text).toContain('"msg":"to the file"');
    expect(text).not.toContain(ADMIN_TOKEN);
  });
});
