// TLS with a self-signed CA generated here (openssl), aedes over tls.createServer: trust, failure in
// words, mutual TLS with a client certificate.
import { createTestLogger } from '@iotgw/logger';
import {
  type ConnectorEvents,
  type ConnectorOptions,
  MemoryOutbox,
  MqttConnector,
} from '@iotgw/mqtt-connector';
import { type AedesBroker, startAedes } from '@iotgw/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from './support/certs.js';
import { waitFor } from './support/wait.js';

let pki: TestPki;
let tlsBroker: AedesBroker;
let mtlsBroker: AedesBroker;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pki = makeTestPki();
  const server = { key: pki.read(pki.serverKey), cert: pki.read(pki.serverCert) };
  tlsBroker = await startAedes({ tls: server });
  mtlsBroker = await startAedes({
    tls: { ...server, ca: pki.read(pki.caCert), requestCert: true, rejectUnauthorized: true },
  });
});
afterAll(async () => {
  await tlsBroker.close();
  await mtlsBroker.close();
  pki.remove();
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function make(url: string, tls: NonNullable<ConnectorOptions['tls']>) {
  const log = createTestLogger('tls-test');
  const c = new MqttConnector(
    {
      url,
      clientId: `iotgw-t-tls-${Math.random().toString(36).slice(2, 8)}`,
      protocolVersion: 4,
      tls,
      reconnect: { initialMs: 20, maxMs: 50 },
    },
    { logger: log.logger, outbox: new MemoryOutbox() },
  );
  cleanup.push(() => c.stop({ flushTimeoutMs: 200 }));
  return { c, log };
}

function firstFailure(c: MqttConnector): Promise<ConnectorEvents['reconnecting'][0]> {
  return new Promise((resolve) => c.once('reconnecting', resolve));
}

describe('TLS', () => {
  it('without the CA the connection fails with a clear error; with it, it connects and publishes', async () => {
    const untrusted = make(tlsBroker.url, {});
    const failed = firstFailure(untrusted.c);
    await untrusted.c.start();
    const info = await failed;
    expect((info.error as NodeJS.ErrnoException).code).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|ISSUER/,
    );
    expect(untrusted.c.metrics().connections[0]?.lastError).toMatch(
      /^TLS: the broker's certificate is not trusted: .*set tls\.ca/,
    );
    expect(untrusted.log.text()).toContain('set tls.ca');
    expect(untrusted.c.connected).toBe(false);

    const wrongCa = make(tlsBroker.url, { ca: pki.otherCaCert });
    const failedToo = firstFailure(wrongCa.c);
    await wrongCa.c.start();
    expect((await failedToo).error).toBeDefined();

    const trusted = make(tlsBroker.url, { ca: pki.caCert });
    await trusted.c.start();
    await waitFor(() => trusted.c.connected, 'connected over TLS');
    await trusted.c.publish('tls/test', 'hello');
    await waitFor(() => trusted.c.metrics().outbox.sent === 1, 'acknowledged');
  });

  it('mutual TLS: a broker that requires a client certificate refuses one without, accepts one with', async () => {
    const anonymous = make(mtlsBroker.url, { ca: pki.caCert });
    const failed = firstFailure(anonymous.c);
    await anonymous.c.start();
    expect((await failed).error).toBeDefined();
    await waitFor(() => (anonymous.c.metrics().reconnects ?? 0) >= 1, 'a retry');
    expect(anonymous.c.connected).toBe(false);
    expect(anonymous.c.metrics().connections[0]?.lastError).toMatch(
      /certificate required.*needs tls\.cert and tls\.key/,
    );

    const client = make(mtlsBroker.url, { ca: pki.caCert, cert: pki.clientCert, key: pki.clientKey });
    await client.c.start();
    await waitFor(() => client.c.connected, 'connected with a client certificate');
  });

  it('rejects TLS configuration mistakes clearly', async () => {
    const missing = make(tlsBroker.url, { ca: '/nonexistent/ca.pem' });
    await expect(missing.c.start()).rejects.toMatchObject({
      code: 'MQTT_ERR_TLS',
      message: 'cannot read tls.ca file /nonexistent/ca.pem: ENOENT',
    });
    expect(() => make('mqtt://127.0.0.1:1883', { ca: pki.caCert })).toThrow(
      /tls is set but the url is mqtt:\/\//,
    );
    expect(() => make(tlsBroker.url, { cert: pki.clientCert })).toThrow(/tls.cert and tls.key go together/);
  });

  it('logs a warning when certificate verification is switched off', async () => {
    const { c, log } = make(tlsBroker.url, { rejectUnauthorized: false });
    await c.start();
    await waitFor(() => c.connected, 'connected without verification');
    expect(log.text()).toContain('tls.rejectUnauthorized is false');
  });
});
