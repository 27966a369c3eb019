import { type AcknowledgedMessage, FlowRepository, FlowRouter, type StoredMessage } from '@iotgw/flow-router';
import { createTestLogger } from '@iotgw/logger';
import { afterEach, expect, it } from 'vitest';
import { type FreshDatabase, migratedDatabase } from './support/databases.js';
import { MemoryTransport } from './support/memory-transport.js';
import { testSettings } from './support/settings.js';

let fresh: (FreshDatabase & { handle: import('@iotgw/flow-router').RouterDb }) | undefined;
let router: FlowRouter | undefined;

afterEach(async () => {
  await router?.stop();
  await fresh?.dispose();
});

it('onStored hears each committed stored message once, with its msg id and values; not dead letters or duplicates', async () => {
  fresh = await migratedDatabase('sqlite');
  const flows = new FlowRepository(fresh.handle.db);
  await flows.create({
    code: 'climate',
    topic: 'site/+/climate',
    action: 'STORE_DB',
    payloadSchema: { temp: 'number' },
  });
  const transport = new MemoryTransport();
  const heard: StoredMessage[] = [];
  router = new FlowRouter({
    db: fresh.handle.db,
    dialect: fresh.handle.dialect,
    transport,
    logger: createTestLogger().logger,
    settings: testSettings(fresh.url),
    onStored: (messages) => {
      heard.push(...messages);
      throw new Error('a failing listener must not break routing');
    },
  });
  await router.start();
  await transport.deliver('site/a/climate', { temp: 21.5 });
  await transport.deliver('site/a/climate', { temp: 'warm' });
  await transport.deliver('site/a/climate', { temp: 21.5 });
  await transport.deliver('site/b/climate', { temp: 22 });
  expect(heard.map((m) => [m.flowCode, m.msgId, m.topic])).toEqual([
    ['climate', 1, 'site/a/climate'],
    ['climate', 2, 'site/b/climate'],
  ]);
  expect(heard[0]?.values).toEqual([
    { field: 'temp', type: 'number', num: 21.5, str: null, bool: null, json: null },
  ]);
  expect(router.stats().counters.stored).toBe(2);
});

it('onAcknowledged hears every message with an edge id once committed: stored, dead-lettered, duplicate, unmatched', async () => {
  fresh = await migratedDatabase('sqlite');
  const flows = new FlowRepository(fresh.handle.db);
  await flows.create({
    code: 'climate',
    topic: 'site/+/climate',
    action: 'STORE_DB',
    payloadSchema: { temp: 'number' },
  });
  const transport = new MemoryTransport();
  const heard: AcknowledgedMessage[] = [];
  router = new FlowRouter({
    db: fresh.handle.db,
    dialect: fresh.handle.dialect,
    transport,
    logger: createTestLogger().logger,
    settings: testSettings(fresh.url),
    onAcknowledged: (message) => {
      heard.push(message);
      throw new Error('a failing listener must not break routing');
    },
  });
  await router.start();
  const id = (msgId: string) => ({ userProperties: { 'iotgw-msg-id': msgId } });
  await transport.deliver('site/a/climate', { temp: 21.5 }, id('ob:1'));
  await transport.deliver('site/a/climate', { temp: 'warm' }, id('ob:2'));
  await transport.deliver('site/a/climate', { temp: 21.5 }, id('ob:1'));
  await transport.deliver('other/topic', { temp: 1 }, id('ob:3'));
  await transport.deliver('site/b/climate', { temp: 22 });
  expect(heard).toEqual([
    { topic: 'site/a/climate', msgId: 'ob:1' },
    { topic: 'site/a/climate', msgId: 'ob:2' },
    { topic: 'site/a/climate', msgId: 'ob:1' },
    { topic: 'other/topic', msgId: 'ob:3' },
  ]);
  expect(router.stats().counters.stored).toBe(2);
});
