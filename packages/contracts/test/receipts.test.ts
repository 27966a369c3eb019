import {
  gatewayIdOfTopic,
  gatewayReceipt,
  MAX_RECEIPT_OUTBOXES,
  MAX_RECEIPT_RANGES,
  parseOutboxMessageId,
  receiptCovers,
  receiptPayloads,
  seqRanges,
} from '@iotgw/contracts';
import { describe, expect, it } from 'vitest';

describe('receipts', () => {
  it('parses edge message ids and refuses anything else', () => {
    expect(parseOutboxMessageId('abc:12')).toEqual({ outbox: 'abc', seq: 12 });
    expect(parseOutboxMessageId('a:b:7')).toEqual({ outbox: 'a:b', seq: 7 });
    for (const bad of [
      'abc',
      ':5',
      'abc:',
      'abc:0',
      'abc:01',
      'abc:1.5',
      'abc:-1',
      'abc:99999999999999999',
    ]) {
      expect(parseOutboxMessageId(bad), bad).toBeNull();
    }
  });

  it('merges seqs into sorted ranges', () => {
    expect(seqRanges([7, 1, 3, 2, 2, 9, 8])).toEqual([
      [1, 3],
      [7, 9],
    ]);
    expect(seqRanges([])).toEqual([]);
  });

  it('splits a large set into receipts within the contract bounds, each valid', () => {
    const seqs = new Map<string, number[]>();
    for (let o = 0; o < MAX_RECEIPT_OUTBOXES + 1; o++) {
      seqs.set(
        `o${o}`,
        Array.from({ length: MAX_RECEIPT_RANGES + 1 }, (_, i) => 2 * i + 1),
      );
    }
    const payloads = receiptPayloads(seqs);
    for (const p of payloads) {
      expect(gatewayReceipt.validate(p).ok).toBe(true);
      expect(p.outboxes.length).toBeLessThanOrEqual(MAX_RECEIPT_OUTBOXES);
    }
    for (const [outbox, list] of seqs) {
      for (const seq of list) expect(payloads.some((p) => receiptCovers(p, outbox, seq))).toBe(true);
      expect(payloads.some((p) => receiptCovers(p, outbox, 2))).toBe(false);
    }
  });

  it('finds the gateway of a topic from the contract templates, never for secret or receipt topics', () => {
    expect(gatewayIdOfTopic('v2/gw1/ble/AA:BB/data')).toBe('gw1');
    expect(gatewayIdOfTopic('v2/gw1/qds-12345678/data')).toBe('gw1');
    expect(gatewayIdOfTopic('v2/gw1/status/health')).toBe('gw1');
    expect(gatewayIdOfTopic('gw1/aabbcc/update')).toBe('gw1');
    expect(gatewayIdOfTopic('v2/gw1/sensors/set')).toBeNull();
    expect(gatewayIdOfTopic('v2/gw1/receipts')).toBeNull();
    expect(gatewayIdOfTopic('factory/line1/temp')).toBeNull();
  });
});
