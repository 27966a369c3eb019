// The arm64 artifact, as a Raspberry Pi gets it, run on this x64 machine with the arm64 Node under
// qemu-user (issue 20). Announced by scripts/ci/arm64-prereqs.sh (called by .ci/run): IOTGW_TEST_ARM64_NODE
// (the arm64 node binary) and IOTGW_TEST_QEMU_AARCH64 (qemu-aarch64-static; empty on an arm64 machine).
// Announced: it must run, and fails on any problem. Not announced: it skips with a printed reason.
// One artifact build and one program start (run + provisioning + BLE + SIGTERM) keep it short (~40 s).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { meterData, meterStatus } from '@iotgw/contracts';
import {
  type ChildProgram,
  type MqttRecorder,
  openPtyPair,
  type PtyPair,
  type RecordedMessage,
  recordMqtt,
  repoRoot,
  startChildProgram,
  type TestBroker,
  testBroker,
  uniqueId,
  waitFor,
} from '@iotgw/testkit';
import { defaultSimulatedMeters, SimulatedMeters, StickSimulator } from '@iotgw/wmbus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision, tempDir, writeEdgeConfig } from './support/edge-harness.js';

const arm64Node = process.env['IOTGW_TEST_ARM64_NODE'] || undefined;
const qemu = process.env['IOTGW_TEST_QEMU_AARCH64'] || undefined;
const skip = !arm64Node;
if (skip)
  console.warn(
    '[skip] IOTGW_TEST_ARM64_NODE is not set: the arm64 artifact test skipped (CI sets it: eval "$(bash scripts/ci/arm64-prereqs.sh)")',
  );

const OMNIPOWER = '27442d2c5768663230028d202e21870320d3a4f149b1b8f5783df7434b8a66a55786499abe7bab59';
const KEY = '9A25139E3244CC2E391A8EF6B915B697';
const omnipower = defaultSimulatedMeters.find((m) => m.id === '32666857');
const doc = readFileSync(join(repoRoot, 'docs/edge.md'), 'utf8');

/** The arm64 node as a command line: under qemu on x64, directly on arm64. */
const arm64 = (args: string[]): [string, string[]] =>
  qemu ? [qemu, [arm64Node as string, ...args]] : [arm64Node as string, args];

function runArm64(args: string[], cwd: string) {
  const [cmd, argv] = arm64(args);
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

/** ELF e_machine of a shared object: 183 is AArch64. */
function elfMachine(file: string): number {
  return readFileSync(file).readUInt16LE(18);
}

if (arch() !== 'x64')
  console.warn(`[skip] the missing-cross-compiler test: this machine is ${arch()}, it builds arm64 natively`);
describe.skipIf(arch() !== 'x64')('building the arm64 artifact on an x64 machine', () => {
  it('stops at once, in one line naming the package, when the cross compiler is missing', () => {
    const r = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'apps/edge/scripts/build-artifact.mjs'),
        '--',
        '--arch',
        'arm64',
        '--out',
        tempDir('nocc'),
      ],
      { encoding: 'utf8', env: { ...process.env, IOTGW_CROSS_CC: 'no-such-gcc' }, timeout: 30_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      "build-artifact: cannot build noble's HCI socket for arm64: no-such-gcc is missing (sudo apt-get install crossbuild-essential-arm64)",
    );
  });
});

describe.skipIf(skip)('the arm64 artifact under emulation (arm64 Node on qemu-user)', () => {
  const work = tempDir('arm64');
  const installDir = join(work, 'opt/iotgw-edge');
  const etcDir = join(work, 'etc/iotgw');
  let broker: TestBroker;
  let pty: PtyPair | undefined;
  let sim: StickSimulator | undefined;
  let edge: ChildProgram | undefined;
  const gw = uniqueId('arm64');
  const recorders: MqttRecorder[] = [];

  beforeAll(async () => {
    broker = await testBroker();
    // The build command exactly as docs/edge.md gives it, with --out for a private folder.
    const command = /`(pnpm --filter @iotgw\/edge artifact -- --arch arm64)`/.exec(doc)?.[1];
    expect(command, 'docs/edge.md names the arm64 build command').toBeDefined();
    const out = join(work, 'artifacts');
    const built = spawnSync('sh', ['-c', `${command} --out ${out}`], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
    const tarball = readdirSync(out).find((f) => f.endsWith('-linux-arm64.tar.gz'));
    expect(tarball).toBeDefined();
    // docs/edge.md's install steps 1 and 3 (mkdir, tar, cp, config check), replayed into `work`.
    const block = /## Install[\s\S]*?```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const steps = block
      .split('\n')
      .filter((l) => /^sudo (mkdir|tar|cp) |^printf |iotgw-edge\.mjs config check /.test(l))
      .filter((l) => !l.includes('/etc/systemd'))
      .map((l) =>
        l
          .replace(/\s+#.*$/, '')
          .replaceAll('sudo ', '')
          .replaceAll('iotgw-edge-<version>-linux-arm64.tar.gz', join(out, tarball as string))
          .replaceAll('/opt/iotgw-edge', installDir)
          .replaceAll('/etc/iotgw', etcDir)
          // The secrets a user types in place of the ellipses.
          .replace('MQTT_PASSWORD=…', 'MQTT_PASSWORD=arm64-test')
          .replace('BTHOME_KEY_A4C138000001=…', `BTHOME_KEY_A4C138000001=${'ab'.repeat(16)}`)
          .replace(/(^|\s)node /, `$1${qemu ? `${qemu} ` : ''}${arm64Node} `),
      );
    expect(steps, 'the install steps this test replays').toHaveLength(7);
    // The broker's CA the user copies in (step 3): any PEM file does for config check.
    writeFileSync(join(work, 'broker-ca.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    for (const step of steps) {
      const r = spawnSync('sh', ['-c', step], { cwd: work, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${step}\n${r.stdout}${r.stderr}`).toBe(0);
      if (step.includes('config check')) expect(r.stdout.trim()).toBe(`${join(etcDir, 'edge.yaml')}: ok`);
      // The example config names files under /etc/iotgw, which this test keeps in its own folder.
      const config = join(etcDir, 'edge.yaml');
      if (step.includes('edge.example.yaml') && existsSync(config)) {
        writeFileSync(config, readFileSync(config, 'utf8').replaceAll('/etc/iotgw', etcDir));
      }
    }
  }, 300_000);

  afterAll(async () => {
    await edge?.stop('SIGKILL');
    for (const r of recorders) await r.close();
    // Leave nothing retained on a shared broker.
    if (broker) {
      const cleaner = await recordMqtt(broker.url, `v2/${gw}/#`, { protocolVersion: broker.protocolVersion });
      await new Promise((r) => setTimeout(r, 300));
      for (const topic of new Set(cleaner.messages.filter((m) => m.retain).map((m) => m.topic)))
        await cleaner.client.publishAsync(topic, '', { qos: 1, retain: true });
      await cleaner.close();
    }
    await sim?.stop();
    await pty?.close();
    await broker?.close();
  });

  it('unpacks to the program, its native modules built for arm64 and no compiler step', () => {
    expect(readdirSync(installDir).sort()).toEqual(
      [
        'BUILD-INFO.json',
        'INSTALL.md',
        'edge.example.yaml',
        'iotgw-edge.mjs',
        'iotgw-edge.service',
        'node_modules',
      ].sort(),
    );
    const info = JSON.parse(readFileSync(join(installDir, 'BUILD-INFO.json'), 'utf8'));
    expect(info).toMatchObject({ platform: 'linux-arm64' });
    const major = process.versions.node.split('.')[0];
    expect(info.noble).toBe(
      `HCI socket built for linux-arm64, Node ${major} (NODE_MODULE_VERSION ${process.versions.modules})`,
    );
    const hci = join(installDir, 'node_modules/@abandonware/bluetooth-hci-socket');
    expect(elfMachine(join(hci, 'build/Release/bluetooth_hci_socket.node'))).toBe(183);
    for (const tool of ['node-gyp', 'nan', '@mapbox/node-pre-gyp', 'usb'])
      expect(existsSync(join(installDir, 'node_modules', tool)), tool).toBe(false);
    const install = readFileSync(join(installDir, 'INSTALL.md'), 'utf8');
    expect(install).not.toMatch(/npm rebuild|install build-essential/);
  });

  it('the arm64 Node prints the version, loads the HCI socket and decodes a telegram', () => {
    expect(runArm64(['iotgw-edge.mjs', '--version'], installDir).stdout).toMatch(
      /^iotgw-edge \d+\.\d+\.\d+$/,
    );
    const hci = runArm64(
      [
        '-e',
        "const h = require('@abandonware/bluetooth-hci-socket'); console.log(process.arch, typeof h, process.versions.modules)",
      ],
      installDir,
    );
    expect(hci.stderr).toBe('');
    expect(hci.stdout).toBe(`arm64 function ${process.versions.modules}`);
    const decoded = runArm64(['iotgw-edge.mjs', 'decode', 'wmbus', '--key', KEY, OMNIPOWER], installDir);
    expect(decoded.code, decoded.stderr).toBe(0);
    expect(JSON.parse(decoded.stdout)).toMatchObject({ id: '32666857', total_energy_consumption_kwh: 2.06 });
  }, 180_000);

  it('runs as the unit runs it: provisioned meter readings and BLE readings reach the broker; SIGTERM stops it', async () => {
    pty = await openPtyPair();
    sim = new StickSimulator({ path: pty.peer, source: new SimulatedMeters({ intervalMs: 400 }) });
    await sim.start();
    const config = writeEdgeConfig(work, {
      gatewayId: gw,
      mqtt: { url: broker.url },
      ble: { enabled: true, source: { kind: 'simulate', intervalMs: 500 } },
      wmbus: { enabled: true, source: { kind: 'im871a', device: pty.device } },
    });
    const recorder = await recordMqtt(broker.url, [`${gw}/+/update`, `v2/${gw}/#`], {
      protocolVersion: broker.protocolVersion,
    });
    recorders.push(recorder);
    // The unit's ExecStart with the arm64 node and this test's folders.
    const unit = readFileSync(join(installDir, 'iotgw-edge.service'), 'utf8');
    const execStart = /^ExecStart=\S+node((?:\s+--\S+)*)\s+\/opt\/iotgw-edge\/(\S+) run --config/m.exec(unit);
    expect(execStart).not.toBeNull();
    const flags = execStart?.[1]?.trim().split(/\s+/) ?? [];
    const [cmd, argv] = arm64([...flags, join(installDir, execStart?.[2] ?? ''), 'run', '--config', config]);
    edge = startChildProgram(cmd, argv, { cwd: installDir });
    await edge.waitForLine(/iotgw-edge started/, 60_000);

    await provision(
      recorder.client,
      gw,
      [{ deviceId: omnipower?.id, manufacturerKey: 'kam', encryptionKey: omnipower?.provisionKey }],
      '32666857',
      60_000,
    );
    const dataTopic = meterData.build({ gatewayId: gw, manufacturerKey: 'kam', deviceId: '32666857' });
    const readings = () => recorder.messages.filter((m) => m.topic === dataTopic);
    await waitFor(() => readings().length >= 2, 'decoded OmniPower readings from the arm64 program', 60_000);
    const statusOk = (m: RecordedMessage) =>
      m.topic === meterStatus.build({ gatewayId: gw }) &&
      (JSON.parse(m.payload) as { meters: { deviceId: string; status: string }[] }).meters.some(
        (x) => x.deviceId === '32666857' && x.status === 'ok',
      );
    await waitFor(() => recorder.messages.some(statusOk), 'status ok of the provisioned meter', 60_000);
    const ble = () =>
      recorder.messages.filter((m) => m.topic.endsWith('/update') || m.topic.includes('/ble/'));
    await waitFor(() => ble().length >= 3, 'BLE readings from the arm64 program', 60_000);
    expect(JSON.parse(readings()[0]?.payload ?? '{}')).toMatchObject({
      total_energy_consumption_kwh: expect.any(Number),
    });

    expect(await edge.stop('SIGTERM', 30_000)).toBe(0);
    await waitFor(
      () =>
        recorder.messages.some((m) => m.topic === `v2/${gw}/status/availability` && m.payload === 'offline'),
      'offline after SIGTERM',
    );
  }, 300_000);
});
