import {
  DeadLetterRepository,
  FlowRepository,
  FlowRouter,
  type HttpOutcome,
  noopRouterMetrics,
  type RouterDb,
} from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';
import { startEndpoint, type TestEndpoint } from './support/http-endpoint.js';
import { MemoryTransport } from './support/memory-transport.js';
import { insertRawFlows } from './support/raw-flow.js';
import { waitFor } from './support/record-audit.js';
import { testSettings } from './support/settings.js';

describe.each(databaseKinds)('POST_ENDPOINT through the durable retry queue on $kind', ({ kind, skip }) => {
  describe.skipIf(skip)(kind, () => {
    let fresh: FreshDatabase & { handle: RouterDb };
    let endpoint: TestEndpoint | undefined;
    const routers: FlowRouter[] = [];
    let outcomes: Array<{ outcome: HttpOutcome; status: number | null }>;

    beforeEach(async () => {
      fresh = await migratedDatabase(kind);
      outcomes = [];
    });
    afterEach(async () => {
      for (const r of routers.splice(0)) await r.stop();
      await endpoint?.close();
      endpoint = undefined;
      await fresh.dispose();
    });

    async function start(env: Record<string, string> = {}, transport = new MemoryTransport()) {
      const router = new FlowRouter({
        db: fresh.handle.db,
        dialect: fresh.handle.dialect,
        transport,
        logger: createTestLogger().logger,
        settings: testSettings(fresh.url, env),
        metrics: {
          ...noopRouterMetrics,
          httpSinkOutcome: (_f, outcome, status) => outcomes.push({ outcome, status }),
        },
      });
      routers.push(router);
      const report = await router.start();
      return { router, transport, report };
    }

    async function outboxRows() {
      return fresh.handle.db.selectFrom('http_outbox').selectAll().execute();
    }

    async function postFlow(url: string, code = 'post') {
      return new FlowRepository(fresh.handle.db).create({
        code,
        topic: `${code}/#`,
        action: 'POST_ENDPOINT',
        endpointUrl: url,
      });
    }

    it('retries on 503 with backoff until the endpoint accepts; the same idempotency key every time', async () => {
      endpoint = await startEndpoint((_r, n) => ({ status: n <= 2 ? 503 : 201 }));
      const flow = await postFlow(`${endpoint.url}/ingest`);
      const { transport } = await start();
      await transport.deliver('post/a', { temp: 21.5 });
      await waitFor(
        async () => (await outboxRows()).length === 0,
        10_000,
        () => `requests: ${endpoint?.requests.length}`,
      );
      expect(endpoint.requests).toHaveLength(3);
      expect(new Set(endpoint.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      expect(endpoint.requests[0]?.body).toBe('{"temp":21.5}');
      expect(endpoint.requests[0]?.headers['x-iotgw-msg-id']).toBe('1');
      expect(endpoint.requests[0]?.headers['content-type']).toBe('application/json');
      expect(outcomes.map((o) => o.outcome)).toEqual(['retry', 'retry', 'delivered']);
      expect((await new FlowRepository(fresh.handle.db).get(flow.id))?.lastMsgId).toBe(1);
    });

    it('dead-letters on 400 without retrying', async () => {
      endpoint = await startEndpoint(() => ({ status: 400 }));
      await postFlow(endpoint.url);
      const { transport } = await start();
      await transport.deliver('post/a', { v: 1 });
      const dl = new DeadLetterRepository(fresh.handle.db);
      await waitFor(
        async () => (await dl.count()) === 1,
        10_000,
        () => 'no dead letter',
      );
      expect(endpoint.requests).toHaveLength(1);
      const [letter] = (await dl.list()).items;
      expect(letter?.reasonCode).toBe('HTTP_ERR_STATUS');
      expect(letter?.reason).toMatch(/HTTP 400/);
      expect(letter?.payloadText).toBe('{"v":1}');
      expect(await outboxRows()).toHaveLength(0);
    });

    it('gives up on a request after HTTP_TIMEOUT_SECONDS and retries it', async () => {
      endpoint = await startEndpoint((_r, n) => (n === 1 ? 'hang' : { status: 200 }));
      await postFlow(endpoint.url);
      const { transport } = await start({ HTTP_TIMEOUT_SECONDS: '0.3' });
      await transport.deliver('post/a', { v: 1 });
      await waitFor(
        async () => (await outboxRows()).length === 0,
        10_000,
        () => 'not delivered',
      );
      expect(outcomes[0]).toEqual({ outcome: 'retry', status: null });
      expect(outcomes[1]).toEqual({ outcome: 'delivered', status: 200 });
      expect(endpoint.aborted).toBe(1);
    });

    it('keeps queued POSTs across a restart and delivers them then', async () => {
      endpoint = await startEndpoint(() => ({ status: 503 }));
      await postFlow(endpoint.url);
      const first = await start();
      for (let i = 0; i < 3; i++) await first.transport.deliver('post/a', { i });
      await waitFor(
        async () => (endpoint?.requests.length ?? 0) >= 3,
        10_000,
        () => 'no attempts',
      );
      await first.router.stop();
      const queued = await outboxRows();
      expect(queued).toHaveLength(3);
      expect(queued.every((r) => r.attempts >= 1 && r.lease_owner === null)).toBe(true);
      endpoint.respond = () => ({ status: 200 });
      await start({}, new MemoryTransport());
      await waitFor(
        async () => (await outboxRows()).length === 0,
        10_000,
        () => 'not delivered after restart',
      );
      const delivered = endpoint.requests.slice(-3).map((r) => JSON.parse(r.body) as { i: number });
      expect(delivered.map((d) => d.i).sort()).toEqual([0, 1, 2]);
    });

    it('keeps at most HTTP_MAX_CONCURRENCY_PER_ENDPOINT requests open to one endpoint', async () => {
      endpoint = await startEndpoint(() => ({ status: 200 }), 50);
      await postFlow(endpoint.url);
      const { transport } = await start({ HTTP_MAX_CONCURRENCY_PER_ENDPOINT: '2' });
      await Promise.all(Array.from({ length: 12 }, (_, i) => transport.deliver('post/a', { i })));
      await waitFor(
        async () => (await outboxRows()).length === 0,
        10_000,
        () => 'not delivered',
      );
      expect(endpoint.requests).toHaveLength(12);
      expect(endpoint.maxConcurrent).toBe(2);
    });

    it('refuses, when loading, flows with no URL, a non-http URL or a host off the allow list', async () => {
      endpoint = await startEndpoint(() => ({ status: 200 }));
      const repo = new FlowRepository(fresh.handle.db, { allowedHosts: ['example.org'] });
      await expect(
        repo.create({ code: 'x', topic: 'x', action: 'POST_ENDPOINT', endpointUrl: 'ftp://example.org/' }),
      ).rejects.toThrow(/\$\.endpointUrl: must use http: or https:/);
      await expect(
        repo.create({ code: 'y', topic: 'y', action: 'POST_ENDPOINT', endpointUrl: endpoint.url }),
      ).rejects.toThrow(/not in HTTP_ALLOWED_HOSTS/);
      await expect(repo.create({ code: 'z', topic: 'z', action: 'POST_ENDPOINT' })).rejects.toThrow(
        /\$\.endpointUrl: is required/,
      );
      // Written behind the API's back: the router refuses them when it loads, and runs the others.
      const open = new FlowRepository(fresh.handle.db);
      await open.create({
        code: 'local',
        topic: 'local',
        action: 'POST_ENDPOINT',
        endpointUrl: endpoint.url,
      });
      await open.create({
        code: 'allowed',
        topic: 'allowed',
        action: 'POST_ENDPOINT',
        endpointUrl: 'https://api.example.org/in',
      });
      await insertRawFlows(fresh.handle.db, [
        { code: 'ftp', topic: 'ftp', action: 'POST_ENDPOINT', endpointUrl: 'ftp://example.org/x' },
      ]);
      const { report } = await start({ HTTP_ALLOWED_HOSTS: '*.example.org' });
      expect(report.added).toEqual(['allowed']);
      expect(report.refused.map((r) => r.code).sort()).toEqual(['ftp', 'local']);
      expect(report.refused.find((r) => r.code === 'local')?.reason).toMatch(/HTTP_ALLOWED_HOSTS/);
    });
  });
});
