import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPtyPair } from '@iotgw/testkit';
import { decodeTelegram, hexToBytes, MeterDecodeState, parseLinkLayer } from '@iotgw/wmbus';
import { Im871aTransport } from '@iotgw/wmbus/im871a';
import {
  CaptureReplay,
  defaultSimulatedMeters,
  formatCaptureLine,
  listSource,
  paceTelegrams,
  parseCaptureLine,
  SimulatedMeters,
  type SourceTelegram,
} from '@iotgw/wmbus/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturesDir } from './support/vectors.js';
import { waitFor } from './support/wait-for.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function collect(it: AsyncIterable<SourceTelegram>, n: number): Promise<SourceTelegram[]> {
  const out: SourceTelegram[] = [];
  for await (const t of it) {
    out.push(t);
    if (out.length >= n) break;
  }
  return out;
}

describe('SimulatedMeters', () => {
  it('sends 1 full then 7 compact frames per meter, ACC incrementing, energy increasing, all decodable', () => {
    const omni = defaultSimulatedMeters.find((m) => m.id === '32666857');
    if (omni === undefined) throw new Error('spec meter missing');
    const key = hexToBytes(omni.key) ?? new Uint8Array();
    const state = new MeterDecodeState();
    const readings = [...new SimulatedMeters({ meters: [omni], limit: 24 }).generate()].map((t) => {
      const r = decodeTelegram(t.bytes, { key, state });
      if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
      return r.reading;
    });
    expect(readings.map((r) => r.frame).join(',')).toBe(
      Array.from({ length: 3 }, () => ['full', ...Array(7).fill('compact')].join(',')).join(','),
    );
    expect(readings.map((r) => r.accessNumber)).toEqual(readings.map((_, i) => i));
    const kwh = readings.map((r) => r.values['total_energy_consumption_kwh'] as number);
    for (let i = 1; i < kwh.length; i++) expect(kwh[i]).toBeGreaterThan(kwh[i - 1] ?? 0);
    expect(kwh[0]).toBe(2.06);
  });

  it('interleaves the default meters in time order and keeps going', async () => {
    const ts = await collect(new SimulatedMeters({ intervalMs: 16_000 }).telegrams(), 400);
    expect(ts).toHaveLength(400);
    for (let i = 1; i < ts.length; i++) expect(ts[i]?.atMs).toBeGreaterThan(ts[i - 1]?.atMs ?? -1);
    const ids = new Set(
      ts.map((t) => {
        const link = parseLinkLayer(t.bytes);
        return link.ok ? link.frame.header.id : 'unparseable';
      }),
    );
    expect(ids).toEqual(new Set(defaultSimulatedMeters.map((m) => m.id)));
  });

  it('can be paced in process (no pty needed)', async () => {
    const paced = await collect(paceTelegrams(new SimulatedMeters({ intervalMs: 40 }), { speed: 4 }), 8);
    expect(paced).toHaveLength(8);
    const instant = await collect(paceTelegrams(listSource(paced), { speed: Number.POSITIVE_INFINITY }), 8);
    expect(instant.map((t) => t.atMs)).toEqual(paced.map((t) => t.atMs));
    const abort = new AbortController();
    abort.abort();
    expect(await collect(paceTelegrams(new SimulatedMeters(), { signal: abort.signal }), 3)).toEqual([]);
  });
});

describe('capture replay (JSON Lines)', () => {
  it('replays the fixture capture with its timing and loops when asked', async () => {
    const replay = new CaptureReplay({ path: join(fixturesDir, 'simulated-capture.jsonl') });
    const all = await collect(replay.telegrams(), 1_000);
    expect(all).toHaveLength(40);
    expect(all[0]).toMatchObject({ atMs: 0, rssiDbm: -84 });
    expect(all[1]?.atMs).toBe(4_000);
    const looped = await collect(
      new CaptureReplay({ path: join(fixturesDir, 'simulated-capture.jsonl'), loop: true }).telegrams(),
      90,
    );
    expect(looped).toHaveLength(90);
    expect(looped[40]?.atMs).toBeGreaterThan(looped[39]?.atMs ?? 0);
  });

  it('round-trips a line and names file and line of a bad one', async () => {
    const line = formatCaptureLine({
      time: 5,
      bytes: Uint8Array.of(10, 0x44, 1, 2, 3, 4, 5, 6, 7, 8, 9),
      rssiDbm: -70,
    });
    expect(line).toBe('{"time":5,"hex":"0a44010203040506070809","rssiDbm":-70}');
    expect(parseCaptureLine(line, 'x:1')).toMatchObject({ time: 5, rssiDbm: -70 });
    const dir = await mkdtemp(join(tmpdir(), 'iotgw-capture-'));
    dirs.push(dir);
    const path = join(dir, 'bad.jsonl');
    await writeFile(path, `# comment\n\n${line}\n{"time": "soon", "hex": "00"}\n`);
    await expect(collect(new CaptureReplay({ path }).telegrams(), 10)).rejects.toMatchObject({
      code: 'WMBUS_ERR_CAPTURE',
      message: expect.stringContaining(`${path}:4`),
    });
  });
});

const cli = fileURLToPath(new URL('../dist/simulator/cli.js', import.meta.url));
const cliBuilt = existsSync(cli);
if (!cliBuilt)
  console.warn(
    `skipping the iotgw-stick-sim CLI test: ${cli} is not built (run pnpm build; pnpm test builds first)`,
  );

describe.skipIf(!cliBuilt)('iotgw-stick-sim CLI (built)', () => {
  it('plays a stick on a pty from a capture file; the transport reads it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iotgw-cli-'));
    dirs.push(dir);
    const pair = await openPtyPair({ link: join(dir, 'tty') });
    const child = spawn(
      process.execPath,
      [cli, '--pty', pair.peer, '--capture', join(fixturesDir, 'simulated-capture.jsonl'), '--speed', '100'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const transport = new Im871aTransport({ path: pair.device });
    let n = 0;
    transport.onTelegram(() => n++);
    try {
      await waitFor('the simulator to open the pty', () => stderr.includes('playing an iM871A'));
      await transport.start();
      await waitFor('telegrams from the capture', () => n >= 5);
    } finally {
      await transport.stop();
      await pair.close();
      await new Promise((r) => child.once('exit', r));
    }
    expect(stderr).toContain('port closed after');
  });
});
