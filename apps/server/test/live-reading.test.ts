import { LiveFeed, liveReading, readingSource } from '@iotgw/server';
import { expect, it } from 'vitest';

it('names gateway, device and kind from the reading contracts’ topics, null for others', () => {
  expect(readingSource('v2/gw-1/ble/C8:25:4E:1D:77:02/data')).toEqual({
    gatewayId: 'gw-1',
    deviceId: 'C8:25:4E:1D:77:02',
    kind: 'ble',
  });
  expect(readingSource('v2/gw-1/kam-32666857/data')).toEqual({
    gatewayId: 'gw-1',
    deviceId: '32666857',
    kind: 'meter',
  });
  expect(readingSource('gw-1/F4:3C:21:0A:9B:11/update')).toEqual({
    gatewayId: 'gw-1',
    deviceId: 'F4:3C:21:0A:9B:11',
    kind: 'ble',
  });
  expect(readingSource('site/a/climate')).toEqual({ gatewayId: null, deviceId: null, kind: null });
});

it('turns stored values back into JSON values, and the ring keeps the newest readings', () => {
  const r = liveReading('b-1', {
    flowId: 1,
    flowCode: 'f',
    msgId: 7,
    topic: 't',
    receivedAt: 0,
    values: [
      { field: 'n', type: 'number', num: 1.5, str: null, bool: null, json: null },
      { field: 's', type: 'string', num: null, str: 'x', bool: null, json: null },
      { field: 'b', type: 'boolean', num: null, str: null, bool: 0, json: null },
      { field: 'j', type: 'json', num: null, str: null, bool: null, json: '{"a":[1]}' },
      { field: 'z', type: 'null', num: null, str: null, bool: null, json: null },
    ],
  });
  expect(r.values).toEqual({ n: 1.5, s: 'x', b: false, j: { a: [1] }, z: null });
  expect(r.receivedAt).toBe('1970-01-01T00:00:00.000Z');
  const feed = new LiveFeed({ capacity: 3, boot: 'b' });
  for (let i = 1; i <= 5; i++)
    feed.publish([{ flowId: 1, flowCode: 'f', msgId: i, topic: 't', receivedAt: i, values: [] }]);
  expect(feed.recent(10).map((x) => x.id)).toEqual(['b-3', 'b-4', 'b-5']);
  expect(feed.after('b-4')).toEqual({ readings: [expect.objectContaining({ id: 'b-5' })], gap: false });
  expect(feed.after('b-2').gap).toBe(false);
  expect(feed.after('b-1').gap).toBe(true);
  expect(feed.after('b-5').readings).toEqual([]);
});
