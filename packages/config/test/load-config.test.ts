import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, checkConfig, loadConfig, resolveSecret } from '@iotgw/config';
import { describe, expect, it } from 'vitest';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['gatewayId'],
  properties: {
    version: { type: 'integer', default: 1 },
    gatewayId: { type: 'string', minLength: 1 },
    mqtt: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        url: { type: 'string', format: 'uri', default: 'mqtt://127.0.0.1:1883' },
        keepalive: { type: 'integer', minimum: 1, default: 60 },
        password: { type: 'string' },
        tls: { type: 'boolean', default: false },
      },
    },
    ble: {
      type: 'object',
      default: {},
      properties: { allow: { type: 'array', items: { type: 'string' }, default: [] } },
    },
  },
} as const;

function tmp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

interface Cfg {
  version: number;
  gatewayId: string;
  mqtt: { url: string; keepalive: number; tls: boolean; password?: string };
  ble: { allow: string[] };
}

describe('loadConfig', () => {
  it('merges defaults, file, .env and env (env wins) and freezes the result', () => {
    const file = tmp('edge.yaml', 'gatewayId: gw-1\nmqtt:\n  keepalive: 30\n');
    const envFile = tmp('.env', 'MQTT_URL=mqtt://from-dotenv:1883\nIOTGW_MQTT__KEEPALIVE=45\n');
    const cfg = loadConfig<Cfg>({
      schema,
      file,
      envFile,
      env: { IOTGW_MQTT__TLS: 'true', IOTGW_BLE__ALLOW: 'AA:BB,CC:DD' },
      envBindings: { MQTT_URL: 'mqtt.url' },
      envPrefix: 'IOTGW_',
    });
    expect(cfg).toEqual({
      version: 1,
      gatewayId: 'gw-1',
      mqtt: { url: 'mqtt://from-dotenv:1883', keepalive: 45, tls: true },
      ble: { allow: ['AA:BB', 'CC:DD'] },
    });
    expect(Object.isFrozen(cfg.mqtt)).toBe(true);
    expect(() => {
      (cfg as { gatewayId: string }).gatewayId = 'x';
    }).toThrow();
  });

  it('names the file, line, JSON path and expectation of every problem', () => {
    const file = tmp('edge.yaml', 'gatewayId: gw-1\nmqtt:\n  keepalive: fast\n  colour: red\n');
    const { problems } = checkConfig({ schema, file, env: {}, envFile: false });
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual({
      source: `${file}:3:14`,
      path: '$.mqtt.keepalive',
      message: 'must be integer',
    });
    expect(problems).toContainEqual({
      source: `${file}:4:11`,
      path: '$.mqtt.colour',
      message: 'is not a known setting',
    });
    expect(() => loadConfig({ schema, file, env: {}, envFile: false })).toThrow(ConfigError);
  });

  it('names the environment variable behind a bad value', () => {
    const { problems } = checkConfig({
      schema,
      env: { GATEWAY: 'gw', IOTGW_MQTT__KEEPALIVE: 'soon', IOTGW_MQTT__URL: 'not a url' },
      envBindings: { GATEWAY: 'gatewayId' },
      envPrefix: 'IOTGW_',
      envFile: false,
    });
    expect(problems).toContainEqual({
      source: 'env IOTGW_MQTT__KEEPALIVE',
      path: '$.mqtt.keepalive',
      message: 'must be a number (got "soon")',
    });
    expect(problems).toContainEqual({
      source: 'env IOTGW_MQTT__URL',
      path: '$.mqtt.url',
      message: 'must match format "uri"',
    });
  });

  it('reports a missing required setting and a missing file', () => {
    const { problems } = checkConfig({ schema, env: {}, envFile: false });
    expect(problems).toEqual([{ source: 'defaults', path: '$.gatewayId', message: 'is required' }]);
    expect(() => loadConfig({ schema, file: '/nonexistent/edge.yaml', env: {} })).toThrow(
      '/nonexistent/edge.yaml: $ does not exist',
    );
  });

  it('refuses a secret written in the file, without echoing it', () => {
    const file = tmp('edge.yaml', 'gatewayId: gw\nmqtt:\n  password: hunter2\n');
    let error: ConfigError | undefined;
    try {
      loadConfig({ schema, file, env: {}, envFile: false });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.code).toBe('CFG_ERR_SECRET');
    expect(error?.message).toContain('$.mqtt.password is a secret and may not be written in a config file');
    expect(error?.message).not.toContain('hunter2');
    const ok = loadConfig<Cfg>({
      schema,
      file: tmp('e.yaml', 'gatewayId: gw\nmqtt:\n  password: env:MQTT_PASSWORD\n'),
      env: {},
      envFile: false,
    });
    expect(ok.mqtt.password).toBe('env:MQTT_PASSWORD');
  });

  it('reports YAML syntax errors with their position', () => {
    const file = tmp('bad.yaml', 'gatewayId: [unclosed\n');
    expect(() => loadConfig({ schema, file, env: {}, envFile: false })).toThrow(
      /bad\.yaml:\d+:\d+: \$ is not valid YAML/,
    );
  });
});

describe('resolveSecret', () => {
  it('reads env: and file: references and names what is missing', () => {
    expect(resolveSecret('env:X', { X: 's3' })).toBe('s3');
    expect(resolveSecret(`file:${tmp('pw', 'from-file\n')}`)).toBe('from-file');
    expect(() => resolveSecret('env:NOPE', {})).toThrow(
      'environment variable NOPE (from env:NOPE) is not set',
    );
    expect(() => resolveSecret('file:/nonexistent/pw')).toThrow(
      'cannot read secret file /nonexistent/pw: ENOENT',
    );
    expect(() => resolveSecret('hunter2')).toThrow(/is not a secret reference/);
    expect(() => resolveSecret('hunter2')).not.toThrow(/hunter2/);
  });
});
