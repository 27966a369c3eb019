import { DEFAULT_DATABASE_URL, loadRouterSettings, RouterError, redactDatabaseUrl } from '@iotgw/flow-router';
import { describe, expect, it } from 'vitest';

function settingError(env: Record<string, string>): RouterError {
  try {
    loadRouterSettings(env);
  } catch (e) {
    if (e instanceof RouterError) return e;
    throw e;
  }
  throw new Error('expected loadRouterSettings to throw');
}

describe('loadRouterSettings', () => {
  it('runs on an embedded SQLite file with nothing set, and keeps the legacy defaults', () => {
    const s = loadRouterSettings({});
    expect(s.databaseUrl).toBe(DEFAULT_DATABASE_URL);
    expect(s.databaseKind).toBe('sqlite');
    expect(s.httpTimeoutSeconds).toBe(10);
    expect(s.mqttClientId).toBe('iotgw-server');
    expect(s.mqttKeepalive).toBe(60);
    expect(s.flowsReloadIntervalSeconds).toBe(30);
    expect(s.httpAllowedHosts).toBeNull();
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('builds a MySQL URL from the legacy DB_* names, password encoded and never in errors', () => {
    const s = loadRouterSettings({
      DB_HOST: 'db.internal',
      DB_PORT: '3307',
      DB_NAME: 'iot',
      DB_USER: 'gw',
      DB_PASSWORD: 'p@ss/word',
      LOG_DIR: '/var/log/iotgw',
      HTTP_TIMEOUT_SECONDS: '2.5',
      MQTT_CLIENT_ID: 'srv-1',
      MQTT_KEEPALIVE: '30',
      FLOWS_RELOAD_INTERVAL_SECONDS: '5',
    });
    expect(s.databaseKind).toBe('mysql');
    expect(s.databaseUrl).toBe('mysql://gw:p%40ss%2Fword@db.internal:3307/iot');
    expect(redactDatabaseUrl(s.databaseUrl)).toBe('mysql://gw:***@db.internal:3307/iot');
    expect(s.logDir).toBe('/var/log/iotgw');
    expect(s.httpTimeoutSeconds).toBe(2.5);
    expect(s.mqttClientId).toBe('srv-1');
    expect(s.mqttKeepalive).toBe(30);
    expect(s.flowsReloadIntervalSeconds).toBe(5);
  });

  it('lets DATABASE_URL win over DB_*', () => {
    const s = loadRouterSettings({
      DATABASE_URL: 'sqlite:/tmp/x.db',
      DB_HOST: 'h',
      DB_NAME: 'n',
      DB_USER: 'u',
    });
    expect(s.databaseUrl).toBe('sqlite:/tmp/x.db');
  });

  it('names the missing or invalid setting in a stable error code', () => {
    const missing = settingError({ DB_HOST: 'h', DB_PASSWORD: 'secret-value' });
    expect(missing.code).toBe('ROUTER_ERR_SETTING');
    expect(missing.setting).toBe('DB_NAME');
    expect(missing.message).not.toContain('secret-value');
    expect(settingError({ DB_HOST: 'h', DB_NAME: 'n', DB_USER: 'u', DB_PORT: 'x' }).setting).toBe('DB_PORT');
    expect(settingError({ HTTP_TIMEOUT_SECONDS: '0' }).setting).toBe('HTTP_TIMEOUT_SECONDS');
    expect(settingError({ MQTT_KEEPALIVE: '1.5' }).setting).toBe('MQTT_KEEPALIVE');
    expect(settingError({ FLOWS_RELOAD_INTERVAL_SECONDS: '-1' }).setting).toBe(
      'FLOWS_RELOAD_INTERVAL_SECONDS',
    );
    expect(settingError({ HTTP_ALLOWED_HOSTS: 'ok.com, bad host' }).setting).toBe('HTTP_ALLOWED_HOSTS');
    const url = settingError({ DATABASE_URL: 'postgres://u:hunter2@h/db' });
    expect(url.setting).toBe('DATABASE_URL');
    expect(url.message).toContain('postgres:');
    expect(url.message).not.toContain('hunter2');
    expect(settingError({ DATABASE_URL: 'mysql://u@h' }).message).toMatch(/names no database/);
  });

  it('parses the allow list', () => {
    expect(
      loadRouterSettings({ HTTP_ALLOWED_HOSTS: 'API.example.com, *.corp.local,127.0.0.1:8080' })
        .httpAllowedHosts,
    ).toEqual(['api.example.com', '*.corp.local', '127.0.0.1:8080']);
  });
});
