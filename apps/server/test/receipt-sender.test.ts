import type { GatewayReceipt } from '@iotgw/contracts';
import { expect, it } from 'vitest';
import { ReceiptSender } from '../src/gateways/receipt-sender.js';

it('gathers one turn of acknowledgements into one receipt per gateway, as seq ranges, ignoring non-edge ids', async () => {
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
  await new Promise((r) => setImmediate(r));
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
  await new Promise((r) => setImmediate(r));
  expect(sent).toHaveLength(3);
});
