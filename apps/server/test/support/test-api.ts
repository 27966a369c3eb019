import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowRouter, loadRouterSettings, migrateToLatest, openDatabase } from '@iotgw/flow-router';
import { createTestLogger, type Logger } from '@iotgw/logger';
import {
  ApiTokenStore,
  buildApp,
  commitCheck,
  databaseServices,
  GatewayDirectory,
  LiveFeed,
  MeterProvisioner,
  parseApiTokens,
  type ReadinessReport,
  readinessProbe,
  type SecretRefPolicy,
  ServerMetrics,
} from '@iotgw/server';
import type { FastifyInstance } from 'fastify';
import { MemoryTransport } from './memory-transport.js';

export const READ_TOKEN = 'read-token-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

export interface TestApi {
  app: FastifyInstance;
  transport: MemoryTransport;
  directory: GatewayDirectory;
  live: LiveFeed;
  /** Provisioning messages the API published, in order. */
  published: { gatewayId: string; list: unknown }[];
  /** Called for every provisioning publish (a fake edge answers here). */
  onPublish: ((gatewayId: string, list: unknown) => void) | undefined;
  brokerUp: boolean;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** API_TOKENS text; default one read and one admin token; '' = none (open mode). */
  tokens?: string;
  provisioningWaitMs?: number;
  writeRateLimitPerMinute?: number;
  bodyLimitBytes?: number;
  logger?: Logger;
  secretRefs?: SecretRefPolicy;
  maxGateways?: number;
}

/** The HTTP API around a real FlowRouter on a fresh SQLite file and an in-memory transport. */
export async function createTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-server-api-'));
  const url = `sqlite:${join(dir, 'api.db')}`;
  const db = openDatabase(url);
  const migrated = await migrateToLatest(db.db);
  if (!migrated.ok) throw new Error(`migrations failed: ${migrated.error?.message}`);
  const logger = options.logger ?? createTestLogger('api', 'warn').logger;
  const transport = new MemoryTransport();
  const metrics = new ServerMetrics({ defaultMetrics: false });
  const settings = loadRouterSettings({ DATABASE_URL: url, FLOWS_RELOAD_INTERVAL_SECONDS: '0' });
  const live = new LiveFeed({ capacity: 50 });
  const router = new FlowRouter({
    onStored: (messages) => live.publish(messages),
    db: db.db,
    dialect: db.dialect,
    transport,
    logger,
    settings,
    metrics: metrics.router,
  });
  await router.start();
  const directory = new GatewayDirectory(
    options.maxGateways !== undefined ? { maxGateways: options.maxGateways } : {},
  );
  const api: TestApi = {
    app: undefined as unknown as FastifyInstance,
    transport,
    directory,
    live,
    published: [],
    onPublish: undefined,
    brokerUp: true,
    async close() {
      await api.app.close();
      directory.close();
      await router.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const parsed = parseApiTokens(
    options.tokens ?? `read:${READ_TOKEN},admin:${ADMIN_TOKEN}`,
    'env',
    'API_TOKENS',
  );
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  const probe = readinessProbe({
    db: db.db,
    commits: () => commitCheck(router.stats().commitStall, Date.now()),
    broker: () =>
      api.brokerUp ? { ok: true, detail: 'memory transport' } : { ok: false, detail: 'down for the test' },
  });
  api.app = await buildApp({
    logger,
    version: '0.0.0-test',
    tokens: new ApiTokenStore(parsed.tokens),
    ...(options.writeRateLimitPerMinute !== undefined
      ? { writeRateLimitPerMinute: options.writeRateLimitPerMinute }
      : {}),
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
    ...(options.secretRefs !== undefined ? { secretRefs: options.secretRefs } : {}),
    services: {
      ...databaseServices(db.db),
      router,
      gateways: directory,
      provisioner: new MeterProvisioner({
        directory,
        waitMs: options.provisioningWaitMs ?? 2_000,
        publish: async (gatewayId, list) => {
          api.published.push({ gatewayId, list });
          const answer = api.onPublish;
          if (answer) setTimeout(() => answer(gatewayId, list), 5);
        },
      }),
      readiness: async (): Promise<ReadinessReport> => probe(),
      metrics,
      live,
    },
  });
  return api;
}

export const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` };
export const asReader = { authorization: `Bearer ${READ_TOKEN}` };
