import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AedesBroker,
  type ChildProgram,
  freePort,
  openPtyPair,
  type PtyPair,
  repoRoot,
  startAedes,
  startChildProgram,
  waitFor,
} from '@iotgw/testkit';
import {
  defaultSimulatedMeters,
  type SimulatedMeter,
  SimulatedMeters,
  StickSimulator,
} from '@iotgw/wmbus/simulator';
import { stringify } from 'yaml';
import { ServerApi } from './server-api.js';

export interface ChainOptions {
  /** Where the SQLite database, the edge's state and the logs go. */
  dataDir: string;
  gatewayId: string;
  /** An external broker; without it an in-process aedes (MQTT 3.1.1) on a free port. */
  mqttUrl?: string | undefined;
  /** Without it: sqlite:<dataDir>/iotgw.db. */
  databaseUrl?: string | undefined;
  httpPort?: number | undefined;
  /** `pty`: the iM871A simulator on a socat pty; `in-process`: the edge simulates meters itself; `auto`: pty when socat exists. */
  stick?: 'pty' | 'in-process' | 'auto';
  bleIntervalMs?: number;
  /** Replay this BLE capture instead of simulating devices. */
  bleCapture?: string;
  meterIntervalMs?: number;
  /** The token the chain's own API calls use (when serverEnv sets API_TOKENS). */
  apiToken?: string | undefined;
  /** The simulated meters start at this round, so their totals continue from an earlier run (pty stick only). */
  meterStartRound?: number;
  /** Extra environment for the server (e.g. MQTT_CONNECTIONS). */
  serverEnv?: Record<string, string>;
  /** Keep program output in files under <dataDir>/logs (the demo) instead of only in memory (tests). */
  logToFiles?: boolean;
  logLevel?: string;
  /** The edge's `mqtt.receipts` (default: the edge's own default, `auto`). */
  edgeReceipts?: 'off' | 'auto' | 'on';
  /** The edge's `mqtt.receiptResendS` (default: the edge's own, 60 s). */
  edgeReceiptResendS?: number;
}

/** The demo bind key of the simulated encrypted BTHome device (see packages/ble/fixtures/README.md). */
export const DEMO_BINDKEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** The meters the demo provisions: those the simulator marks as monitored (OmniPower 32666857, Multical 21). */
export function demoMeters(
  meters: readonly SimulatedMeter[] = defaultSimulatedMeters,
): Record<string, string>[] {
  return meters
    .filter((m) => m.role === 'monitored')
    .map((m) => ({
      deviceId: m.id,
      manufacturerKey: m.manufacturerKey,
      encryptionKey: m.provisionKey,
      manufacturerDeviceKey: m.manufacturerDeviceKey,
    }));
}

function socatAvailable(): boolean {
  return ['/usr/bin/socat', '/usr/local/bin/socat', '/bin/socat'].some((p) => existsSync(p));
}

/**
 * The whole chain on one machine: broker (external or in-process aedes) → iotgw-server (child process,
 * SQLite or the given database) and iotgw-edge (child process) fed by the simulated BLE devices and the
 * wM-Bus stick simulator. Each part can be stopped, killed and restarted for fault tests.
 */
export class Chain {
  readonly options: ChainOptions;
  mqttUrl = '';
  databaseUrl = '';
  httpPort = 0;
  edgeHealthPort = 0;
  stickMode: 'pty' | 'in-process' = 'in-process';
  server: ChildProgram | undefined;
  edge: ChildProgram | undefined;
  api: ServerApi | undefined;
  #aedes: AedesBroker | undefined;
  #pty: PtyPair | undefined;

  /** The simulator's end of the stick's pty (tests write garbage into it). */
  get stickPeer(): string | undefined {
    return this.#pty?.peer;
  }
  #sim: StickSimulator | undefined;
  #edgeConfig = '';

  constructor(options: ChainOptions) {
    this.options = options;
  }

  get logDir(): string {
    return join(this.options.dataDir, 'logs');
  }

  async startBroker(): Promise<void> {
    if (this.options.mqttUrl) {
      this.mqttUrl = this.options.mqttUrl;
      return;
    }
    this.#aedes = await startAedes();
    this.mqttUrl = this.#aedes.url;
  }

  async startServer(): Promise<void> {
    if (!this.httpPort) this.httpPort = this.options.httpPort ?? (await freePort());
    this.databaseUrl ||= this.options.databaseUrl ?? `sqlite:${join(this.options.dataDir, 'iotgw.db')}`;
    mkdirSync(this.logDir, { recursive: true });
    this.server = startChildProgram(process.execPath, [join(repoRoot, 'apps/server/dist/main.js'), 'run'], {
      cwd: this.options.dataDir,
      env: {
        DATABASE_URL: this.databaseUrl,
        MQTT_URL: this.mqttUrl,
        HTTP_PORT: String(this.httpPort),
        HTTP_HOST: '127.0.0.1',
        LOG_LEVEL: this.options.logLevel ?? 'info',
        FLOWS_RELOAD_INTERVAL_SECONDS: '30',
        ...this.options.serverEnv,
      },
      ...(this.options.logToFiles ? { logFile: join(this.logDir, 'server.log') } : {}),
    });
    this.api = new ServerApi(`http://127.0.0.1:${this.httpPort}`, this.options.apiToken);
    const api = this.api;
    const server = this.server;
    await waitFor(
      async () => {
        if (server.child.exitCode !== null)
          throw new Error(`iotgw-server exited: ${server.lines.slice(-5).join('\n')}`);
        return api.ready();
      },
      'iotgw-server to be ready (/readyz)',
      60_000,
    );
  }

  async startStick(): Promise<void> {
    const wanted = this.options.stick ?? 'auto';
    this.stickMode = wanted === 'pty' || (wanted === 'auto' && socatAvailable()) ? 'pty' : 'in-process';
    if (this.stickMode === 'pty') {
      this.#pty = await openPtyPair();
      this.#sim = new StickSimulator({
        path: this.#pty.peer,
        source: new SimulatedMeters({
          intervalMs: this.options.meterIntervalMs ?? 5000,
          startRound: this.options.meterStartRound ?? 0,
        }),
      });
      await this.#sim.start();
    }
  }

  async startEdge(): Promise<void> {
    if (!this.#edgeConfig) {
      if (!this.edgeHealthPort) this.edgeHealthPort = await freePort();
      const dir = join(this.options.dataDir, 'edge');
      mkdirSync(dir, { recursive: true });
      this.#edgeConfig = join(dir, 'edge.yaml');
      writeFileSync(
        this.#edgeConfig,
        stringify({
          version: 1,
          gatewayId: this.options.gatewayId,
          stateDir: join(dir, 'state'),
          mqtt: {
            url: this.mqttUrl,
            reconnect: { initialMs: 250, maxMs: 5000, factor: 2 },
            ...(this.options.edgeReceipts ? { receipts: this.options.edgeReceipts } : {}),
            ...(this.options.edgeReceiptResendS ? { receiptResendS: this.options.edgeReceiptResendS } : {}),
          },
          ble: {
            enabled: true,
            source: this.options.bleCapture
              ? { kind: 'replay', file: this.options.bleCapture, speed: 10 }
              : { kind: 'simulate', intervalMs: this.options.bleIntervalMs ?? 2000 },
            bindkeys: { 'A4:C1:38:00:00:02': 'env:IOTGW_DEMO_BINDKEY' },
          },
          wmbus: {
            enabled: true,
            source:
              this.stickMode === 'pty' && this.#pty
                ? { kind: 'im871a', device: this.#pty.device }
                : { kind: 'simulate', intervalMs: this.options.meterIntervalMs ?? 5000 },
          },
          health: { port: this.edgeHealthPort, host: '127.0.0.1', statusIntervalS: 10 },
          log: { level: this.options.logLevel ?? 'info', format: 'json' },
        }),
      );
    }
    this.edge = startChildProgram(
      process.execPath,
      [join(repoRoot, 'apps/edge/dist/main.js'), 'run', '--config', this.#edgeConfig],
      {
        env: { IOTGW_DEMO_BINDKEY: DEMO_BINDKEY },
        ...(this.options.logToFiles ? { logFile: join(this.logDir, 'edge.log') } : {}),
      },
    );
    // Started once its health endpoint answers (whatever the log level).
    const edge = this.edge;
    await waitFor(
      async () => {
        if (edge.child.exitCode !== null)
          throw new Error(`iotgw-edge exited: ${edge.lines.slice(-5).join('\n')}`);
        return (await this.edgeHealth()) !== undefined;
      },
      'iotgw-edge to start (/healthz)',
      30_000,
    );
  }

  /** Everything, in order; then the contract flows and the demo meters, as an operator would set them up. */
  async start(): Promise<void> {
    mkdirSync(this.options.dataDir, { recursive: true });
    await this.startBroker();
    await this.startServer();
    await this.api?.seedFlows();
    await this.startStick();
    await this.startEdge();
  }

  /** Provisions the demo meters through the server's API (which publishes the provisioning contract). */
  async provisionDemoMeters(): Promise<unknown> {
    const api = this.api;
    if (!api) throw new Error('the server is not started');
    let last: unknown;
    await waitFor(
      async () => {
        const r = await api.provision(this.options.gatewayId, demoMeters());
        last = r.body;
        return r.status === 200;
      },
      'the edge to answer the provisioning',
      60_000,
    );
    return last;
  }

  /** The edge's /healthz, or undefined when it does not answer. */
  async edgeHealth(): Promise<Record<string, unknown> | undefined> {
    try {
      const r = await fetch(`http://127.0.0.1:${this.edgeHealthPort}/healthz`, {
        signal: AbortSignal.timeout(3000),
      });
      return (await r.json()) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await this.edge?.stop('SIGTERM');
    await this.server?.stop('SIGTERM');
    await this.#sim?.stop();
    await this.#pty?.close();
    await this.#aedes?.close();
  }
}
