import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPtyPair, type PtyPair } from '@iotgw/testkit';
import { MemoryRegistryStore, type MeterReading, MeterRegistry } from '@iotgw/wmbus';
import { Im871aTransport, type StickTelegram, type TransportState } from '@iotgw/wmbus/im871a';
import { defaultSimulatedMeters, SimulatedMeters, StickSimulator } from '@iotgw/wmbus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/wait-for.js';

let dir: string;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iotgw-wmbus-pty-'));
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function stick(
  link: string,
  options: { firmware?: number } = {},
): Promise<{ pair: PtyPair; sim: StickSimulator }> {
  const pair = await openPtyPair({ link });
  const sim = new StickSimulator({
    path: pair.peer,
    source: new SimulatedMeters({ intervalMs: 60 }),
    speed: 1,
    ...(options.firmware === undefined ? {} : { firmware: options.firmware }),
  });
  await sim.start();
  cleanups.push(async () => {
    await sim.stop();
    await pair.close();
  });
  return { pair, sim };
}

describe('iM871A over a real pty: simulator → serialport → HCI parser → decoder → readings', () => {
  it('reads the simulated meters, survives an unplug and recovers at the same path', async () => {
    const link = join(dir, 'ttyIM871A');
    let current = await stick(link);
    const registry = new MeterRegistry({ store: new MemoryRegistryStore() });
    await registry.replace(
      defaultSimulatedMeters
        .filter((m) => m.role !== 'foreign')
        .map((m) => ({
          deviceId: m.id,
          manufacturerKey: m.manufacturerKey,
          encryptionKey: m.provisionKey,
          manufacturerDeviceKey: m.manufacturerDeviceKey,
        })),
    );
    const transport = new Im871aTransport({
      path: link,
      reopen: { initialMs: 20, maxMs: 100 },
      watchdog: { idleMs: 300 },
    });
    cleanups.push(() => transport.stop());
    const states: TransportState[] = [];
    const readings: MeterReading[] = [];
    const telegrams: StickTelegram[] = [];
    transport.onStateChange((s) => states.push(s));
    transport.onTelegram((t) => {
      telegrams.push(t);
      const o = registry.handleTelegram(t.bytes, t);
      if (o.kind === 'reading') readings.push(o.reading);
    });
    await transport.start();
    expect(transport.state).toBe('ready');
    expect(transport.deviceInfo).toMatchObject({
      moduleType: 0x33,
      moduleName: 'iM871A',
      firmware: 0x15,
      dongleId: '00102644',
    });
    expect(current.sim.linkMode).toBe(6);
    await waitFor(
      'readings from both monitored meters',
      () => new Set(readings.map((r) => r.id)).size === 2 && readings.length >= 8,
    );
    const omni = readings.find((r) => r.id === '32666857');
    expect(omni).toMatchObject({ driver: 'omnipower', frame: 'full' });
    expect(readings.some((r) => r.frame === 'compact')).toBe(true);
    expect(telegrams[0]?.rssiDbm).toBeLessThan(-70);
    const status = () =>
      Object.fromEntries(registry.statusReport().meters.map((m) => [m.deviceId, m.status]));
    expect(status()).toEqual({ '32666857': 'ok', '76348799': 'ok', '87654321': 'wrong_key' });
    expect(registry.counters().foreignMeters).toBe(1);

    // Unplug: the pty pair goes away.
    await current.pair.close();
    await waitFor('reopening after the unplug', () => transport.state === 'reopening');
    const before = readings.length;
    // Replug: a new pair at the same path; the transport must find it and set the link mode again.
    current = await stick(link);
    await waitFor('ready again', () => transport.state === 'ready');
    await waitFor('readings after the replug', () => readings.length >= before + 4);
    expect(current.sim.counters().linkModeSets).toBe(1);
    expect(states).toEqual(expect.arrayContaining(['opening', 'ready', 'reopening']));
    expect(states.filter((s) => s === 'ready').length).toBe(2);
    const c = transport.counters();
    expect(c.crcErrors).toBe(0);
    expect(c.telegrams).toBe(telegrams.length);
    await transport.stop();
    expect(transport.state).toBe('closed');
  });

  it('refuses C1+T1 on firmware 0x13 with a clear error, and sets code 10 on firmware 0x15', async () => {
    const old = await stick(join(dir, 'ttyOld'), { firmware: 0x13 });
    const refused = new Im871aTransport({
      path: join(dir, 'ttyOld'),
      linkMode: 'c1t1',
      reopen: { initialMs: 20, maxMs: 50 },
    });
    await expect(refused.start()).rejects.toMatchObject({
      code: 'WMBUS_ERR_LINK_MODE',
      message: expect.stringContaining('firmware >= 0x14'),
    });
    expect(refused.state).toBe('closed');
    expect(old.sim.linkMode).toBeUndefined();

    const fresh = await stick(join(dir, 'ttyNew'));
    const ok = new Im871aTransport({ path: join(dir, 'ttyNew'), linkMode: 'c1t1' });
    cleanups.push(() => ok.stop());
    await ok.start();
    expect(fresh.sim.linkMode).toBe(10);
    await ok.stop();
  });
});

describe('Im871aTransport watchdog', () => {
  it('pings a silent stick, reopens when it does not answer, and recovers when it answers again', async () => {
    const link = join(dir, 'ttyWedged');
    const { sim } = await stick(link);
    const transport = new Im871aTransport({
      path: link,
      reopen: { initialMs: 20, maxMs: 50 },
      watchdog: { idleMs: 150 },
      requestTimeoutMs: 50,
    });
    cleanups.push(() => transport.stop());
    const states: TransportState[] = [];
    transport.onStateChange((s) => states.push(s));
    await transport.start();
    sim.setMuted(true);
    await waitFor('the watchdog to give up on the silent stick', () => transport.state === 'reopening');
    expect(transport.counters().watchdogPings).toBeGreaterThan(0);
    sim.setMuted(false);
    await waitFor('ready again', () => states.filter((s) => s === 'ready').length === 2);
    expect(sim.counters().linkModeSets).toBe(2);
    await transport.stop();
  });
});

describe('Im871aTransport reopen backoff (fake clock)', () => {
  it('retries a missing device with doubling delays capped at maxMs, and stop() ends it', async () => {
    const delays: number[] = [];
    let transport: Im871aTransport | undefined;
    const t = new Im871aTransport({
      path: join(tmpdir(), 'iotgw-no-such-tty'),
      reopen: { initialMs: 100, maxMs: 1_000 },
      sleep: async (ms) => {
        delays.push(ms);
        if (delays.length === 6) void transport?.stop();
      },
    });
    transport = t;
    const started = t.start().catch((e: unknown) => e);
    expect(await started).toMatchObject({ code: 'WMBUS_ERR_STOPPED' });
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(t.state).toBe('closed');
    expect(t.counters().reopens).toBe(6);
  });
});
