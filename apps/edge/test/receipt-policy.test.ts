import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readingTopicOf, receiptMemory } from '../src/publish/receipt-policy.js';

it("only this gateway's readings on their contract topics wait for receipts", () => {
  const waits = readingTopicOf('gw1');
  expect(waits('v2/gw1/ble/A4C138000002/data')).toBe(true);
  expect(waits('v2/gw1/kam-12345678/data')).toBe(true);
  expect(waits('gw1/aabbccddeeff/update')).toBe(true);
  for (const topic of [
    'v2/gw1/status/health',
    'v2/gw1/status/availability',
    'v2/gw1/status/meters',
    'v2/gw1/kam-12345678/config',
    'homeassistant/sensor/x/config',
    'v2/gw2/ble/A4C138000002/data',
    'custom/readings',
  ]) {
    expect(waits(topic), topic).toBe(false);
  }
});

it('remembers across restarts that the server sends receipts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-receipt-memory-'));
  expect(receiptMemory(dir).learned).toBe(false);
  receiptMemory(dir).remember();
  expect(receiptMemory(dir).learned).toBe(true);
  // An unwritable state folder is not fatal.
  expect(() => receiptMemory(join(dir, 'missing', 'deeper')).remember()).not.toThrow();
});
