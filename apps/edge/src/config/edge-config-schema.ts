import { DEFAULT_FORMAT_IDS, FORMAT_IDS } from '@iotgw/ble';
import type { FromSchema } from 'json-schema-to-ts';

/** The BLE format families, as a plain list for the JSON Schema. */
const BLE_FORMATS: string[] = [...FORMAT_IDS];
/** Default: every family except the opt-in ones (`presence`: phones and trackers, or every phone nearby is a stream). */
const DEFAULT_BLE_FORMATS: string[] = [...DEFAULT_FORMAT_IDS];

/** Secret references only: the value of a secret never sits in the config file. */
const secretRef = {
  type: 'string',
  pattern: '^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$',
  description: 'env:NAME or file:/path',
} as const;

const mac = { type: 'string', pattern: '^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$' } as const;

/** A capture played back (`speed`: 1 = recorded pace, 0 = as fast as possible); shared by BLE and wM-Bus. */
const replaySource = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'file'],
  properties: {
    kind: { const: 'replay' },
    file: { type: 'string' },
    speed: { type: 'number', minimum: 0 },
    loop: { type: 'boolean' },
  },
} as const;

/** Simulated devices (the demo, soak and benchmarks). */
const simulateSource = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: { const: 'simulate' },
    intervalMs: { type: 'integer', minimum: 1 },
    batch: {
      type: 'integer',
      minimum: 1,
      maximum: 10000,
      description: 'BLE only: adverts generated per tick (benchmarks: full speed)',
    },
  },
} as const;

export const CURRENT_CONFIG_VERSION = 1;

export const edgeConfigSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: [
    'version',
    'gatewayId',
    'mqtt',
    'ble',
    'wmbus',
    'outbox',
    'homeAssistant',
    'health',
    'intake',
    'commands',
    'log',
    'stateDir',
  ],
  properties: {
    version: { type: 'integer', const: CURRENT_CONFIG_VERSION, default: CURRENT_CONFIG_VERSION },
    gatewayId: {
      type: 'string',
      minLength: 1,
      pattern: '^[^/+#\\u0000]+$',
      description: 'the gateway id in every topic, e.g. 706462169',
    },
    stateDir: {
      type: 'string',
      minLength: 1,
      default: '/var/lib/iotgw',
      description: 'outbox and meter registry',
    },
    mqtt: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: [
        'url',
        'protocolVersion',
        'keepalive',
        'reconnect',
        'outboundRules',
        'receipts',
        'receiptResendS',
      ],
      properties: {
        url: { type: 'string', pattern: '^(mqtts?|wss?)://', default: 'mqtt://127.0.0.1:1883' },
        receipts: {
          enum: ['off', 'auto', 'on'],
          default: 'auto',
          description:
            "keep readings in the outbox after the broker's PUBACK until the server's receipt covers them: auto = once the server has sent one",
        },
        receiptResendS: {
          type: 'integer',
          minimum: 1,
          maximum: 86400,
          default: 60,
          description:
            'readings without a receipt this long are sent again (the pause doubles while none comes, up to 16x)',
        },
        clientId: { type: 'string', minLength: 1 },
        protocolVersion: { enum: [4, 5, 'auto'], default: 'auto' },
        keepalive: { type: 'integer', minimum: 1, maximum: 65535, default: 60 },
        maxPacketBytes: {
          type: 'integer',
          minimum: 64,
          maximum: 268435460,
          description:
            "the broker's max_packet_size (MQTT 3.1.1; MQTT 5 brokers announce theirs): larger messages are refused",
        },
        username: { type: 'string' },
        password: secretRef,
        tls: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ca: { type: 'string', description: 'CA certificate file' },
            cert: { type: 'string', description: 'client certificate file (mTLS)' },
            key: { type: 'string', description: 'client key file (mTLS)' },
            rejectUnauthorized: { type: 'boolean', default: true },
          },
        },
        reconnect: {
          type: 'object',
          additionalProperties: false,
          default: {},
          required: ['initialMs', 'maxMs', 'factor'],
          properties: {
            initialMs: { type: 'integer', minimum: 10, default: 1000 },
            maxMs: { type: 'integer', minimum: 10, default: 60000 },
            factor: { type: 'number', minimum: 1, default: 2 },
          },
        },
        outboundRules: {
          type: 'array',
          default: [],
          description: 'extra outbound rules, tried before the defaults that produce the contracts',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['match', 'topic'],
            properties: { match: { type: 'string' }, topic: { type: 'string' } },
          },
        },
      },
    },
    ble: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['enabled', 'formats', 'dedupWindowS', 'allow', 'deny', 'bindkeys'],
      properties: {
        enabled: { type: 'boolean', default: false },
        source: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['kind'],
              properties: { kind: { const: 'noble' }, adapter: { type: 'integer', minimum: 0 } },
            },
            replaySource,
            simulateSource,
          ],
        },
        formats: {
          type: 'array',
          // Every definition family of @iotgw/ble (its id is the reading's `format`); default all but presence.
          items: { type: 'string', enum: BLE_FORMATS },
          default: DEFAULT_BLE_FORMATS,
        },
        dedupWindowS: { type: 'number', minimum: 0, default: 10 },
        dedupWindowByFormat: { type: 'object', additionalProperties: { type: 'number', minimum: 0 } },
        allow: { type: 'array', items: mac, default: [] },
        deny: { type: 'array', items: mac, default: [] },
        minRssi: { type: 'integer', minimum: -127, maximum: 20 },
        bindkeys: {
          type: 'object',
          default: {},
          description: 'BTHome bindkeys by MAC, as references: env:NAME or file:/path',
          propertyNames: mac,
          additionalProperties: secretRef,
        },
      },
    },
    wmbus: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['enabled', 'linkMode', 'maxMeters'],
      properties: {
        enabled: { type: 'boolean', default: false },
        source: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['kind', 'device'],
              properties: {
                kind: { const: 'im871a' },
                device: { type: 'string', description: 'e.g. /dev/ttyUSB0' },
              },
            },
            replaySource,
            simulateSource,
          ],
        },
        linkMode: { enum: ['c1', 't1', 'c1t1'], default: 'c1' },
        registryFile: { type: 'string', description: 'default <stateDir>/meters.json' },
        maxMeters: {
          type: 'integer',
          minimum: 1,
          maximum: 100000,
          default: 1000,
          description: 'longest provisioning list accepted; a longer one is refused as a whole',
        },
        driversDir: {
          type: 'string',
          description:
            'directory of extra meter driver files (.json, .yaml, .xmq), read once at start; see docs/wmbus-drivers.md',
        },
      },
    },
    outbox: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['maxMessages', 'maxBytes', 'fsync', 'groupCommitMs'],
      properties: {
        path: { type: 'string', description: 'default <stateDir>/outbox.db' },
        maxMessages: { type: 'integer', minimum: 1, default: 1000000 },
        maxBytes: { type: 'integer', minimum: 1024, default: 268435456 },
        fsync: { enum: ['always', 'group'], default: 'group' },
        groupCommitMs: { type: 'integer', minimum: 1, maximum: 1000, default: 5 },
      },
    },
    homeAssistant: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['enabled', 'prefix'],
      properties: {
        enabled: { type: 'boolean', default: false },
        prefix: { type: 'string', minLength: 1, default: 'homeassistant' },
      },
    },
    health: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['port', 'host', 'maxBrokerDownS', 'maxOutboxStallS'],
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 0, description: '0 = off' },
        host: { type: 'string', default: '127.0.0.1' },
        statusIntervalS: { type: 'integer', minimum: 1, default: 60 },
        maxBrokerDownS: {
          type: 'integer',
          minimum: 1,
          default: 300,
          description: 'not ok once the broker has been unreachable longer than this',
        },
        maxOutboxStallS: {
          type: 'integer',
          minimum: 1,
          default: 300,
          description: 'not ok once the outbox head has not moved for longer than this',
        },
      },
    },
    intake: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['maxQueued'],
      properties: {
        maxQueued: {
          type: 'integer',
          minimum: 1,
          maximum: 1000000,
          default: 1000,
          description:
            'readings waiting for the outbox at most; beyond, new readings are dropped and counted',
        },
      },
    },
    commands: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['allowStop'],
      properties: { allowStop: { type: 'boolean', default: false } },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      required: ['level', 'format'],
      properties: {
        level: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], default: 'info' },
        format: { enum: ['json', 'pretty', 'auto'], default: 'auto' },
      },
    },
  },
} as const;

export type EdgeConfig = FromSchema<typeof edgeConfigSchema>;
