import { allContracts, bleReadingSchema } from '@iotgw/contracts';
import {
  decodePayload,
  endpointProblem,
  idOfKey,
  messageKey,
  parseFlowSchema,
  recordValues,
  retryAfterMs,
  retryDelayMs,
  SchemaCompiler,
} from '@iotgw/flow-router';
import { describe, expect, it } from 'vitest';

function compile(raw: unknown) {
  const parsed = parseFlowSchema(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const c = new SchemaCompiler().compile(parsed.jsonSchema);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.schema;
}

describe('payload schemas', () => {
  it('reads the legacy form: every field required, legacy type names, extra fields allowed', () => {
    const s = compile({
      temp: 'float',
      count: 'INT',
      name: 'str',
      on: 'bool',
      tags: 'array',
      meta: 'object',
      n: 'number',
    });
    const ok = { temp: 1.5, count: 2, name: 'x', on: true, tags: [], meta: {}, n: 3, extra: 'fine' };
    expect(s.validate(ok)).toEqual({ ok: true });
    expect(s.validate({ ...ok, count: 2.5 })).toMatchObject({ ok: false, path: '$.count' });
    const missing = s.validate({ temp: 1 });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems).toContain('$.count is required');
  });

  it('reads full JSON Schema (2020-12 by default, draft-07 when named) and reports nested paths', () => {
    const s = compile({
      type: 'object',
      properties: {
        readings: { type: 'array', items: { type: 'object', properties: { v: { type: 'number' } } } },
      },
    });
    expect(s.validate({ readings: [{ v: 1 }, { v: 'x' }] })).toMatchObject({
      ok: false,
      path: '$.readings[1].v',
    });
    const d7 = compile({
      $schema: 'http://json-schema.org/draft-07/schema#',
      required: ['a'],
      properties: { a: { format: 'date-time' } },
    });
    expect(d7.validate({ a: '2026-06-04T10:32:48Z' })).toEqual({ ok: true });
    expect(d7.validate({ a: 'yesterday' })).toMatchObject({ ok: false, path: '$.a' });
  });

  it('accepts every contract payload schema as a flow schema', () => {
    for (const contract of allContracts) {
      const s = compile(contract.schema);
      expect(s, contract.name).toBeDefined();
    }
    const ble = compile(bleReadingSchema);
    expect(
      ble.validate({ timestamp: '2026-06-04T10:32:48Z', format: 'ruuvi_v5', temperature_c: 24.3 }),
    ).toEqual({ ok: true });
    expect(ble.validate({ timestamp: '2026-06-04T10:32:48Z', format: 'ruuvi_v5', Bad: 1 })).toMatchObject({
      ok: false,
      path: '$.Bad',
    });
  });

  it('refuses bad schemas with JSON paths', () => {
    expect(parseFlowSchema({ temp: 'numbr' })).toEqual({
      ok: false,
      problems: [{ path: '$.payloadSchema.temp', message: expect.stringContaining("unknown type 'numbr'") }],
    });
    expect(parseFlowSchema([1])).toMatchObject({ ok: false, problems: [{ path: '$.payloadSchema' }] });
    const compiler = new SchemaCompiler();
    const bad = compiler.compile({ type: 'object', properties: { a: { type: 'nope' } } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]?.path).toMatch(/^\$\.payloadSchema\.properties\.a\.type/);
    const unknownKeyword = compiler.compile({ type: 'object', propertees: {} });
    expect(unknownKeyword.ok).toBe(false);
    const draft = compiler.compile({ $schema: 'https://example.com/my-schema' });
    expect(draft).toMatchObject({ ok: false, problems: [{ path: '$.payloadSchema.$schema' }] });
  });

  it('runs patterns on a linear-time engine: a backtracking pattern validates at once (issue 13.6)', () => {
    // On the native engine `^([a-z]+)+$` against 40 letters and a digit takes minutes (2^40 paths).
    const s = compile({
      type: 'object',
      properties: { name: { type: 'string', pattern: '^([a-z]+)+$' } },
      patternProperties: { '^(x+x+)+y$': { type: 'number' } },
    });
    const started = performance.now();
    expect(s.validate({ name: `${'a'.repeat(40)}1` })).toMatchObject({ ok: false, path: '$.name' });
    expect(s.validate({ [`${'x'.repeat(40)}`]: 'not checked', name: 'abc' })).toEqual({ ok: true });
    expect(performance.now() - started).toBeLessThan(2_000);
    // The engine is RE2: what only a backtracking engine can do is refused at flow creation.
    const compiler = new SchemaCompiler();
    const backref = compiler.compile({ properties: { a: { type: 'string', pattern: '^(a)\\1$' } } });
    expect(backref.ok).toBe(false);
    if (!backref.ok) {
      expect(backref.problems[0]?.path).toBe('$.payloadSchema');
      expect(backref.problems[0]?.message).toMatch(/linear-time regular expression engine/);
    }
    expect(compiler.compile({ properties: { a: { type: 'string', pattern: '^(?=a)a$' } } }).ok).toBe(false);
  });

  it('refuses a schema nested too deep with a validation problem, not a stack overflow', () => {
    let deep: Record<string, unknown> = { type: 'object' };
    for (let i = 0; i < 20_000; i++) deep = { type: 'object', properties: { a: deep } };
    const result = new SchemaCompiler().compile(deep);
    expect(result).toEqual({
      ok: false,
      problems: [{ path: '$.payloadSchema', message: 'is nested deeper than 64 levels' }],
    });
    expect(
      compile({ type: 'object', properties: { a: { type: 'object', properties: { b: {} } } } }),
    ).toBeDefined();
  });

  it('shares one compiled validator between equal schemas', () => {
    const c = new SchemaCompiler();
    const a = c.compile({ type: 'object', required: ['x'] });
    const b = c.compile({ required: ['x'], type: 'object' });
    expect(a.ok && b.ok && a.schema === b.schema).toBe(true);
    expect(c.size).toBe(1);
    c.retain([]);
    expect(c.size).toBe(0);
  });
});

describe('payload decoding and records', () => {
  it('decodes UTF-8 JSON objects and says why not otherwise', () => {
    expect(decodePayload(Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(decodePayload(Buffer.from([0xc3, 0x28]))).toMatchObject({ ok: false, code: 'PAYLOAD_ERR_UTF8' });
    expect(decodePayload(Buffer.from('{'))).toMatchObject({ ok: false, code: 'PAYLOAD_ERR_JSON' });
    expect(decodePayload(Buffer.from('null'))).toMatchObject({
      ok: false,
      code: 'PAYLOAD_ERR_NOT_OBJECT',
      detail: expect.stringContaining('null'),
    });
  });

  it('types each field into one column and skips the id field', () => {
    const r = recordValues(
      { n: 1.5, s: 'x', b: false, z: null, o: { k: [1] }, iotgw_msg_id: 'id-1' },
      'iotgw_msg_id',
    );
    expect(r).toEqual({
      ok: true,
      values: [
        { field: 'n', type: 'number', num: 1.5, str: null, bool: null, json: null },
        { field: 's', type: 'string', num: null, str: 'x', bool: null, json: null },
        { field: 'b', type: 'boolean', num: null, str: null, bool: 0, json: null },
        { field: 'z', type: 'null', num: null, str: null, bool: null, json: null },
        { field: 'o', type: 'json', num: null, str: null, bool: null, json: '{"k":[1]}' },
      ],
    });
    expect(recordValues({ ['x'.repeat(256)]: 1 }, '')).toMatchObject({
      ok: false,
      code: 'PAYLOAD_ERR_FIELD',
    });
    expect(recordValues({ big: Number.POSITIVE_INFINITY }, '')).toMatchObject({ ok: false, path: '$.big' });
  });

  it('keys a message by MQTT 5 id, then payload id field (both scoped by topic), else by a hash', () => {
    const payload = Buffer.from('{"v":1}');
    const scope = /^i:(.*)@[0-9a-f]{16}$/;
    const k1 = messageKey('t', payload, { 'iotgw-msg-id': 'e1:7' }, { v: 1 }, 'mid');
    expect(k1.kind).toBe('id');
    expect(k1.value).toMatch(scope);
    expect(idOfKey(k1.value)).toBe('e1:7');
    expect(idOfKey(messageKey('t', payload, { 'iotgw-msg-id': ['a', 'b'] }, undefined, 'mid').value)).toBe(
      'a',
    );
    expect(idOfKey(messageKey('t', payload, {}, { mid: 42 }, 'mid').value)).toBe('42');
    // The same id on another topic is another message: a publisher cannot claim another topic's ids.
    const spoofed = messageKey('other/topic', payload, { 'iotgw-msg-id': 'e1:7' }, undefined, 'mid');
    expect(spoofed.value).not.toBe(k1.value);
    expect(messageKey('t', Buffer.from('{}'), { 'iotgw-msg-id': 'e1:7' }, {}, 'mid')).toEqual(k1);
    const h1 = messageKey('t', payload, {}, { v: 1 }, 'mid');
    expect(h1.kind).toBe('hash');
    expect(h1.value).toMatch(/^h:[0-9a-f]{64}$/);
    expect(messageKey('u', payload, {}, { v: 1 }, 'mid').value).not.toBe(h1.value);
    expect(
      messageKey('t', payload, { 'iotgw-msg-id': 'x'.repeat(500) }, undefined, 'mid').value.length,
    ).toBeLessThanOrEqual(130);
  });
});

describe('HTTP policy', () => {
  it('allows only http/https, no credentials, hosts on the allow list', () => {
    expect(endpointProblem('https://api.example.com/x', null)).toBeNull();
    expect(endpointProblem('file:///etc/passwd', null)).toMatch(/http: or https:/);
    expect(endpointProblem('http://u:p@h/', null)).toMatch(/credentials/);
    expect(endpointProblem('not a url', null)).toMatch(/valid/);
    const allow = ['api.example.com', '*.corp.local', '127.0.0.1:8080'];
    expect(endpointProblem('https://API.example.com/x', allow)).toBeNull();
    expect(endpointProblem('https://a.b.corp.local/x', allow)).toBeNull();
    expect(endpointProblem('https://corp.local/x', allow)).toMatch(/not in HTTP_ALLOWED_HOSTS/);
    expect(endpointProblem('http://127.0.0.1:8080/x', allow)).toBeNull();
    expect(endpointProblem('http://127.0.0.1:9090/x', allow)).toMatch(/not in/);
    expect(endpointProblem('https://evil.com/?api.example.com', allow)).toMatch(/not in/);
  });

  it('backs off exponentially with equal jitter, capped, and honours Retry-After', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryAfterMs('7', 0)).toBe(7000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});
