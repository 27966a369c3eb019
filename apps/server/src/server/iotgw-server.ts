import { gatewayReceipt, meterProvisioning } from '@iotgw/contracts';
import {
  type AcknowledgedMessage,
  FlowRouter,
  migrateToLatest,
  migrationStatus,
  openDatabase,
  type RouterDb,
  redactDatabaseUrl,
  selectMqttServer,
} from '@iotgw/flow-router';
import type { Logger } from '@iotgw/logger';
import { type ConnectorOptions, MemoryOutbox, MqttConnector } from '@iotgw/mqtt-connector';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeConfig, type ServerConfig } from '../config/load-server-config.js';
import { allowedSecretEnv, secretRefProblem } from '../config/secret-ref-policy.js';
import { GatewayDirectory } from '../gateways/gateway-directory.js';
import { MeterProvisioner } from '../gateways/meter-provisioner.js';
import { ReceiptSender } from '../gateways/receipt-sender.js';
import type { ApiServices } from '../http/api-services.js';
import { buildApp } from '../http/build-app.js';
import { LiveFeed } from '../live/live-feed.js';
import { ServerMetrics } from '../metrics/server-metrics.js';
import { oneLine, ServerError } from '../server-error.js';
import { serverVersion } from '../version.js';
import { connectorTransport } from './connector-transport.js';
import { databaseServices } from './database-services.js';
import { commitCheck, type ReadinessCheck, readinessProbe } from './readiness.js';
import { describeMigrations } from './run-migrations.js';

export interface StartOptions {
  /** Apply pending migrations first (default true; `--no-migrate` turns it off). */
  readonly migrate?: boolean;
}

type Closer = () => Promise<void>;

/** Where the router's MQTT connection goes: MQTT_URL, else the first enabled row of mqtt_servers. */
interface BrokerChoice {
  readonly url: string;
  readonly username: string | undefined;
  readonly passwordRef: string | undefined;
  readonly clientId: string | undefined;
  readonly source: string;
  /** From the mqtt_servers table (written over the API), not from the operator's environment. */
  readonly fromTable: boolean;
}

async function chooseBroker(config: ServerConfig, db: RouterDb): Promise<BrokerChoice> {
  const m = config.mqtt;
  if (m.url !== undefined) {
    return {
      url: m.url,
      username: m.username,
      passwordRef: m.passwordRef,
      clientId: undefined,
      source: 'MQTT_URL',
      fromTable: false,
    };
  }
  const row = await selectMqttServer(db.db);
  if (!row) {
    throw new ServerError(
      'SERVER_ERR_MQTT',
      'no MQTT server: set MQTT_URL, or add an enabled row to mqtt_servers (iotgw-server migrate, then insert one)',
    );
  }
  // The row was written through the API (or by hand): its password reference must obey the same policy
  // the API enforces, and an env reference resolves only against the allowed variables (fromTable).
  const source = `mqtt_servers '${row.name}' (id ${row.id})`;
  const problem = row.passwordRef ? secretRefProblem(row.passwordRef, config.secretRefs) : null;
  if (problem) {
    throw new ServerError('SERVER_ERR_MQTT', `${source}: passwordRef ${problem}`);
  }
  return {
    fromTable: true,
    url: `${row.useTls ? 'mqtts' : 'mqtt'}://${row.host}:${row.port}`,
    username: row.username ?? undefined,
    passwordRef: row.passwordRef ?? undefined,
    clientId: row.clientId ?? undefined,
    source,
  };
}

const CONNECT_WAIT_MS = 5_000;

/** Resolves true once every connection of `connector` is up, false after `ms`. */
async function waitForConnections(connector: MqttConnector, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const connections = connector.metrics().connections;
    if (connections.length > 0 && connections.every((c) => c.connected)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function withTimeout<T>(what: string, ms: number, task: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      task,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * iotgw-server, composed: database (migrated) → flow router over an MQTT connector (persistent session,
 * optionally several connections in a shared-subscription group) → a second, per-replica connector for
 * the gateways' retained status topics and provisioning → the HTTP API and metrics.
 */
const ROUTER_RECEIVE_MAXIMUM = 16;

export class IotgwServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly #closers: Closer[];
  readonly #log: Logger;
  #stopping: Promise<void> | undefined;

  private constructor(app: FastifyInstance, url: string, closers: Closer[], log: Logger) {
    this.app = app;
    this.url = url;
    this.#closers = closers;
    this.#log = log;
  }

  static async start(config: ServerConfig, logger: Logger, options: StartOptions = {}): Promise<IotgwServer> {
    const log = logger.child({ module: 'server' });
    const closers: Closer[] = [];
    const unwind = async () => {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    };
    try {
      return await IotgwServer.#compose(config, logger, log, options, closers);
    } catch (err) {
      await unwind();
      throw err;
    }
  }

  static async #compose(
    config: ServerConfig,
    logger: Logger,
    log: Logger,
    options: StartOptions,
    closers: Closer[],
  ): Promise<IotgwServer> {
    const dbName = redactDatabaseUrl(config.router.databaseUrl);
    let db: RouterDb;
    try {
      db = openDatabase(config.router.databaseUrl);
    } catch (err) {
      throw new ServerError('SERVER_ERR_DATABASE', `cannot open the database ${dbName}: ${oneLine(err)}`, {
        cause: err,
      });
    }
    closers.push(() => db.close());
    try {
      await withTimeout('the database', 15_000, sql`select 1`.execute(db.db));
    } catch (err) {
      throw new ServerError('SERVER_ERR_DATABASE', `cannot reach the database ${dbName}: ${oneLine(err)}`, {
        cause: err,
      });
    }
    if (options.migrate !== false) {
      const report = await migrateToLatest(db.db);
      if (!report.ok) {
        throw new ServerError(
          'SERVER_ERR_MIGRATION',
          `migrations failed on ${dbName}: ${describeMigrations(report)}`,
        );
      }
      if (report.steps.length > 0) log.info({ steps: report.steps.map((s) => s.name) }, 'database migrated');
    } else {
      const status = await migrationStatus(db.db);
      if (!status.upToDate) {
        log.warn(
          { pending: status.pending },
          'migrations pending (--no-migrate): /readyz answers 503 until they run',
        );
      }
    }

    const broker = await chooseBroker(config, db);
    const clientId = config.mqtt.clientId ?? broker.clientId ?? config.router.mqttClientId;
    const common: ConnectorOptions = {
      url: broker.url,
      clientId,
      keepalive: config.router.mqttKeepalive,
      protocolVersion: config.mqtt.protocolVersion,
      ...(broker.username !== undefined ? { username: broker.username } : {}),
      ...(broker.passwordRef !== undefined ? { password: broker.passwordRef } : {}),
      ...(config.mqtt.caFile !== undefined && /^(mqtts|wss):/.test(broker.url)
        ? { tls: { ca: config.mqtt.caFile } }
        : {}),
    };
    const deps = {
      logger,
      env: broker.fromTable ? allowedSecretEnv(config.secretEnv, config.secretRefs) : config.secretEnv,
    };
    let routerConnector: MqttConnector;
    let statusConnector: MqttConnector;
    try {
      routerConnector = new MqttConnector(
        {
          ...common,
          clean: false,
          sessionExpiryInterval: config.mqtt.sessionExpirySeconds,
          connections: config.mqtt.connections,
          // The router acknowledges after commit: a small Receive Maximum per connection keeps keepalive
          // PINGRESPs from queueing behind held messages (docs/flow-router.md); more connections, not
          // more in flight per connection, is what raises throughput.
          receiveMaximum: ROUTER_RECEIVE_MAXIMUM,
          ...(config.mqtt.shareGroup !== undefined ? { shareGroup: config.mqtt.shareGroup } : {}),
        },
        { ...deps, outbox: new MemoryOutbox() },
      );
      statusConnector = new MqttConnector(
        {
          ...common,
          clientId: `${clientId}-status`,
          clean: true,
          subscriptions: GatewayDirectory.filters.map((filter) => ({ filter, qos: 1 as const })),
        },
        { ...deps, outbox: new MemoryOutbox() },
      );
    } catch (err) {
      throw new ServerError('SERVER_ERR_MQTT', `MQTT (${broker.source}): ${oneLine(err)}`, { cause: err });
    }

    const metrics = new ServerMetrics();
    const directory = new GatewayDirectory({ maxGateways: config.gatewaysMax });
    const statusLog = logger.child({ module: 'gateway-status' });
    statusConnector.onMessage(async (msg) => {
      const accepted = directory.accept(msg.topic, msg.payload);
      if (accepted && !accepted.ok) {
        metrics.gatewayStatusInvalid(accepted.kind);
        statusLog.warn(
          { gatewayId: accepted.gatewayId, kind: accepted.kind, reason: accepted.reason },
          'invalid gateway status',
        );
      }
    });
    const transport = connectorTransport(routerConnector, {
      sharedSubscriptions: config.mqtt.shareGroup !== undefined,
    });
    const live = new LiveFeed();
    const receiptLog = logger.child({ module: 'receipts' });
    const receipts = config.receipts
      ? new ReceiptSender(
          (gatewayId, receipt) =>
            statusConnector.publishContract(gatewayReceipt, { gatewayId }, receipt, { qos: 1 }),
          (err) => receiptLog.error({ err }, 'cannot publish a receipt'),
        )
      : null;
    const router = new FlowRouter({
      onStored: (messages) => live.publish(messages),
      ...(receipts ? { onAcknowledged: (m: AcknowledgedMessage) => receipts.acknowledged(m) } : {}),
      db: db.db,
      dialect: db.dialect,
      transport,
      logger,
      settings: { ...config.router, mqttClientId: clientId },
      metrics: metrics.router,
    });

    try {
      await routerConnector.start();
      closers.push(async () => {
        transport.close();
        await routerConnector.stop({ flushTimeoutMs: 1_000 });
      });
      await statusConnector.start();
      closers.push(() => statusConnector.stop({ flushTimeoutMs: 2_000 }));
    } catch (err) {
      throw new ServerError('SERVER_ERR_MQTT', `MQTT (${broker.source}): ${oneLine(err)}`, { cause: err });
    }
    // The router's first reload unsubscribes filters its last run left in the persistent session: that
    // only reaches the broker over a live connection, so give the connections a moment to come up.
    const up = await waitForConnections(routerConnector, CONNECT_WAIT_MS);
    if (!up)
      log.warn(
        { url: broker.url, waitedMs: CONNECT_WAIT_MS },
        'the broker is not reachable yet: starting anyway',
      );
    // The router stops before the connectors close: it stops taking messages and commits its batches.
    closers.push(() => router.stop());
    const report = await router.start();
    log.info(
      {
        active: report.active,
        refused: report.refused,
        subscribed: report.subscribed.length,
        unsubscribed: report.unsubscribed,
        errors: report.errors,
      },
      'flow router started',
    );
    closers.push(async () => directory.close());

    const connections = () => [
      ...routerConnector
        .metrics()
        .connections.map((c) => ({ connector: 'router', connection: c.index, ...c })),
      ...statusConnector
        .metrics()
        .connections.map((c) => ({ connector: 'status', connection: c.index, ...c })),
    ];
    metrics.attach({
      mqttConnections: connections,
      gateways: () => directory.counts(),
      gatewaysEvicted: () => directory.evicted,
      databaseServer: db.server,
      commitStall: () => router.stats().commitStall,
    });
    const brokerCheck = (): ReadinessCheck => {
      const all = connections();
      const down = all.filter((c) => !c.connected);
      if (all.length > 0 && down.length === 0) {
        return { ok: true, detail: `${all.length} connection(s) to ${broker.url} up` };
      }
      return {
        ok: false,
        detail: `not connected to ${broker.url}: ${down.map((c) => `${c.clientId} ${c.lastError ?? c.state}`).join('; ')}`,
      };
    };
    const services: ApiServices = {
      ...databaseServices(db.db, { allowedHosts: config.router.httpAllowedHosts }),
      router,
      gateways: directory,
      provisioner: new MeterProvisioner({
        directory,
        waitMs: config.provisioningWaitMs,
        publish: (gatewayId, list) => statusConnector.publishContract(meterProvisioning, { gatewayId }, list),
      }),
      readiness: readinessProbe({
        db: db.db,
        broker: brokerCheck,
        databaseServer: db.server,
        conflictRetries: () => router.stats().counters.conflictRetries,
        commits: () => commitCheck(router.stats().commitStall, Date.now()),
      }),
      metrics,
      live,
    };
    const app = await buildApp({
      logger,
      services,
      tokens: config.tokens,
      version: serverVersion(),
      bodyLimitBytes: config.http.bodyLimitBytes,
      corsOrigins: config.http.corsOrigins,
      secretRefs: config.secretRefs,
      writeRateLimitPerMinute: config.http.writeRateLimitPerMinute,
    });
    closers.push(() => app.close());
    let address: string;
    try {
      address = await app.listen({ port: config.http.port, host: config.http.host });
    } catch (err) {
      throw new ServerError(
        'SERVER_ERR_HTTP',
        `cannot listen on ${config.http.host}:${config.http.port}: ${oneLine(err)}`,
        { cause: err },
      );
    }
    if (config.tokens.open) {
      log.warn(
        {
          host: config.http.host,
          ...(config.http.refusedHost !== undefined ? { ignoredHttpHost: config.http.refusedHost } : {}),
        },
        'no API token configured (API_TOKENS_FILE, API_TOKENS): the HTTP API listens on loopback only and accepts every request without a token',
      );
    }
    log.info(
      {
        ...describeConfig(config),
        mqtt: urlWithoutCredentials(broker.url),
        mqttFrom: broker.source,
        clientId,
        address,
      },
      'iotgw-server started',
    );
    return new IotgwServer(app, address, closers, log);
  }

  /**
   * Graceful stop: the HTTP API closes (requests in progress finish), the router stops taking messages
   * and commits its batches, the connectors disconnect, the database closes. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#log.info('stopping');
      // Reverse start order: the HTTP API, the router (commits its batches), the connectors, the database.
      for (const close of [...this.#closers].reverse()) {
        try {
          await close();
        } catch (err) {
          this.#log.warn({ err: oneLine(err) }, 'a part failed to stop cleanly');
        }
      }
      this.#log.info('stopped');
    })();
    return this.#stopping;
  }
}

/** The broker URL for a log line: user and password removed. */
export function urlWithoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}
