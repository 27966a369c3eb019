import type { GatewayReceipt } from '@iotgw/contracts';
import { expect, it } from 'vitest';
import { RECEIPT_LINGER_MS, RECEIPT_MAX_PENDING, ReceiptSender } from '../src/gateways/receipt-sender.js';

const linger = () => new Promise((r) => setTimeout(r, RECEIPT_LINGER_MS + 30));

it('gathers what is acknowledged within the linger time into one receipt per gateway, as seq ranges, ignoring non-edge ids', async () => {
  const sent: [string, GatewayReceipt][] = [];
  const sender = new ReceiptSender(
    async (gatewayId, receipt) => sent.push([gatewayId, receipt]),
    (err) => {
      throw err;
    },
  );
  for (const seq of [3, 1, 2, 7]) sender.acknowledged({ topic: 'v2/gw1/ble/AA/data', msgId: `ob1:${seq}` });
  sender.acknowledged({ topic: 'v2/gw1/status/health', msgId: 'ob1:5' });
  sender.acknowledged({ topic: 'gw2/aabb/update', msgId: 'ob2:9' });
  sender.acknowledged({ topic: 'factory/line/temp', msgId: 'x:1' }); // no gateway topic
  sender.acknowledged({ topic: 'v2/gw1/ble/AA/data', msgId: 'not-an-edge-id' });
  sender.acknowledged({ topic: 'v2/gw1/sensors/set', msgId: 'srv:1' }); // secret topic: never
  await linger();
  expect(sent).toEqual([
    [
      'gw1',
      {
        outboxes: [
          {
            outbox: 'ob1',
            ranges: [
              [1, 3],
              [5, 5],
              [7, 7],
            ],
          },
        ],
      },
    ],
    ['gw2', { outboxes: [{ outbox: 'ob2', ranges: [[9, 9]] }] }],
  ]);
  expect(sender.sent).toBe(2);
  sender.acknowledged({ topic: 'v2/gw1/ble/AA/data', msgId: 'ob1:8' });
  await linger();
  expect(sent).toHaveLength(3);
  // Bounded: RECEIPT_MAX_PENDING seqs go out at once, without waiting.
  for (let seq = 1; seq <= RECEIPT_MAX_PENDING; seq++) {
    sender.acknowledged({ topic: 'v2/gw3/ble/AA/data', msgId: `ob3:${seq}` });
  }
  expect(sent).toHaveLength(4);
  expect(sent[3]?.[1]).toEqual({ outboxes: [{ outbox: 'ob3', ranges: [[1, RECEIPT_MAX_PENDING]] }] });
});
