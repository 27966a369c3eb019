// Reconnect backoff (fake clock), fatal and transient CONNACK refusals, secrets, protocol fallback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestLogger } from '@iotgw/logger';
import {
  backoffDelay,
  type ConnectorEvents,
  type ConnectorOptions,
  DEFAULT_RECONNECT,
  MemoryOutbox,
  MqttConnector,
} from '@iotgw/mqtt-connector';
import { type AedesBroker, freePort, startAedes } from '@iotgw/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sleep, waitFor } from './support/wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function make(options: Partial<ConnectorOptions> & { url: string }, env: Record<string, string> = {}) {
  const log = createTestLogger('reconnect-test');
  const c = new MqttConnector(
    { clientId: `iotgw-t-rc-${process.pid}`, protocolVersion: 4, ...options },
    { logger: log.logger, outbox: new MemoryOutbox(), random: () => 0.5, env },
  );
  cleanup.push(() => c.stop({ flushTimeoutMs: 200 }));
  return { c, log };
}

function next<E extends keyof ConnectorEvents>(c: MqttConnector, event: E): Promise<ConnectorEvents[E][0]> {
  return new Promise((resolve) => c.once(event, ((info: ConnectorEvents[E][0]) => resolve(info)) as never));
}

describe('backoffDelay', () => {
  it('grows by factor from initialMs up to maxMs, with the jitter fraction taken off at random', () => {
    const o = { ...DEFAULT_RECONNECT, initialMs: 100, maxMs: 1_000, factor: 3, jitter: 0.5 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, o, () => 0))).toEqual([100, 300, 900, 1_000, 1_000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, o, () => 0.999_999))).toEqual([50, 150, 450]);
    expect(backoffDelay(1, { ...o, jitter: 0 }, Math.random)).toBe(100);
  });
});

describe('reconnect scheduling (fake clock, real sockets)', () => {
  it('waits the backoff delay before each attempt: no fixed-period hammering, no exit', async () => {
    const port = await freePort(); // nothing listens there
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { c } = make({
      url: `mqtt://127.0.0.1:${port}`,
      reconnect: { initialMs: 1_000, maxMs: 8_000, factor: 2, jitter: 0.5 },
    });
    const delays: number[] = [];
    let failure = next(c, 'reconnecting');
    await c.start();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const info = await failure;
      expect(info.attempt).toBe(attempt);
      expect(info.error?.message).toMatch(/ECONNREFUSED/);
      delays.push(info.delayMs);
      const before = c.metrics().reconnects;
      vi.advanceTimersByTime(info.delayMs - 1);
      expect(c.metrics().reconnects).toBe(before);
      failure = next(c, 'reconnecting');
      vi.advanceTimersByTime(1);
      expect(c.metrics().reconnects).toBe(before + 1);
    }
    expect(delays).toEqual([750, 1_500, 3_000, 6_000, 6_000]);
    expect(c.metrics().connections[0]?.lastError).toMatch(/broker not reachable/);
  });
});

describe('CONNACK refusals and secrets (aedes authenticate hook)', () => {
  let aedes: AedesBroker;
  let attempts = 0;
  let refuseWith = 0;
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-secret-'));

  beforeAll(async () => {
    aedes = await startAedes();
    aedes.broker.authenticate = (_client, username, password, done) => {
      attempts++;
      if (refuseWith)
        return done(Object.assign(new Error('refused'), { returnCode: refuseWith as 3 }), false);
      const ok = username === 'edge' && password?.toString() === 's3cret-pw';
      done(ok ? null : Object.assign(new Error('bad credentials'), { returnCode: 4 as const }), ok);
    };
  });
  afterAll(async () => {
    await aedes.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves env: and file: password references at connect time', async () => {
    const file = join(dir, 'mqtt-password');
    writeFileSync(file, 's3cret-pw\n');
    for (const [password, env] of [
      ['env:IOTGW_T_MQTT_PW', { IOTGW_T_MQTT_PW: 's3cret-pw' }],
      [`file:${file}`, {}],
    ] as const) {
      const { c, log } = make({ url: aedes.url, username: 'edge', password }, env);
      await c.start();
      await waitFor(() => c.connected, `connected with ${password}`);
      await c.stop();
      expect(log.text()).not.toContain('s3cret-pw');
    }
  });

  it('refuses a literal password at construction without echoing it', () => {
    const attempt = () => make({ url: aedes.url, username: 'edge', password: 'hunter2-literal' });
    expect(attempt).toThrow(expect.objectContaining({ code: 'CFG_ERR_SECRET' }));
    expect(attempt).toThrow(/must be a secret reference \(env:NAME or file:\/path\)/);
    try {
      attempt();
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('hunter2');
    }
    expect(() => make({ url: 'mqtt://edge:pw@127.0.0.1:1883' })).toThrow(
      expect.objectContaining({ code: 'CFG_ERR_SECRET' }),
    );
  });

  it('start() rejects when the secret cannot be resolved, naming the reference', async () => {
    const { c } = make({ url: aedes.url, username: 'edge', password: 'env:IOTGW_T_MISSING' });
    await expect(c.start()).rejects.toMatchObject({
      code: 'CFG_ERR_SECRET',
      message: expect.stringContaining('IOTGW_T_MISSING'),
    });
  });

  it('bad credentials: says so in words and stops reconnecting', async () => {
    attempts = 0;
    const { c, log } = make(
      {
        url: aedes.url,
        username: 'edge',
        password: 'env:PW',
        reconnect: { initialMs: 10, maxMs: 20 },
      },
      { PW: 'wrong' },
    );
    const refused = next(c, 'refused');
    await c.start();
    expect(await refused).toMatchObject({
      reasonCode: 4,
      reason: expect.stringContaining('bad user name or password'),
    });
    await sleep(300); // ten backoff periods: a reconnecting connector would have tried again
    expect(attempts).toBe(1);
    expect(c.metrics().connections[0]).toMatchObject({ state: 'refused', reconnects: 0 });
    expect(log.text()).toContain('not reconnecting');
  });

  it('a transient refusal (server unavailable) backs off and connects once the broker accepts', async () => {
    attempts = 0;
    refuseWith = 3;
    const { c } = make(
      { url: aedes.url, username: 'edge', password: 'env:PW', reconnect: { initialMs: 10, maxMs: 40 } },
      { PW: 's3cret-pw' },
    );
    const reconnecting = next(c, 'reconnecting');
    await c.start();
    expect((await reconnecting).error?.message).toMatch(/server unavailable/);
    await waitFor(() => attempts >= 3, 'a few attempts');
    refuseWith = 0;
    await waitFor(() => c.connected, 'connected after the refusals');
  });

  it("protocolVersion 'auto' falls back to 3.1.1 when the broker refuses MQTT 5, and logs it once", async () => {
    const { c, log } = make(
      { url: aedes.url, username: 'edge', password: 'env:PW', protocolVersion: 'auto', connections: 2 },
      { PW: 's3cret-pw' },
    );
    await c.start();
    await waitFor(() => c.metrics().connections.every((x) => x.connected), 'both connections');
    expect(c.metrics().protocolVersion).toBe(4);
    expect(log.text().match(/broker refused MQTT 5/g)).toHaveLength(1);
    expect(c.metrics().connections.map((x) => x.clientId)).toEqual([
      'iotgw-t-rc-' + process.pid + '-0',
      `iotgw-t-rc-${process.pid}-1`,
    ]);
  });
});
