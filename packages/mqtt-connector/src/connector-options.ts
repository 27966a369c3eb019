import { isSecretRef, SecretError } from '@iotgw/config';
import { topicFilterProblem, topicNameProblem } from '@iotgw/contracts';
import { DEFAULT_RECONNECT, type ReconnectOptions, reconnectOptionsProblem } from './backoff.js';
import { ConnectorError } from './connector-error.js';
import type { InboundFilter, OutboundFilter } from './gateway-event.js';
import type { ReceiptOptions } from './receipt-tracker.js';

/** TLS for `mqtts://` and `wss://`: file paths, read at start(). */
export interface TlsOptions {
  /** PEM CA bundle to trust (default: Node's built-in roots). */
  ca?: string;
  /** PEM client certificate for mutual TLS (with `key`). */
  cert?: string;
  /** PEM private key of `cert`. */
  key?: string;
  /** Verify the broker's certificate. Default true; false is logged at warn on every start. */
  rejectUnauthorized?: boolean;
  /** TLS server name (SNI and certificate check) when it differs from the URL's host. */
  servername?: string;
}

/** Availability: `offline` is the retained last will, `online` is published retained after every connect. */
export interface AvailabilityOptions {
  /** e.g. `gatewayAvailability.build({ gatewayId })`. */
  topic: string;
  online?: string;
  offline?: string;
}

export type SubscriptionSpec = string | { filter: string; qos?: 0 | 1 | 2 };

export interface ConnectorOptions {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` URL, without credentials. */
  url: string;
  clientId: string;
  /** Keepalive in seconds. Default 60. */
  keepalive?: number;
  /** Default 5. `'auto'` tries 5 and falls back to 3.1.1 when the broker refuses the protocol version. */
  protocolVersion?: 5 | 4 | 'auto';
  /** Clean start (5) / clean session (3.1.1). Default true. */
  clean?: boolean;
  /** MQTT 5 session expiry (s). Default: 0 with `clean`, 7 days without (a persistent session must outlive a restart). */
  sessionExpiryInterval?: number;
  username?: string;
  /** A secret reference only: `env:NAME` or `file:/path`, resolved at every connect. */
  password?: string;
  tls?: TlsOptions;
  will?: AvailabilityOptions;
  reconnect?: Partial<ReconnectOptions>;
  /** Give up on a connection attempt without CONNACK after this long (ms). Default 10,000. */
  connectTimeoutMs?: number;
  /** Topic filters subscribed (QoS 1 unless given) and restored after every reconnect. */
  subscriptions?: readonly SubscriptionSpec[];
  inboundFilter?: InboundFilter;
  outboundFilter?: OutboundFilter;
  /** Subscriptions become `$share/<group>/<filter>`. */
  shareGroup?: string;
  /** Client connections (ids `<clientId>-<i>` when > 1) holding the subscriptions. Default 1. */
  connections?: number;
  /**
   * MQTT 5 Receive Maximum: how many QoS 1 messages the broker may have in flight to each connection.
   * A consumer that acknowledges after slow work keeps it small (the flow router: ~16), so keepalive
   * PINGRESPs do not queue behind held messages. Default: the broker's own limit.
   */
  receiveMaximum?: number;
  /** Outbox messages in flight (sent, not yet acknowledged); capped by the broker's Receive Maximum. Default 100. */
  maxInflight?: number;
  /**
   * The largest packet the broker takes (bytes). MQTT 5 brokers announce theirs in CONNACK (Maximum
   * Packet Size), which is used as well (the smaller wins); a 3.1.1 broker announces nothing, so set
   * this to its limit (Mosquitto `max_packet_size`). publish() refuses a larger message
   * (MQTT_ERR_TOO_LARGE). Default: none besides the broker's own.
   */
  maxPacketBytes?: number;
  /**
   * MQTT 5: the largest packet this client takes (CONNECT Maximum Packet Size); the broker does not
   * send larger ones (Mosquitto drops them). Bounds what an outsider can make the client hold in
   * memory. Default: no limit announced.
   */
  maxIncomingPacketBytes?: number;
  /**
   * Keep chosen messages in the outbox after the broker's PUBACK until the server's receipt covers
   * them (`receipt()`), and send them again when none comes in time. Default: off (PUBACK removes).
   */
  receipts?: ReceiptOptions;
}

export interface ResolvedOptions {
  url: string;
  protocol: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  clientId: string;
  keepalive: number;
  protocolVersion: 5 | 4 | 'auto';
  clean: boolean;
  sessionExpiryInterval: number;
  username: string | undefined;
  password: string | undefined;
  tls: TlsOptions | undefined;
  will: Required<AvailabilityOptions> | undefined;
  reconnect: ReconnectOptions;
  connectTimeoutMs: number;
  subscriptions: { filter: string; qos: 0 | 1 | 2 }[];
  shareGroup: string | undefined;
  connections: number;
  maxInflight: number;
  receiveMaximum: number | undefined;
  maxPacketBytes: number | undefined;
  maxIncomingPacketBytes: number | undefined;
}

const SEVEN_DAYS_S = 7 * 24 * 3600;

function fail(message: string): never {
  throw new ConnectorError('MQTT_ERR_OPTIONS', `mqtt connector: ${message}`);
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

export function isQos(v: unknown): v is 0 | 1 | 2 {
  return v === 0 || v === 1 || v === 2;
}

/** Why `filter` cannot be subscribed, or null. */
export function subscriptionProblem(filter: unknown): string | null {
  if (typeof filter !== 'string') return 'a topic filter must be a string';
  return topicFilterProblem(filter);
}

/** Validates and completes the options. Throws MQTT_ERR_OPTIONS, or CFG_ERR_SECRET for a literal password. */
export function resolveOptions(options: ConnectorOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail('options must be an object');
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    fail(
      `url ${JSON.stringify(options.url)} is not a URL (expected mqtt://host:1883, mqtts://, ws:// or wss://)`,
    );
  }
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'mqtt' && protocol !== 'mqtts' && protocol !== 'ws' && protocol !== 'wss') {
    fail(`url scheme ${protocol}: must be mqtt, mqtts, ws or wss`);
  }
  if (url.password) {
    throw new SecretError(
      'mqtt url contains a password: remove it and set password to a secret reference (env:NAME or file:/path)',
    );
  }
  if (typeof options.clientId !== 'string' || options.clientId.length === 0)
    fail('clientId must be a non-empty string');
  const keepalive = options.keepalive ?? 60;
  if (!isInt(keepalive, 0, 65_535)) fail('keepalive must be an integer number of seconds, 0…65535');
  const protocolVersion = options.protocolVersion ?? 5;
  if (protocolVersion !== 5 && protocolVersion !== 4 && protocolVersion !== 'auto') {
    fail(`protocolVersion must be 5, 4 or 'auto' (got ${JSON.stringify(protocolVersion)})`);
  }
  const clean = options.clean ?? true;
  if (typeof clean !== 'boolean') fail('clean must be a boolean');
  const sessionExpiryInterval = options.sessionExpiryInterval ?? (clean ? 0 : SEVEN_DAYS_S);
  if (!isInt(sessionExpiryInterval, 0, 0xffff_ffff))
    fail('sessionExpiryInterval must be an integer, 0…4294967295 s');
  if (options.username !== undefined && typeof options.username !== 'string')
    fail('username must be a string');
  if (options.password !== undefined) {
    if (!isSecretRef(options.password)) {
      // Never echo the value: it may be the password itself.
      throw new SecretError(
        'mqtt password must be a secret reference (env:NAME or file:/path): a password written in the configuration is refused',
      );
    }
    if (options.username === undefined) fail('password is set but username is not');
  }
  const tls = options.tls;
  if (tls !== undefined) {
    if (protocol !== 'mqtts' && protocol !== 'wss')
      fail(`tls is set but the url is ${protocol}:// (use mqtts:// or wss://)`);
    for (const key of ['ca', 'cert', 'key', 'servername'] as const) {
      const v = tls[key];
      if (v !== undefined && (typeof v !== 'string' || v === ''))
        fail(`tls.${key} must be a non-empty string`);
    }
    if ((tls.cert === undefined) !== (tls.key === undefined))
      fail('tls.cert and tls.key go together (mutual TLS)');
    if (tls.rejectUnauthorized !== undefined && typeof tls.rejectUnauthorized !== 'boolean') {
      fail('tls.rejectUnauthorized must be a boolean');
    }
  }
  let will: Required<AvailabilityOptions> | undefined;
  if (options.will !== undefined) {
    const problem =
      typeof options.will.topic === 'string' ? topicNameProblem(options.will.topic) : 'must be a string';
    if (problem) fail(`will.topic ${problem}`);
    will = {
      topic: options.will.topic,
      online: options.will.online ?? 'online',
      offline: options.will.offline ?? 'offline',
    };
  }
  const reconnect: ReconnectOptions = { ...DEFAULT_RECONNECT, ...options.reconnect };
  const reconnectProblem = reconnectOptionsProblem(reconnect);
  if (reconnectProblem) fail(reconnectProblem);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  if (!isInt(connectTimeoutMs, 1, 3_600_000)) fail('connectTimeoutMs must be an integer number of ms > 0');
  const shareGroup = options.shareGroup;
  if (shareGroup !== undefined && (typeof shareGroup !== 'string' || !/^[^/+#\u0000]+$/.test(shareGroup))) {
    fail('shareGroup must be a non-empty string without /, + or #');
  }
  const subscriptions = (options.subscriptions ?? []).map((spec, i) => {
    const filter = typeof spec === 'string' ? spec : spec?.filter;
    const qos = typeof spec === 'string' ? 1 : (spec?.qos ?? 1);
    const problem = subscriptionProblem(filter);
    if (problem) fail(`subscriptions[${i}] ${JSON.stringify(filter)}: ${problem}`);
    if (!isQos(qos)) fail(`subscriptions[${i}] qos must be 0, 1 or 2`);
    if (shareGroup !== undefined && (filter as string).startsWith('$share/')) {
      fail(`subscriptions[${i}] is already a shared subscription while shareGroup is set`);
    }
    return { filter: filter as string, qos };
  });
  const connections = options.connections ?? 1;
  if (!isInt(connections, 1, 256)) fail('connections must be an integer, 1…256');
  const receiveMaximum = options.receiveMaximum;
  if (receiveMaximum !== undefined && !isInt(receiveMaximum, 1, 65_535))
    fail('receiveMaximum must be an integer, 1…65535');
  const maxInflight = options.maxInflight ?? 100;
  if (!isInt(maxInflight, 1, 65_535)) fail('maxInflight must be an integer, 1…65535');
  const maxPacketBytes = options.maxPacketBytes;
  if (maxPacketBytes !== undefined && !isInt(maxPacketBytes, 64, 268_435_460))
    fail('maxPacketBytes must be an integer number of bytes, 64…268435460');
  const maxIncomingPacketBytes = options.maxIncomingPacketBytes;
  if (maxIncomingPacketBytes !== undefined && !isInt(maxIncomingPacketBytes, 64, 268_435_460))
    fail('maxIncomingPacketBytes must be an integer number of bytes, 64…268435460');
  return {
    url: options.url,
    protocol,
    clientId: options.clientId,
    keepalive,
    protocolVersion,
    clean,
    sessionExpiryInterval,
    username: options.username,
    password: options.password,
    tls,
    will,
    reconnect,
    connectTimeoutMs,
    subscriptions,
    shareGroup,
    connections,
    maxInflight,
    receiveMaximum,
    maxPacketBytes,
    maxIncomingPacketBytes,
  };
}
