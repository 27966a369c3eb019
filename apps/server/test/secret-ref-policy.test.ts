import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { databaseServices, IotgwServer, loadServerConfig, ServerError } from '@iotgw/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, createTestApi, type TestApi } from './support/test-api.js';

// Issue 13 item 7: an admin token could store passwordRef env:DATABASE_URL (or file:/etc/shadow) and have
// the server send that secret to a broker of its choosing. References are now limited to an env allow-list
// (default MQTT_*) and a secrets directory (default /run/secrets), at the API and when the server connects.
const dir = mkdtempSync(join(tmpdir(), 'iotgw-secret-refs-'));
const secrets = join(dir, 'secrets');
mkdirSync(secrets);
writeFileSync(join(secrets, 'broker'), 'pw\n');
writeFileSync(join(dir, 'outside'), 'db-password\n');
symlinkSync(join(dir, 'outside'), join(secrets, 'sneaky'));
let api: TestApi;

beforeAll(async () => {
  api = await createTestApi({ secretRefs: { envAllow: ['MQTT_*', 'BROKER_PW'], secretsDir: secrets } });
});
afterAll(async () => {
  await api.close();
});

async function create(passwordRef: string) {
  return api.app.inject({
    method: 'POST',
    url: '/api/mqtt-servers',
    headers: asAdmin,
    payload: { name: `s-${Math.random()}`, host: 'broker.local', username: 'u', passwordRef },
  });
}

describe('mqtt_servers.passwordRef policy', () => {
  it('refuses env references outside the allow-list with a clear 400', async () => {
    const res = await create('env:DATABASE_URL');
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual([
      {
        in: 'body',
        path: '$.passwordRef',
        message: expect.stringContaining('names a variable outside the allow-list'),
      },
    ]);
    expect(res.json().message).toContain('MQTT_*');
    // The reference is not repeated: a caller may have put a password there by mistake.
    expect(res.body).not.toContain('DATABASE_URL');
    expect((await create('env:DB_PASSWORD')).statusCode).toBe(400);
    expect((await create('env:MQTT_PASSWORD')).statusCode).toBe(201);
    expect((await create('env:MQTT_BROKER_2')).statusCode).toBe(201);
    expect((await create('env:BROKER_PW')).statusCode).toBe(201);
    expect((await create('env:BROKER_PW2')).statusCode).toBe(400);
  });

  it('refuses files outside the secrets directory: elsewhere, through .., through a symlink', async () => {
    expect((await create(`file:${join(secrets, 'broker')}`)).statusCode).toBe(201);
    expect((await create(`file:${join(secrets, 'not-yet-there')}`)).statusCode).toBe(201);
    for (const ref of [
      'file:/etc/passwd',
      `file:${secrets}/../outside`,
      `file:${join(secrets, 'sneaky')}`,
      'file:relative/path',
      `file:${secrets}`,
      `file:${secrets}-other/x`,
    ]) {
      const res = await create(ref);
      expect(res.statusCode, ref).toBe(400);
      expect(res.json().problems[0].path).toBe('$.passwordRef');
      expect(res.json().problems[0].message).toContain('SECRET_REF_DIR');
    }
  });

  it('refuses the same on PUT', async () => {
    const ok = await create('env:MQTT_PASSWORD');
    const res = await api.app.inject({
      method: 'PUT',
      url: `/api/mqtt-servers/${ok.json().id}`,
      headers: asAdmin,
      payload: { passwordRef: 'env:API_TOKENS' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems[0].path).toBe('$.passwordRef');
  });

  it('reads the policy from SECRET_REF_ENV_ALLOW and SECRET_REF_DIR', () => {
    expect(loadServerConfig({}, { envFile: false }).secretRefs).toEqual({
      envAllow: ['MQTT_*'],
      secretsDir: '/run/secrets',
    });
    expect(
      loadServerConfig(
        { SECRET_REF_ENV_ALLOW: 'MQTT_*,BROKER_*', SECRET_REF_DIR: '/srv/s' },
        { envFile: false },
      ).secretRefs,
    ).toEqual({ envAllow: ['MQTT_*', 'BROKER_*'], secretsDir: '/srv/s' });
    expect(() => loadServerConfig({ SECRET_REF_ENV_ALLOW: 'A-B' }, { envFile: false })).toThrow(
      /secretRefEnvAllow/,
    );
  });

  it('refuses a stored row that breaks the policy when the server connects', async () => {
    const url = `sqlite:${join(dir, 'start.db')}`;
    const db = openDatabase(url);
    expect((await migrateToLatest(db.db)).ok).toBe(true);
    await databaseServices(db.db).mqttServers.create({
      name: 'evil',
      host: '127.0.0.1',
      port: 1,
      username: 'x',
      passwordRef: 'env:DATABASE_URL',
    });
    await db.close();
    const config = loadServerConfig({ DATABASE_URL: url, HTTP_PORT: '0' }, { envFile: false });
    const err = await IotgwServer.start(config, createTestLogger('srv', 'silent').logger).catch((e) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err.code).toBe('SERVER_ERR_MQTT');
    expect(err.message).toContain("mqtt_servers 'evil'");
    expect(err.message).toContain('passwordRef names a variable outside the allow-list');
  });
});
