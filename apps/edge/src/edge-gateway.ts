import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DecodedReading } from '@iotgw/ble';
import {
  bleReading,
  gatewayAvailability,
  gatewayCommand,
  gatewayHealth,
  isoTimestamp,
  meterConfig,
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
import { HealthServer } from './observability/health-server.js';
import { EdgeOutboundFilter } from './publish/edge-outbound-filter.js';
import { blePayload, meterPayload, thingyPayload } from './publish/reading-payloads.js';
import { ReadingPublisher } from './publish/reading-publisher.js';
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
  #lastCommand: { timestamp: string; ok: boolean; error?: string } | undefined;
  #stopping = false;
  /** Sends are queued one after another so readings leave in the order they were produced. */
  #chain: Promise<unknown> = Promise.resolve();

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
    const subscriptions = [
      meterProvisioning.build({ gatewayId: this.#gw }),
      gatewayCommand.build({ gatewayId: this.#gw }),
      ...(ha.enabled ? [`${ha.prefix}/status`, `${ha.prefix}/+/+/config`] : []),
    ].map((filter) => ({ filter, qos: 1 as const }));
    this.connector = new MqttConnector(
      {
        url: config.mqtt.url,
        clientId: config.mqtt.clientId ?? `iotgw-edge-${this.#gw}`,
        keepalive: config.mqtt.keepalive,
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
        inboundFilter: new RegexInboundFilter(inboundRules, {
          decode: (payload, topic) => ({ value: payload, meta: { topic } }),
        }),
        outboundFilter: new EdgeOutboundFilter(this.#gw, config.mqtt.outboundRules),
      },
      { logger: this.#log.child({ module: 'mqtt' }), outbox: this.#outbox },
    );
    this.#publisher = new ReadingPublisher(this.connector, this.#log.child({ module: 'publish' }));
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
          onReading: (r) => this.#enqueue(() => this.#publishBle(r)),
        })
      : undefined;
    this.wmbus = config.wmbus.enabled
      ? new WmbusSource({
          config: config.wmbus,
          stateDir: config.stateDir,
          logger: this.#log,
          onOutcome: (o, t) => this.#enqueue(() => this.#onTelegram(o, t.rssiDbm)),
        })
      : undefined;
    this.metrics = new EdgeMetrics({
      ble: () => this.ble?.counters(),
      wmbus: () => this.wmbus?.counters(),
      connector: () => this.connector.metrics(),
      publisher: () => this.#publisher.counters,
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
  async stop(flushTimeoutMs = 10_000): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearInterval(this.#healthTimer);
    clearTimeout(this.#statusTimer);
    clearTimeout(this.#reconcileTimer);
    await this.ble?.stop();
    await this.wmbus?.stop();
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
    return {
      gatewayId: this.#gw,
      version: edgeVersion(),
      uptime_s: Math.round((Date.now() - this.#startedAt) / 1000),
      mqtt: { connected: m.connected, protocolVersion: m.protocolVersion },
      outbox: m.outbox,
      ble: this.ble?.counters(),
      wmbus: this.wmbus?.counters(),
      devices: { ble: this.ble?.devices().size ?? 0, meters: this.wmbus?.registry.meters().length ?? 0 },
    };
  }

  #enqueue(task: () => Promise<unknown>): void {
    this.#chain = this.#chain
      .then(task)
      .catch((err: unknown) => this.#log.error({ err }, 'publishing failed'));
  }

  async #publishBle(r: DecodedReading): Promise<void> {
    if (r.format === 'thingy52') {
      const mac = r.address.toUpperCase();
      await this.#publisher.publish(thingyReading, 'thingy52', mac, thingyPayload(r.values, r.receivedAt));
      await this.#discovery?.announce(
        thingyDiscovery(this.#discovery.ctx, mac, thingyReading.build({ gatewayId: this.#gw, mac })),
        r.receivedAt,
      );
      return;
    }
    await this.#publisher.publish(
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
  }

  async #onTelegram(outcome: TelegramOutcome, rssiDbm: number | undefined): Promise<void> {
    if (outcome.kind === 'reading') {
      const { entry, reading } = outcome;
      const meter = `${entry.manufacturerKey}-${entry.deviceId}`;
      const receivedAt = Date.now();
      await this.#publisher.publish(meterData, 'meter', meter, meterPayload(reading, receivedAt, rssiDbm));
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
      this.#lastCommand ? { ...report, command: this.#lastCommand } : report,
    );
  }

  async #publishHealth(): Promise<void> {
    const m = this.connector.metrics();
    const counters: Record<string, number> = {};
    const ble = this.ble?.counters();
    if (ble) {
      counters['ble_adverts_seen'] = ble.seen;
      counters['ble_adverts_decoded'] = ble.decoded;
      counters['ble_adverts_duplicate'] = ble.duplicates;
      counters['ble_adverts_refused'] = ble.refused;
      counters['ble_adverts_filtered'] = ble.filtered;
    }
    for (const [k, v] of Object.entries(this.wmbus?.counters() ?? {})) counters[`wmbus_${k}`] = v;
    await this.#publisher.publish(gatewayHealth, 'status', 'health', {
      timestamp: isoTimestamp(new Date()),
      version: edgeVersion(),
      uptime_s: Math.round((Date.now() - this.#startedAt) / 1000),
      counters,
      outbox: {
        depth: m.outbox.depth,
        oldest_age_s: Math.round((m.outbox.oldestAgeMs ?? 0) / 1000),
        sent: m.outbox.sent,
        dropped: m.outbox.dropped,
      },
    });
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
        this.#enqueue(() => this.#provision(payload));
        break;
      case 'command':
        this.#enqueue(() => this.#command(payload));
        break;
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

  async #provision(payload: Buffer): Promise<void> {
    if (!this.wmbus) {
      this.#log.warn('provisioning message received but wM-Bus is disabled in the config: ignored');
      return;
    }
    const parsed = meterProvisioning.parse(payload);
    if (!parsed.ok) {
      this.#log.warn(
        { problem: parsed.error.message },
        'provisioning message refused: the monitored meters stay as they were',
      );
      this.#lastCommand = { timestamp: isoTimestamp(new Date()), ok: false, error: parsed.error.message };
      await this.#publishStatus();
      return;
    }
    const statuses = await this.wmbus.registry.replace(parsed.value);
    this.#lastCommand = { timestamp: isoTimestamp(new Date()), ok: true };
    const invalid = statuses.filter((s) => s.status === 'invalid');
    this.#log.info(
      {
        meters: statuses.length,
        invalid: invalid.length,
        reasons: invalid.map((s) => `${s.index}: ${s.reason}`),
      },
      'monitored meters replaced',
    );
    await this.#publishStatus();
    for (const meter of this.wmbus.registry.meters()) {
      const config = this.wmbus.registry.configFor(meter.deviceId);
      if (!config) continue;
      await this.#publisher.publish(
        meterConfig,
        'meter_config',
        `${meter.manufacturerKey}-${meter.deviceId}`,
        config,
      );
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
