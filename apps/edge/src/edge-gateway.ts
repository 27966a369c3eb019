import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodedReading } from '@iotgw/ble';
import {
  bleReading,
  gatewayAvailability,
  gatewayCommand,
  gatewayHealth,
  gatewayReceipt,
  meterData,
  meterProvisioning,
  meterStatus,
  thingyReading,
} from '@iotgw/contracts';
import type { Logger } from '@iotgw/logger';
import { type GatewayEvent, MqttConnector, RegexInboundFilter, SqliteOutbox } from '@iotgw/mqtt-connector';
import type { TelegramOutcome } from '@iotgw/wmbus';
import type { EdgeConfig } from './config/edge-config-schema.js';
import { DiscoveryManager } from './discovery/discovery-manager.js';
import { bleDiscovery, meterDeviceKey, meterDiscovery, thingyDiscovery } from './discovery/ha-discovery.js';
import { EdgeMetrics } from './observability/edge-metrics.js';
import { HealthMonitor } from './observability/health-monitor.js';
import { healthPayload } from './observability/health-payload.js';
import { HealthServer } from './observability/health-server.js';
import { EdgeOutboundFilter } from './publish/edge-outbound-filter.js';
import { IntakeQueue } from './publish/intake-queue.js';
import { Provisioning } from './publish/provisioning.js';
import { PROVISIONING_BYTES_PER_METER } from './publish/provisioning-limit.js';
import { blePayload, meterPayload, thingyPayload } from './publish/reading-payloads.js';
import { ReadingPublisher } from './publish/reading-publisher.js';
import { readingTopicOf, receiptMemory } from './publish/receipt-policy.js';
import { BleSource } from './sources/ble-source.js';
import { WmbusSource } from './sources/wmbus-source.js';
import { edgeVersion } from './version.js';

export interface EdgeGatewayOptions {
  config: EdgeConfig;
  logger: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  /** Called when an enabled `stop` command arrives over MQTT. */
  onStopCommand?: () => void;
}

const STATUS_DEBOUNCE_MS = 500;

/** Values worth an entity in Home Assistant: numbers, minus bookkeeping (packet ids, sequences). */
const BOOKKEEPING = new Set(['packet_id', 'measurement_sequence', 'sequence']);
function measuredFields(values: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(values).filter((k) => typeof values[k] === 'number' && !BOOKKEEPING.has(k));
}
const RECONCILE_WINDOW_MS = 2000;

/**
 * The composition root on the Pi: config → logger → sources (BLE, wM-Bus) → contracts → connector
 * (outbound filter, durable outbox) → MQTT; provisioning and commands come back in through the inbound
 * filter. A lost broker is never a reason to stop: the outbox holds the readings.
 */
export class EdgeGateway {
  readonly connector: MqttConnector;
  readonly ble: BleSource | undefined;
  readonly wmbus: WmbusSource | undefined;
  readonly metrics: EdgeMetrics;
  readonly #config: EdgeConfig;
  readonly #log: Logger;
  readonly #publisher: ReadingPublisher;
  readonly #outbox: SqliteOutbox;
  readonly #discovery: DiscoveryManager | undefined;
  readonly #health: HealthServer | undefined;
  readonly #startedAt = Date.now();
  readonly #gw: string;
  readonly #onStop: (() => void) | undefined;
  #statusTimer: NodeJS.Timeout | undefined;
  #healthTimer: NodeJS.Timeout | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #reconciled = false;
  #stopping = false;
  /** Readings: handed straight to the outbox (its group commit), in arrival order, bounded. */
  readonly #intake: IntakeQueue;
  readonly #monitor: HealthMonitor;
  #sampleTimer: NodeJS.Timeout | undefined;
  /** Control work (provisioning, commands, status, discovery) runs one task after another. */
  #chain: Promise<unknown> = Promise.resolve();
  readonly #provisioning: Provisioning;

  constructor(options: EdgeGatewayOptions) {
    const { config } = options;
    this.#config = config;
    this.#gw = config.gatewayId;
    this.#log = options.logger;
    this.#onStop = options.onStopCommand;
    mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
    this.#outbox = new SqliteOutbox({
      path: config.outbox.path ?? join(config.stateDir, 'outbox.db'),
      maxMessages: config.outbox.maxMessages,
      maxBytes: config.outbox.maxBytes,
      fsync: config.outbox.fsync === 'always' ? 'always' : { groupCommitMs: config.outbox.groupCommitMs },
    });
    const gw = this.#gw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const ha = config.homeAssistant;
    const haPrefix = ha.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const inboundRules = [
      { regex: `^v2/${gw}/sensors/set$`, dispatch: [{ varType: 'provisioning', varName: 'meters' }] },
      { regex: `^v2/${gw}/command$`, dispatch: [{ varType: 'command', varName: 'gateway' }] },
      { regex: `^v2/${gw}/receipts$`, dispatch: [{ varType: 'receipt', varName: 'gateway' }] },
      ...(ha.enabled
        ? [
            { regex: `^${haPrefix}/status$`, dispatch: [{ varType: 'ha_status', varName: 'homeassistant' }] },
            {
              regex: `^${haPrefix}/(?<component>[^/]+)/(?<object>[^/]+)/config$`,
              dispatch: [{ varType: 'ha_config', varName: '{component}/{object}' }],
            },
          ]
        : []),
    ];
    const memory = receiptMemory(config.stateDir);
    const subscriptions = [
      meterProvisioning.build({ gatewayId: this.#gw }),
      gatewayCommand.build({ gatewayId: this.#gw }),
      ...(config.mqtt.receipts !== 'off' ? [gatewayReceipt.build({ gatewayId: this.#gw })] : []),
      ...(ha.enabled ? [`${ha.prefix}/status`, `${ha.prefix}/+/+/config`] : []),
    ].map((filter) => ({ filter, qos: 1 as const }));
    this.connector = new MqttConnector(
      {
        url: config.mqtt.url,
        clientId: config.mqtt.clientId ?? `iotgw-edge-${this.#gw}`,
        keepalive: config.mqtt.keepalive,
        ...(config.mqtt.maxPacketBytes ? { maxPacketBytes: config.mqtt.maxPacketBytes } : {}),
        // The largest message worth receiving is a provisioning list: the broker sends nothing larger.
        maxIncomingPacketBytes: config.wmbus.maxMeters * PROVISIONING_BYTES_PER_METER + 65_536,
        protocolVersion: config.mqtt.protocolVersion,
        clean: false,
        ...(config.mqtt.username ? { username: config.mqtt.username } : {}),
        ...(config.mqtt.password ? { password: config.mqtt.password } : {}),
        ...(config.mqtt.tls ? { tls: config.mqtt.tls } : {}),
        will: {
          topic: gatewayAvailability.build({ gatewayId: this.#gw }),
          online: 'online',
          offline: 'offline',
        },
        reconnect: config.mqtt.reconnect,
        subscriptions,
        receipts: {
          mode: config.mqtt.receipts,
          waitsFor: readingTopicOf(this.#gw),
          resendAfterMs: config.mqtt.receiptResendS * 1000,
          learned: memory.learned,
          onLearned: memory.remember,
        },
        inboundFilter: new RegexInboundFilter(inboundRules, {
          decode: (payload, topic) => ({ value: payload, meta: { topic } }),
        }),
        outboundFilter: new EdgeOutboundFilter(this.#gw, config.mqtt.outboundRules),
      },
      // The connector names its own module: a second `module` key would repeat it in every line.
      { logger: this.#log, outbox: this.#outbox },
    );
    this.#publisher = new ReadingPublisher(this.connector, this.#log.child({ module: 'publish' }));
    this.#intake = new IntakeQueue({
      maxQueued: config.intake.maxQueued,
      logger: this.#log.child({ module: 'intake' }),
    });
    this.#monitor = new HealthMonitor(config.health, this.#startedAt);
    this.connector.onEvent((event) => this.#onEvent(event));
    this.connector.on('connected', () => this.#onConnected());

    if (ha.enabled) {
      this.#discovery = new DiscoveryManager(
        {
          prefix: ha.prefix,
          gatewayId: this.#gw,
          availabilityTopic: gatewayAvailability.build({ gatewayId: this.#gw }),
          swVersion: edgeVersion(),
        },
        this.#publisher,
        join(config.stateDir, 'discovery.json'),
        this.#log.child({ module: 'discovery' }),
      );
    }
    this.ble = config.ble.enabled
      ? new BleSource({
          config: config.ble,
          logger: this.#log,
          ...(options.env ? { env: options.env } : {}),
          onReading: (r) => this.#intake.push(() => this.#publishBle(r)),
        })
      : undefined;
    this.wmbus = config.wmbus.enabled
      ? new WmbusSource({
          config: config.wmbus,
          stateDir: config.stateDir,
          logger: this.#log,
          onOutcome: (o, t) => this.#intake.push(() => this.#onTelegram(o, t.rssiDbm)),
        })
      : undefined;
    this.#provisioning = new Provisioning({
      registry: this.wmbus?.registry,
      publisher: this.#publisher,
      log: this.#log,
      maxMeters: config.wmbus.maxMeters,
      enqueue: (task) => this.#enqueue(task),
      publishStatus: () => this.#publishStatus(),
    });
    this.metrics = new EdgeMetrics({
      ble: () => this.ble?.counters(),
      wmbus: () => this.wmbus?.counters(),
      connector: () => this.connector.metrics(),
      publisher: () => this.#publisher.counters,
      intake: () => this.#intake.counters,
    });
    this.#health =
      config.health.port > 0
        ? new HealthServer({
            host: config.health.host,
            port: config.health.port,
            registry: this.metrics.registry,
            health: () => this.healthSnapshot(),
          })
        : undefined;
  }

  /** Starts the connector first (it accepts readings into the outbox even before the broker answers). */
  async start(): Promise<void> {
    await this.#discovery?.load();
    await this.connector.start();
    await this.wmbus?.start();
    await this.ble?.start();
    await this.#health?.start();
    const every = (this.#config.health.statusIntervalS ?? 60) * 1000;
    this.#healthTimer = setInterval(() => this.#enqueue(() => this.#publishHealth()), every);
    this.#healthTimer.unref();
    this.#sampleTimer = setInterval(() => this.#sample(), 1_000);
    this.#sampleTimer.unref();
    this.#log.info(
      {
        gatewayId: this.#gw,
        mqtt: this.#config.mqtt.url,
        ble: this.ble ? (this.#config.ble.source?.kind ?? 'noble') : 'off',
        wmbus: this.wmbus ? this.wmbus.describe() : 'off',
        health: this.#health ? `http://${this.#config.health.host}:${this.#health.port}` : 'off',
      },
      'iotgw-edge started',
    );
  }

  /** Stops sources, flushes the outbox as far as the broker allows, publishes offline, disconnects. */
  async stop(flushTimeoutMs = 5_000): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearInterval(this.#healthTimer);
    clearInterval(this.#sampleTimer);
    clearTimeout(this.#statusTimer);
    clearTimeout(this.#reconcileTimer);
    await this.ble?.stop();
    await this.wmbus?.stop();
    // Bounded (intake.maxQueued): what was heard goes into the outbox before the connector stops.
    await this.#intake.drained();
    await this.#chain;
    await this.#discovery
      ?.save()
      .catch((err: unknown) => this.#log.warn({ err }, 'cannot save discovery state'));
    await this.connector.stop({ flushTimeoutMs });
    await this.#health?.stop();
    this.#outbox.close();
  }

  healthSnapshot(): Record<string, unknown> {
    const m = this.connector.metrics();
    this.#sample(m);
    const verdict = this.#monitor.verdict(Date.now());
    return {
      ...verdict,
      gatewayId: this.#gw,
      version: edgeVersion(),
      uptime_s: Math.round((Date.now() - this.#startedAt) / 1000),
      mqtt: { connected: m.connected, protocolVersion: m.protocolVersion },
      // One unit convention in the health JSON (and the health topic): durations in seconds, `_s`.
      outbox: (({ oldestAgeMs, ...rest }) => ({
        ...rest,
        oldest_age_s: Math.round((oldestAgeMs ?? 0) / 1000),
      }))(m.outbox),
      readings: this.#intake.counters,
      intakePending: this.#intake.pending,
      ble: this.ble?.counters(),
      wmbus: this.wmbus?.counters(),
      devices: { ble: this.ble?.devices().size ?? 0, meters: this.wmbus?.registry.meters().length ?? 0 },
    };
  }

  #sample(m = this.connector.metrics()): void {
    this.#monitor.observe(
      { connected: m.connected, depth: m.outbox.depth, headSeq: m.outbox.headSeq },
      Date.now(),
    );
  }

  #enqueue(task: () => Promise<unknown>): void {
    this.#chain = this.#chain
      .then(task)
      .catch((err: unknown) => this.#log.error({ err }, 'publishing failed'));
  }

  async #publishBle(r: DecodedReading): Promise<boolean> {
    if (r.format === 'thingy52') {
      const mac = r.address.toUpperCase();
      const ok = await this.#publisher.publish(
        thingyReading,
        'thingy52',
        mac,
        thingyPayload(r.values, r.receivedAt),
      );
      await this.#discovery?.announce(
        thingyDiscovery(this.#discovery.ctx, mac, thingyReading.build({ gatewayId: this.#gw, mac })),
        r.receivedAt,
      );
      return ok;
    }
    const ok = await this.#publisher.publish(
      bleReading,
      'ble',
      r.address,
      blePayload(r.format, r.values, r.receivedAt, r.rssi, r),
    );
    await this.#discovery?.announce(
      bleDiscovery(
        this.#discovery.ctx,
        {
          address: r.address,
          format: r.format,
          brand: r.brand,
          model: r.model,
          modelId: r.modelId,
          fields: Object.keys(r.values).filter((k) => typeof r.values[k] === 'number'),
          flags: Object.keys(r.values).filter((k) => typeof r.values[k] === 'boolean'),
        },
        bleReading.build({ gatewayId: this.#gw, address: r.address }),
      ),
      r.receivedAt,
    );
    return ok;
  }

  async #onTelegram(outcome: TelegramOutcome, rssiDbm: number | undefined): Promise<boolean | undefined> {
    let published: boolean | undefined;
    if (outcome.kind === 'reading') {
      const { entry, reading } = outcome;
      const meter = `${entry.manufacturerKey}-${entry.deviceId}`;
      const receivedAt = Date.now();
      published = await this.#publisher.publish(
        meterData,
        'meter',
        meter,
        meterPayload(reading, receivedAt, rssiDbm),
      );
      const params = {
        gatewayId: this.#gw,
        manufacturerKey: entry.manufacturerKey,
        deviceId: entry.deviceId,
      };
      await this.#discovery?.announce(
        meterDiscovery(
          this.#discovery.ctx,
          {
            deviceId: entry.deviceId,
            manufacturerKey: entry.manufacturerKey,
            manufacturer: reading.manufacturer,
            driver: reading.driver,
            fields: measuredFields(reading.values),
          },
          meterData.build(params),
        ),
        receivedAt,
      );
    } else if (outcome.kind === 'failed') {
      // Warn when a meter's state changes (e.g. to wrong_key), not on every telegram: a wrong key stays wrong.
      const fields = { deviceId: outcome.entry.deviceId, code: outcome.code, detail: outcome.detail };
      if (outcome.statusChanged) this.#log.warn(fields, 'telegrams of a monitored meter cannot be decoded');
      else this.#log.debug(fields, 'telegram of a monitored meter not decoded');
    }
    if (outcome.kind !== 'ignored' && outcome.statusChanged) this.#scheduleStatus();
    return published;
  }

  #scheduleStatus(): void {
    if (this.#statusTimer) return;
    this.#statusTimer = setTimeout(() => {
      this.#statusTimer = undefined;
      this.#enqueue(() => this.#publishStatus());
    }, STATUS_DEBOUNCE_MS);
  }

  async #publishStatus(): Promise<void> {
    if (!this.wmbus) return;
    const report = this.wmbus.registry.statusReport();
    await this.#publisher.publish(
      meterStatus,
      'status',
      'meters',
      this.#provisioning.lastCommand ? { ...report, command: this.#provisioning.lastCommand } : report,
      { replace: true },
    );
  }

  async #publishHealth(): Promise<void> {
    const connector = this.connector.metrics();
    this.#sample(connector);
    const payload = healthPayload({
      version: edgeVersion(),
      uptimeS: Math.round((Date.now() - this.#startedAt) / 1000),
      ble: this.ble?.counters(),
      wmbus: this.wmbus?.counters(),
      intake: this.#intake.counters,
      connector,
      verdict: this.#monitor.verdict(Date.now()),
    });
    await this.#publisher.publish(gatewayHealth, 'status', 'health', payload, { replace: true });
  }

  #onConnected(): void {
    this.#enqueue(async () => {
      await this.#publishHealth();
      await this.#publishStatus();
    });
    if (this.#discovery && !this.#reconciled) {
      this.#reconciled = true;
      this.#reconcileTimer = setTimeout(() => {
        const live = new Set(
          (this.wmbus?.registry.meters() ?? []).map((m) => meterDeviceKey(m.manufacturerKey, m.deviceId)),
        );
        this.#enqueue(() => this.#discovery?.reconcile(live) ?? Promise.resolve());
      }, RECONCILE_WINDOW_MS);
      this.#reconcileTimer.unref();
    }
  }

  #onEvent(event: GatewayEvent): void {
    const payload = event.value as Buffer;
    switch (event.varType) {
      case 'provisioning':
        this.#provisioning.receive(payload);
        break;
      case 'command':
        this.#enqueue(() => this.#command(payload));
        break;
      case 'receipt': {
        const outcome = this.connector.receipt(payload);
        if ('problem' in outcome) this.#log.warn({ problem: outcome.problem }, 'receipt ignored');
        break;
      }
      case 'ha_status':
        if (payload.toString() === 'online')
          this.#enqueue(() => this.#discovery?.republish() ?? Promise.resolve());
        break;
      case 'ha_config':
        if (!this.#reconciled || this.#reconcileTimer)
          this.#discovery?.observeRetained(String(event.meta?.['topic']), payload);
        break;
    }
  }

  async #command(payload: Buffer): Promise<void> {
    const parsed = gatewayCommand.parse(payload);
    if (!parsed.ok) {
      this.#log.warn({ problem: parsed.error.message }, 'command refused');
      return;
    }
    if (parsed.value.command === 'publish_status') {
      await this.#publishHealth();
      await this.#publishStatus();
      return;
    }
    if (parsed.value.command === 'stop') {
      if (!this.#config.commands.allowStop) {
        this.#log.warn('stop command refused: commands.allowStop is false in the config');
        return;
      }
      this.#log.warn('stop command received over MQTT: stopping');
      this.#onStop?.();
    }
  }
}
