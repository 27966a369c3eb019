// One contract suite for every Outbox implementation, then what only the durable one promises.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MemoryOutbox,
  type Outbox,
  type OutboxLimits,
  type OutboxMessage,
  REPLACES_PROPERTY,
  SqliteOutbox,
} from '@iotgw/mqtt-connector';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'iotgw-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `outbox-${++n}.db`);

let clock = 1_000;
const now = () => clock;

const implementations: [string, (limits?: OutboxLimits) => Outbox][] = [
  ['MemoryOutbox', (limits = {}) => new MemoryOutbox({ ...limits, now })],
  [
    'SqliteOutbox, group commit',
    (limits = {}) => new SqliteOutbox({ path: dbPath(), ...limits, now, fsync: { groupCommitMs: 2 } }),
  ],
  [
    'SqliteOutbox, fsync always',
    (limits = {}) => new SqliteOutbox({ path: dbPath(), ...limits, now, fsync: 'always' }),
  ],
];

const msg = (topic: string, payload: string, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
  topic,
  payload: Buffer.from(payload),
  qos: 1,
  retain: false,
  userProperties: {},
  ...extra,
});

describe.each(implementations)('Outbox contract: %s', (_name, make) => {
  it('assigns stable ids <outbox id>:<seq> with increasing seq and keeps every field', async () => {
    const outbox = make();
    const at = clock;
    const a = await outbox.append(msg('t/a', 'one', { retain: true, qos: 0, userProperties: { k: 'v' } }));
    const b = await outbox.append(msg('t/b', 'two'));
    expect(a.entry.id).toBe(`${outbox.id}:${a.entry.seq}`);
    expect(b.entry.seq).toBeGreaterThan(a.entry.seq);
    expect(a.dropped).toBe(0);
    const [first, second] = await outbox.peek(0, 10);
    expect(first).toEqual({ ...a.entry, payload: Buffer.from('one') });
    expect(first).toMatchObject({
      topic: 't/a',
      qos: 0,
      retain: true,
      userProperties: { k: 'v' },
      enqueuedAt: at,
    });
    expect(second?.id).toBe(b.entry.id);
    await outbox.close();
  });

  it('peeks in append order after a cursor, up to a limit', async () => {
    const outbox = make();
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) seqs.push((await outbox.append(msg(`t/${i % 2}`, String(i)))).entry.seq);
    expect((await outbox.peek(0, 3)).map((e) => e.payload.toString())).toEqual(['0', '1', '2']);
    expect((await outbox.peek(seqs[2] as number, 10)).map((e) => e.payload.toString())).toEqual(['3', '4']);
    expect(await outbox.peek(seqs[4] as number, 10)).toEqual([]);
    expect(await outbox.peek(0, 0)).toEqual([]);
    await outbox.close();
  });

  it('ack removes a message; unknown seqs are ignored; stats count depth, bytes, sent and age', async () => {
    const outbox = make();
    const a = await outbox.append(msg('t', '12345'));
    clock += 500;
    const b = await outbox.append(msg('t', '67'));
    expect(outbox.stats()).toMatchObject({
      depth: 2,
      bytes: 1 + 5 + 1 + 2,
      appended: 2,
      sent: 0,
      oldestAgeMs: 500,
    });
    await outbox.ack(a.entry.seq);
    await outbox.ack(a.entry.seq);
    await outbox.ack(9_999);
    expect(outbox.depth).toBe(1);
    expect(outbox.stats()).toMatchObject({ depth: 1, bytes: 3, sent: 1, oldestAgeMs: 0 });
    expect((await outbox.peek(0, 10)).map((e) => e.seq)).toEqual([b.entry.seq]);
    await outbox.ack(b.entry.seq);
    expect(outbox.stats()).toMatchObject({ depth: 0, bytes: 0, sent: 2, oldestAgeMs: 0 });
    await outbox.close();
  });

  it('when full by count, drops the oldest first and counts it', async () => {
    const outbox = make({ maxMessages: 3 });
    for (let i = 0; i < 3; i++) await outbox.append(msg('t', String(i)));
    const r = await outbox.append(msg('t', '3'));
    expect(r.dropped).toBe(1);
    expect((await outbox.peek(0, 10)).map((e) => e.payload.toString())).toEqual(['1', '2', '3']);
    expect(outbox.stats()).toMatchObject({ depth: 3, dropped: 1, droppedBytes: 2 });
    await outbox.close();
  });

  it('when full by bytes, drops as many of the oldest as needed; a message that can never fit throws', async () => {
    const outbox = make({ maxBytes: 10 });
    await outbox.append(msg('t', 'aaa')); // 4 bytes
    await outbox.append(msg('t', 'bbb')); // 8
    const r = await outbox.append(msg('t', 'cccccc')); // 7: both older ones must go
    expect(r.dropped).toBe(2);
    expect(outbox.stats()).toMatchObject({ depth: 1, bytes: 7, dropped: 2, droppedBytes: 8 });
    await expect(outbox.append(msg('t', 'x'.repeat(20)))).rejects.toMatchObject({
      code: 'OUTBOX_ERR_TOO_LARGE',
    });
    expect(outbox.depth).toBe(1);
    await outbox.close();
  });

  it('keeps order and removals exact over a backlog larger than any in-memory cache', async () => {
    const outbox = make();
    const seqs: number[] = [];
    for (let i = 0; i < 12_000; i += 1_000) {
      const batch = await Promise.all(
        Array.from({ length: 1_000 }, (_, k) => outbox.append(msg(`t/${(i + k) % 5}`, String(i + k)))),
      );
      seqs.push(...batch.map((r) => r.entry.seq));
    }
    const readAll = async () => {
      const out: number[] = [];
      for (let after = 0; ; ) {
        const page = await outbox.peek(after, 700);
        if (page.length === 0) return out;
        out.push(...page.map((e) => Number(e.payload.toString())));
        after = (page.at(-1) as { seq: number }).seq;
      }
    };
    expect(await readAll()).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
    // Acknowledge every third message, out of order, then read everything again.
    const acked = seqs.filter((_, i) => i % 3 === 0).reverse();
    for (const seq of acked) await outbox.ack(seq);
    const left = await readAll();
    expect(left).toHaveLength(8_000);
    expect(left.every((n) => n % 3 !== 0)).toBe(true);
    expect(left).toEqual([...left].sort((a, b) => a - b));
    expect(outbox.stats()).toMatchObject({ depth: 8_000, sent: 4_000 });
    await outbox.close();
  }, 180_000); // 12,000 appends; with fsync always a loaded disk takes more than the default 30 s

  it('a message with a replace key replaces its waiting predecessor (one pending copy per key)', async () => {
    const outbox = make();
    const first = await outbox.append(msg('s/health', 'one', { replaceKey: 's/health' }));
    const reading = await outbox.append(msg('r', 'reading'));
    const second = await outbox.append(msg('s/health', 'two', { replaceKey: 's/health' }));
    const third = await outbox.append(msg('s/health', 'three', { replaceKey: 's/health' }));
    const seqs = (await outbox.peek(0, 10)).map((e) => e.seq);
    expect(seqs).toEqual([reading.entry.seq, third.entry.seq]);
    expect(outbox.stats()).toMatchObject({ depth: 2, replaced: 2, headSeq: reading.entry.seq });
    expect([first.entry.seq, second.entry.seq].some((s) => seqs.includes(s))).toBe(false);
    // The replacing message names what it replaced, so a gap in the sequence can be accounted for.
    expect(third.entry.userProperties).toEqual({
      [REPLACES_PROPERTY]: `${first.entry.seq},${second.entry.seq}`,
    });
    await outbox.close();
  });

  it('park moves a message out of the queue and counts it; the head moves on', async () => {
    const outbox = make();
    const a = await outbox.append(msg('t', 'stuck'));
    const b = await outbox.append(msg('t', 'next'));
    expect(outbox.stats().headSeq).toBe(a.entry.seq);
    await outbox.park(a.entry.seq, 'too large');
    await outbox.park(9_999, 'unknown: ignored');
    expect(outbox.stats()).toMatchObject({ depth: 1, parked: 1, headSeq: b.entry.seq, bytes: 5 });
    expect((await outbox.peek(0, 10)).map((e) => e.seq)).toEqual([b.entry.seq]);
    await outbox.close();
  });

  it('refuses use after close', async () => {
    const outbox = make();
    await outbox.close();
    await expect(outbox.append(msg('t', 'x'))).rejects.toMatchObject({ code: 'OUTBOX_ERR_CLOSED' });
    await expect(outbox.peek(0, 1)).rejects.toMatchObject({ code: 'OUTBOX_ERR_CLOSED' });
  });
});

describe('SqliteOutbox durability', () => {
  it('keeps unacknowledged messages, its id and its sequence across a reopen; never reuses a seq', async () => {
    const path = dbPath();
    const first = new SqliteOutbox({ path });
    const a = await first.append(msg('t/1', 'a'));
    const b = await first.append(msg('t/2', 'b'));
    await first.ack(a.entry.seq);
    await first.close();
    const second = new SqliteOutbox({ path });
    expect(second.id).toBe(first.id);
    expect((await second.peek(0, 10)).map((e) => e.id)).toEqual([b.entry.id]);
    expect(second.stats()).toMatchObject({ depth: 1, bytes: 4 });
    await second.ack(b.entry.seq);
    await second.close();
    const third = new SqliteOutbox({ path });
    const c = await third.append(msg('t/3', 'c'));
    expect(c.entry.seq).toBe(b.entry.seq + 1);
    await third.close();
  });

  it('hands out a message only once its group is committed', async () => {
    const outbox = new SqliteOutbox({ path: dbPath(), fsync: { groupCommitMs: 20 } });
    const pending = outbox.append(msg('t', 'x'));
    expect(await outbox.peek(0, 10)).toEqual([]);
    const { entry } = await pending;
    expect((await outbox.peek(0, 10)).map((e) => e.id)).toEqual([entry.id]);
    await outbox.close();
  });

  it('allows one process per file: a second opener gets OUTBOX_ERR_LOCKED', async () => {
    const path = dbPath();
    const owner = new SqliteOutbox({ path });
    expect(() => new SqliteOutbox({ path })).toThrow(expect.objectContaining({ code: 'OUTBOX_ERR_LOCKED' }));
    await owner.close();
    const next = new SqliteOutbox({ path });
    await next.close();
  });

  it('rejects invalid limits and fsync settings', () => {
    expect(() => new SqliteOutbox({ path: dbPath(), maxMessages: 0 })).toThrow(/maxMessages/);
    expect(() => new SqliteOutbox({ path: dbPath(), fsync: { groupCommitMs: -1 } })).toThrow(/groupCommitMs/);
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, '');
    expect(() => new SqliteOutbox({ path: join(notADir, 'x.db') })).toThrow(
      expect.objectContaining({ code: 'OUTBOX_ERR_STORAGE' }),
    );
  });
});
