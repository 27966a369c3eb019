import { type IncomingMessage, request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asReader, createTestApi, type TestApi } from './support/test-api.js';

interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Opens GET path as a real HTTP stream (its own socket) and parses its Server-Sent Events as they arrive. */
async function openStream(base: string, path: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  let ended = false;
  const req = request(`${base}${path}`, { headers, agent: false });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve).once('error', reject).end();
  });
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const e: SseEvent = { event: 'message', data: '' };
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const [k, v] = [line.slice(0, colon), line.slice(colon + 1).trimStart()];
        if (k === 'id') e.id = v;
        else if (k === 'event') e.event = v;
        else if (k === 'data') e.data = v;
      }
      if (block.split('\n').some((l) => l.startsWith('data:'))) events.push(e);
      cut = buffer.indexOf('\n\n');
    }
  });
  res.on('close', () => {
    ended = true;
  });
  return {
    status: res.statusCode,
    contentType: res.headers['content-type'],
    events,
    ended: () => ended,
    readings: () => events.filter((e) => e.event === 'reading').map((e) => JSON.parse(e.data)),
    close: () => req.destroy(),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GET /api/live (Server-Sent Events)', () => {
  let api: TestApi;
  let base: string;

  beforeEach(async () => {
    api = await createTestApi();
    base = await api.app.listen({ port: 0, host: '127.0.0.1' });
    const r = await api.app.inject({
      method: 'POST',
      url: '/api/flows',
      headers: { authorization: 'Bearer admin-token-0123456789abcdef' },
      payload: { code: 'ble', topic: 'v2/+/ble/+/data', action: 'STORE_DB', payloadSchema: { t: 'number' } },
    });
    expect(r.statusCode).toBe(201);
  });
  afterEach(async () => {
    await api.close();
  });

  it('needs a token, pushes readings as they are stored, filters, and resumes after Last-Event-ID', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/api/live' })).statusCode).toBe(401);
    const all = await openStream(base, '/api/live', asReader);
    const onlyB = await openStream(base, '/api/live?device=BB', asReader);
    expect(all.contentType).toMatch(/^text\/event-stream/);
    await until(() => all.events.some((e) => e.event === 'ready'), 'ready');
    await api.transport.deliver('v2/gw-1/ble/AA/data', { t: 1 });
    await api.transport.deliver('v2/gw-1/ble/BB/data', { t: 2, note: 'x' });
    await api.transport.deliver('v2/gw-1/ble/AA/data', { t: 'not a number' }); // a dead letter: not pushed
    await until(() => all.readings().length === 2 && onlyB.readings().length === 1, 'two readings');
    const [first, second] = all.readings();
    expect(first).toMatchObject({
      flow: 'ble',
      msgId: 1,
      gatewayId: 'gw-1',
      deviceId: 'AA',
      values: { t: 1 },
    });
    expect(second).toMatchObject({ msgId: 2, deviceId: 'BB', values: { t: 2, note: 'x' } });
    expect(onlyB.readings()[0].id).toBe(second.id);
    all.close();
    onlyB.close();

    await api.transport.deliver('v2/gw-1/ble/AA/data', { t: 3 });
    const resumed = await openStream(base, '/api/live', { ...asReader, 'last-event-id': first.id });
    await until(() => resumed.events.some((e) => e.event === 'ready'), 'resume');
    expect(resumed.readings().map((r) => r.values.t)).toEqual([2, 3]);
    expect(resumed.events.some((e) => e.event === 'gap')).toBe(false);
    resumed.close();

    const replay = await openStream(base, '/api/live?replay=1', asReader);
    await until(() => replay.events.some((e) => e.event === 'ready'), 'replay');
    expect(replay.readings().map((r) => r.values.t)).toEqual([3]);
    replay.close();
  });

  it('says gap when the Last-Event-ID is older than the ring or from another run, then replays the ring', async () => {
    for (let i = 0; i < 55; i++) await api.transport.deliver('v2/gw-1/ble/AA/data', { t: i });
    const old = await openStream(base, '/api/live', { ...asReader, 'last-event-id': `${api.live.boot}-2` });
    await until(() => old.events.some((e) => e.event === 'ready'), 'ready');
    expect(old.events[0]?.event).toBe('gap');
    expect(old.readings().map((r) => r.values.t)).toEqual(Array.from({ length: 50 }, (_, i) => i + 5));
    old.close();
    const other = await openStream(base, '/api/live?lastEventId=zzz-3', asReader);
    await until(() => other.events.some((e) => e.event === 'ready'), 'ready');
    expect(other.events[0]?.event).toBe('gap');
    other.close();
  });

  it('refuses a stream beyond the limit with 503, and closing the server ends open streams', async () => {
    const streams: Awaited<ReturnType<typeof openStream>>[] = [];
    for (let i = 0; i < api.live.maxStreams; i++) streams.push(await openStream(base, '/api/live', asReader));
    const refused = await api.app.inject({ method: 'GET', url: '/api/live', headers: asReader });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().message).toMatch(/too many live streams/);
    await api.app.close();
    await until(() => streams.every((s) => s.ended()), 'streams to end');
  });
});
