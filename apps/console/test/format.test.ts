import { describe, expect, it } from 'vitest';
import { problemsByField } from '../src/api.js';
import { base64Bytes, hexDump, show, since, summary } from '../src/format.js';

describe('the console’s pure helpers', () => {
  it('map the server’s problem paths to form fields', () => {
    expect(
      problemsByField([
        { in: 'body', path: '$.payloadSchema.temp', message: "unknown type 'nmber'" },
        { in: 'body', path: '$.topic', message: 'bad filter' },
        { in: 'body', path: '$[1].encryptionKey', message: 'must be 32 hex digits' },
        { in: 'body', path: '$[1].encryptionKey', message: 'twice' },
        { in: 'body', path: '$', message: 'must be an array' },
      ]),
    ).toEqual({
      payloadSchema: "$.payloadSchema.temp: unknown type 'nmber'",
      topic: 'bad filter',
      '1.encryptionKey': 'must be 32 hex digits; twice',
      '': 'must be an array',
    });
    expect(problemsByField(undefined)).toEqual({});
  });

  it('dump bytes as offset, hex and printable text', () => {
    const bytes = base64Bytes(Buffer.from('{"level":"high"}\u0000\u00ff').toString('base64'));
    expect(hexDump(bytes).split('\n')).toEqual([
      '000000  7b 22 6c 65 76 65 6c 22 3a 22 68 69 67 68 22 7d  {"level":"high"}',
      '000010  00 c3 bf                                         ...',
    ]);
  });

  it('show values and times briefly', () => {
    expect(show(21.123456)).toBe('21.1235');
    expect(show(null)).toBe('—');
    expect(show({ a: 1 })).toBe('{"a":1}');
    expect(summary({ timestamp: 'x', a: 1, b: true }, 6)).toBe('a=1 b=true');
    expect(summary({ a: 1, b: 2, c: 3 }, 2)).toBe('a=1 b=2 …');
    expect(since('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:02:05Z'))).toBe('2 min ago');
    expect(since(null)).toBe('—');
  });
});
