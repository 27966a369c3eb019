import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConfig, loadServerConfig, ServerError, sha256 } from '@iotgw/server';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'iotgw-server-config-'));
const load = (env: Record<string, string>, envFile: string | false = false) =>
  loadServerConfig(env, { envFile });

function failure(env: Record<string, string>): string {
  try {
    load(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).code).toBe('SERVER_ERR_CONFIG');
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('server configuration', () => {
  it('runs on defaults: embedded SQLite, port 8080, loopback only without tokens', () => {
    const c = load({});
    expect(c.router.databaseUrl).toBe('sqlite:./data/iotgw.db');
    expect(c.http).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      bodyLimitBytes: 1_048_576,
      corsOrigins: [],
    });
    expect(c.tokens.open).toBe(true);
    expect(c.mqtt).toMatchObject({
      url: undefined,
      connections: 1,
      protocolVersion: 'auto',
      shareGroup: undefined,
    });
    expect(c.provisioningWaitMs).toBe(5_000);
  });

  it('reads the legacy names; DATABASE_URL wins over DB_*', () => {
    const legacy = {
      DB_HOST: 'db',
      DB_PORT: '3307',
      DB_NAME: 'iot',
      DB_USER: 'gw',
      DB_PASSWORD: 'p@ss',
      HTTP_TIMEOUT_SECONDS: '3',
      MQTT_CLIENT_ID: 'srv-1',
      MQTT_KEEPALIVE: '20',
      FLOWS_RELOAD_INTERVAL_SECONDS: '15',
      LOG_DIR: '/var/log/iotgw',
    };
    const c = load(legacy);
    expect(c.router.databaseUrl).toBe('mysql://gw:p%40ss@db:3307/iot');
    expect(c.router).toMatchObject({
      httpTimeoutSeconds: 3,
      mqttKeepalive: 20,
      flowsReloadIntervalSeconds: 15,
    });
    expect(c.mqtt.clientId).toBe('srv-1');
    expect(c.logDir).toBe('/var/log/iotgw');
    expect(load({ ...legacy, DATABASE_URL: 'sqlite:/tmp/x.db' }).router.databaseUrl).toBe('sqlite:/tmp/x.db');
  });

  it('takes settings from a .env file, the environment winning', () => {
    const envFile = join(dir, 'server.env');
    writeFileSync(
      envFile,
      'HTTP_PORT=9000\nDB_HOST=fromfile\nDB_NAME=n\nDB_USER=u\nMQTT_URL=mqtt://file:1883\n',
    );
    const c = load({ MQTT_URL: 'mqtt://env:1883' }, envFile);
    expect(c.http.port).toBe(9000);
    expect(c.router.databaseUrl).toBe('mysql://u@fromfile:3306/n');
    expect(c.mqtt.url).toBe('mqtt://env:1883');
  });

  it('turns MQTT credentials into secret references for the connector', () => {
    const c = load({ MQTT_URL: 'mqtts://iotgw@broker:8883', MQTT_PASSWORD: 'pw' });
    expect(c.mqtt).toMatchObject({
      url: 'mqtts://broker:8883',
      username: 'iotgw',
      passwordRef: 'env:MQTT_PASSWORD',
    });
    expect(c.secretEnv['MQTT_PASSWORD']).toBe('pw');
    const f = load({ MQTT_URL: 'mqtt://b', MQTT_USERNAME: 'u', MQTT_PASSWORD_FILE: '/run/secrets/mqtt' });
    expect(f.mqtt.passwordRef).toBe('file:/run/secrets/mqtt');
  });

  it('reads the database password from DB_PASSWORD_FILE (a container secret)', () => {
    const file = join(dir, 'db-password');
    writeFileSync(file, 'pa ss\n');
    const c = load({ DB_HOST: 'db', DB_NAME: 'iot', DB_USER: 'gw', DB_PASSWORD_FILE: file });
    expect(c.router.databaseUrl).toBe('mysql://gw:pa%20ss@db:3306/iot');
    expect(failure({ DB_PASSWORD_FILE: join(dir, 'missing') })).toMatch(
      /^DB_PASSWORD_FILE: cannot read secret file .*ENOENT/,
    );
    expect(failure({ DB_PASSWORD: 'x', DB_PASSWORD_FILE: file })).toBe(
      'set DB_PASSWORD or DB_PASSWORD_FILE, not both',
    );
  });

  it('opens many connections in a share group unless told otherwise, one without', () => {
    expect(load({ MQTT_SHARE_GROUP: 'iotgw' }).mqtt).toMatchObject({ shareGroup: 'iotgw', connections: 64 });
    expect(load({ MQTT_SHARE_GROUP: 'iotgw', MQTT_CONNECTIONS: '8' }).mqtt.connections).toBe(8);
    expect(load({}).mqtt.connections).toBe(1);
  });

  it('sends receipts to the edges unless RECEIPTS=off', () => {
    expect(load({}).receipts).toBe(true);
    expect(load({ RECEIPTS: 'off' }).receipts).toBe(false);
    expect(failure({ RECEIPTS: 'maybe' })).toContain('$.receipts must be one of');
  });

  it('stops with one line naming the setting at fault', () => {
    expect(failure({ HTTP_PORT: 'eighty' })).toBe(
      'invalid configuration: env HTTP_PORT: $.httpPort must be a number (got "eighty")',
    );
    expect(failure({ DB_HOST: 'db' })).toMatch(/^DB_NAME is required/);
    expect(failure({ DATABASE_URL: 'postgres://x/y' })).toMatch(
      /^DATABASE_URL must start with mysql:\/\/ or sqlite:/,
    );
    expect(failure({ MQTT_URL: 'mqtt://u:secret@b' })).toBe(
      'MQTT_URL may not contain a password: set MQTT_PASSWORD (or MQTT_PASSWORD_FILE) and MQTT_USERNAME',
    );
    expect(failure({ MQTT_URL: 'http://b' })).toContain('$.mqttUrl');
    expect(failure({ MQTT_CONNECTIONS: '4' })).toContain('MQTT_CONNECTIONS > 1 needs MQTT_SHARE_GROUP');
    expect(failure({ LOG_LEVEL: 'loud' })).toContain('$.logLevel must be one of');
    expect(failure({ API_TOKENS: 'admin:short' })).toBe(
      'API_TOKENS entry 1 the token must be 16 to 512 characters of A-Z a-z 0-9 . _ ~ + / = - (or sha256:<64 hex digits>)',
    );
    expect(failure({ API_TOKENS_FILE: join(dir, 'missing') })).toContain('cannot be read (ENOENT)');
  });

  it('loads tokens from a file (role:token or role:sha256:<hash>) and from API_TOKENS, keeping only hashes', () => {
    const file = join(dir, 'tokens');
    const hashed = sha256('reader-token-from-hash-0001').toString('hex');
    writeFileSync(file, `# iotgw API tokens\nadmin:admin-token-aaaaaaaaaaaaaaaa\n\nread:sha256:${hashed}\n`);
    const c = load({
      API_TOKENS_FILE: file,
      API_TOKENS: 'read:env-token-bbbbbbbbbbbbbbbb',
      HTTP_HOST: '0.0.0.0',
    });
    expect(c.tokens.roles()).toEqual({ admin: 1, read: 2 });
    expect(c.tokens.verify('admin-token-aaaaaaaaaaaaaaaa')?.role).toBe('admin');
    expect(c.tokens.verify('reader-token-from-hash-0001')?.role).toBe('read');
    expect(c.tokens.verify('env-token-bbbbbbbbbbbbbbbb')?.role).toBe('read');
    expect(c.tokens.verify('admin-token-aaaaaaaaaaaaaaab')).toBeNull();
    expect(JSON.stringify(c.tokens)).not.toContain('admin-token');
    expect(c.http.host).toBe('0.0.0.0');
    expect(c.tokensSource).toBe(`API_TOKENS_FILE ${file} + API_TOKENS`);
    expect(failure({ API_TOKENS: 'reader:abcdefghijklmnopqrstu' })).toContain(
      "must be 'read:<token>' or 'admin:<token>'",
    );
  });

  it('binds to loopback only when no token is configured, whatever HTTP_HOST says', () => {
    const c = load({ HTTP_HOST: '0.0.0.0' });
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.http.refusedHost).toBe('0.0.0.0');
    expect(load({ HTTP_HOST: '::1' }).http.host).toBe('::1');
  });

  it('describes itself for the start-up log without passwords or tokens', () => {
    const c = load({
      DATABASE_URL: 'mysql://gw:db-secret-pw@db/iot',
      MQTT_URL: 'mqtt://b',
      MQTT_USERNAME: 'u',
      MQTT_PASSWORD: 'mqtt-secret-pw',
      API_TOKENS: 'admin:admin-token-cccccccccccccccc',
    });
    const text = JSON.stringify(describeConfig(c));
    expect(text).toContain('mysql://gw:***@db/iot');
    for (const secret of ['db-secret-pw', 'mqtt-secret-pw', 'admin-token-cccccccccccccccc'])
      expect(text).not.toContain(secret);
  });
});
