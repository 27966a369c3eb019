// Issue 13.3: a batch over max_allowed_packet made MariaDB drop the connection (ECONNRESET) while it
// still answered pings; the committer took that for an outage and retried the same batch forever.
// Here the writer stands in for such a server: any batch of more than two messages loses its connection.
import { GroupCommitter, type WorkItem } from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { describe, expect, it } from 'vitest';

function item(n: number): WorkItem {
  return {
    flowId: 1,
    flowCode: 'f',
    key: { kind: 'id', value: `i:${n}` },
    topic: 't',
    receivedAt: 0,
    payload: Buffer.from('{}'),
    userProperties: {},
    action: { kind: 'store', values: [] },
  };
}

describe('group commit', () => {
  it('splits a batch whose connection keeps being dropped while the database answers', async () => {
    let writes = 0;
    let stalled: string[] | undefined;
    const committer = new GroupCommitter({
      write: async (items) => {
        writes++;
        if (items.length > 2) {
          stalled ??= committer.stall?.flows.slice();
          throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', fatal: true });
        }
        return items.map((_, i) => ({ outcome: 'stored' as const, msgId: writes * 10 + i }));
      },
      ping: async () => true,
      maxMessages: 100,
      lingerMs: 1,
      retryBaseMs: 1,
      retryMaxMs: 5,
      log: createTestLogger('group-commit', 'warn').logger,
    });
    const outcomes = await Promise.race([
      Promise.all(Array.from({ length: 8 }, (_, n) => committer.submit([item(n)]))),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('still retrying after 10 s')), 10_000),
      ),
    ]);
    expect(outcomes.flat().map((o) => o.outcome)).toEqual(Array(8).fill('stored'));
    expect(stalled).toEqual(['f']);
    expect(committer.stall).toBeNull();
    await committer.close(100);
  });
});
