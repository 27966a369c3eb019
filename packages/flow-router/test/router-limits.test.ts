// Issue 13.3: sixteen ~1 MB readings made one batch larger than MariaDB's max_allowed_packet, and the
// router retried it forever. Batches are now bounded in bytes, a message that fits no batch and one with
// too many fields become dead letters with their own codes, and a batch that cannot commit is reported.
import {
  DeadLetterRepository,
  FlowRepository,
  FlowRouter,
  RecordQuery,
  type RouterDb,
} from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { skipIfMissing } from '@iotgw/testkit';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DbKind, databaseKinds, type FreshDatabase, migratedDatabase } from './support/databases.js';
import { MemoryTransport } from './support/memory-transport.js';
import { waitFor } from './support/record-audit.js';
import { testSettings } from './support/settings.js';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function useRouter(kind: DbKind) {
  const ctx = {} as {
    fresh: FreshDatabase & { handle: RouterDb };
    flows: FlowRepository;
    transport: MemoryTransport;
    router: FlowRouter | undefined;
  };
  beforeEach(async () => {
    ctx.fresh = await migratedDatabase(kind);
    ctx.flows = new FlowRepository(ctx.fresh.handle.db);
    ctx.transport = new MemoryTransport();
  });
  afterEach(async () => {
    await ctx.router?.stop();
    ctx.router = undefined;
    await ctx.fresh.dispose();
  });
  const start = async (env: Record<string, string> = {}) => {
    ctx.router = new FlowRouter({
      db: ctx.fresh.handle.db,
      dialect: ctx.fresh.handle.dialect,
      transport: ctx.transport,
      logger: createTestLogger('limits', 'warn').logger,
      settings: testSettings(ctx.fresh.url, env),
      stopGraceMs: 300,
    });
    await ctx.router.start();
    return ctx.router;
  };
  return { ctx, start };
}

describe.each(databaseKinds)('router limits on $kind', ({ kind, skip }) => {
  describe.skipIf(skip)(kind, () => {
    const { ctx, start } = useRouter(kind);

    it('bounds batches in bytes; a message no batch can hold and one with too many fields are dead letters', async () => {
      const flow = await ctx.flows.create({ code: 'big', topic: 'big/+', action: 'STORE_DB' });
      const router = await start({ ROUTER_BATCH_MAX_BYTES: String(256 * 1024) });
      expect(router.stats().batchMaxBytes).toBe(256 * 1024);
      // Ten 40 KB readings at once: about 80 KB of SQL each (worst-case escaping), three to a batch.
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ctx.transport.deliver(`big/${i}`, { n: i, s: 'x'.repeat(40_000) }),
        ),
      );
      const records = new RecordQuery(ctx.fresh.handle.db);
      expect(await records.count(flow.id)).toBe(20);
      expect(router.stats().counters.batches).toBeGreaterThanOrEqual(4);

      await ctx.transport.deliver('big/x', { s: 'y'.repeat(300_000) });
      const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
      await ctx.transport.deliver('big/w', wide(1_001));
      await ctx.transport.deliver('big/w', wide(1_000));
      expect(await records.count(flow.id)).toBe(20 + 1_000);
      const dead = (await new DeadLetterRepository(ctx.fresh.handle.db).list({ flowId: flow.id })).items;
      expect(dead.map((d) => d.reasonCode).sort()).toEqual([
        'PAYLOAD_ERR_TOO_LARGE',
        'PAYLOAD_ERR_TOO_MANY_FIELDS',
      ]);
      const tooLarge = dead.find((d) => d.reasonCode === 'PAYLOAD_ERR_TOO_LARGE');
      const kept = Buffer.from(tooLarge?.payloadBase64 ?? '', 'base64').length;
      expect(kept).toBeGreaterThan(1_000);
      expect(kept).toBeLessThan(300_000);
      expect(tooLarge?.reason).toMatch(new RegExp(`payload kept: first ${kept} of 300008 bytes`));
      expect(dead.find((d) => d.reasonCode === 'PAYLOAD_ERR_TOO_MANY_FIELDS')?.reason).toMatch(
        /1001 fields; at most 1000/,
      );
      expect(router.stats().commitStall).toBeNull();
    });

    it('reports a batch that cannot commit: its flows, since when and the error', async () => {
      await ctx.flows.create({ code: 'stuck', topic: 'stuck/+', action: 'STORE_DB' });
      const router = await start();
      const db = ctx.fresh.handle.db;
      await sql`drop table data_records`.execute(db);
      await sql`drop table dead_letters`.execute(db);
      const delivered = ctx.transport.deliver('stuck/1', { v: 1 }).catch((err: Error) => err);
      await waitFor(
        async () => router.stats().commitStall !== null,
        10_000,
        async () => 'no stall reported',
      );
      const stall = router.stats().commitStall;
      expect(stall?.flows).toEqual(['stuck']);
      expect(stall?.error).toMatch(/dead_letters|data_records/);
      expect(stall?.since).toBeLessThanOrEqual(Date.now());
      await router.stop();
      // Not acknowledged: the broker would deliver it again.
      expect(await delivered).toBeInstanceOf(Error);
    });
  });
});

// The real limit: MariaDB's own max_allowed_packet, read when the router starts (nothing configured).
describe.skipIf(skipIfMissing('mysql'))("router batches under MariaDB's max_allowed_packet", () => {
  const { ctx, start } = useRouter('mysql');

  it('dead-letters sixteen 70,000-field readings at once and keeps storing (main stalled for minutes)', async () => {
    const flow = await ctx.flows.create({ code: 'wide', topic: 'wide/+', action: 'STORE_DB' });
    const router = await start();
    const wide = JSON.stringify(
      Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`f${i}`, i + 0.5])),
    );
    expect(wide.length).toBeGreaterThan(1_000_000);
    await withTimeout(
      Promise.all(Array.from({ length: 16 }, (_, i) => ctx.transport.deliver(`wide/${i}`, wide))),
      30_000,
      'sixteen 70,000-field readings',
    );
    await withTimeout(ctx.transport.deliver('wide/ok', { v: 1 }), 5_000, 'a small reading after them');
    expect(await new RecordQuery(ctx.fresh.handle.db).count(flow.id)).toBe(1);
    const dead = (await new DeadLetterRepository(ctx.fresh.handle.db).list({ flowId: flow.id })).items;
    expect(dead.map((d) => d.reasonCode)).toEqual(Array(16).fill('PAYLOAD_ERR_TOO_MANY_FIELDS'));
    expect(router.stats().commitStall).toBeNull();
  }, 60_000);

  it('stores readings that together are 1.5 times max_allowed_packet, in batches below it', async () => {
    const result = await sql<{ p: number }>`select @@max_allowed_packet as p`.execute(ctx.fresh.handle.db);
    const packet = Number(result.rows[0]?.p);
    expect(
      packet,
      'a test MariaDB with max_allowed_packet above 64 MiB needs too much data',
    ).toBeLessThanOrEqual(64 * 1024 * 1024);
    const flow = await ctx.flows.create({ code: 'huge', topic: 'huge/+', action: 'STORE_DB' });
    const router = await start();
    const size = 2 * 1024 * 1024;
    const count = Math.ceil((1.5 * packet) / size);
    await withTimeout(
      Promise.all(
        Array.from({ length: count }, (_, i) =>
          ctx.transport.deliver(`huge/${i}`, { n: i, s: 'z'.repeat(size) }),
        ),
      ),
      45_000,
      `${count} readings of 2 MiB`,
    );
    expect(await new RecordQuery(ctx.fresh.handle.db).count(flow.id)).toBe(2 * count);
    expect(router.stats().counters.batches).toBeGreaterThan(1);
    expect(router.stats().batchMaxBytes).toBeLessThan(packet);
    expect(router.stats().commitStall).toBeNull();
  }, 60_000);
});
