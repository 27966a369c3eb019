import { testBroker, uniqueId } from '@iotgw/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { startEdge, tempDir, writeEdgeConfig } from './support/edge-harness.js';

/** The keys of a JSON object line that appear more than once at its top level. */
function duplicateTopLevelKeys(line: string): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      const key = line.slice(i + 1, j);
      if (depth === 1 && line[j + 1] === ':') {
        if (seen.has(key)) dup.push(key);
        seen.add(key);
      }
      i = j;
    }
  }
  return dup;
}

describe('edge log lines', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('no line repeats a key (one "module" per line, from every part of the edge)', async () => {
    expect(duplicateTopLevelKeys('{"a":1,"module":"x","b":{"module":"y"},"module":"z"}')).toEqual(['module']);
    const broker = await testBroker();
    closers.push(() => broker.close());
    const dir = tempDir('log-lines');
    const file = writeEdgeConfig(dir, {
      gatewayId: uniqueId('logs'),
      mqtt: { url: broker.url },
      log: { level: 'debug', format: 'json' },
      ble: { enabled: true, source: { kind: 'simulate', intervalMs: 100 } },
      wmbus: { enabled: true, source: { kind: 'simulate', intervalMs: 100 } },
    });
    const edge = await startEdge(file);
    closers.push(() => edge.stop('SIGTERM'));
    await edge.waitForLine(/"module":"mqtt-connector"/);
    await edge.stop('SIGTERM');
    const json = edge.lines.filter((l) => l.startsWith('{'));
    expect(json.length).toBeGreaterThan(3);
    expect(json.filter((l) => duplicateTopLevelKeys(l).length > 0)).toEqual([]);
  });
});
