import { createTestLogger, REDACTED } from '@iotgw/logger';
import { describe, expect, it } from 'vitest';

describe('logger', () => {
  it('redacts secrets by path at any of the first three levels', () => {
    const t = createTestLogger();
    t.logger.info(
      {
        password: 'p1',
        mqtt: { url: 'mqtt://x', password: 'p2' },
        config: { meter: { encryptionKey: '9A25139E3244CC2E391A8EF6B915B697' } },
        req: { headers: { authorization: 'Bearer abc' } },
        key: 'k',
      },
      'hello',
    );
    const text = t.text();
    for (const secret of ['p1', 'p2', '9A25139E3244CC2E391A8EF6B915B697', 'Bearer abc', '"k"']) {
      expect(text).not.toContain(secret);
    }
    const rec = t.records()[0] ?? {};
    const mqtt = rec['mqtt'] as Record<string, unknown>;
    expect(mqtt['password']).toBe(REDACTED);
    expect(mqtt['url']).toBe('mqtt://x');
    expect(rec['msg']).toBe('hello');
    expect(rec['level']).toBe('info');
  });

  it('binds child loggers to their module', () => {
    const t = createTestLogger();
    t.logger.child({ module: 'ble' }).warn({ address: 'AA' }, 'decode failed');
    expect(t.records()[0]).toMatchObject({
      module: 'ble',
      address: 'AA',
      msg: 'decode failed',
      level: 'warn',
    });
  });
});
