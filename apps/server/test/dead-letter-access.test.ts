import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asReader, createTestApi, type TestApi } from './support/test-api.js';

// Issue 13 item 4: a read token could read a dead letter's payload (AES keys of a provisioning list).
// Payloads, user properties and the payload snippet a JSON error quotes are for admin tokens only.
const PRIVATE = 'private-value-7f3a9c';
let api: TestApi;

beforeAll(async () => {
  api = await createTestApi();
  const res = await api.app.inject({
    method: 'POST',
    url: '/api/flows',
    headers: asAdmin,
    payload: {
      code: 'meters',
      topic: 'v2/+/+/data',
      action: 'STORE_DB',
      payloadSchema: { energy_kwh: 'number' },
    },
  });
  expect(res.statusCode).toBe(201);
  await api.transport.deliver('v2/gw1/kam-1/data', { energy_kwh: 'lots', note: PRIVATE });
  await api.transport.deliver('v2/gw1/kam-1/data', `{"note": "${PRIVATE}" oops`);
});
afterAll(async () => {
  await api.close();
});

describe('dead letter payloads', () => {
  it('are hidden from read tokens, in the list and in the single view', async () => {
    const list = await api.app.inject({ method: 'GET', url: '/api/dead-letters', headers: asReader });
    expect(list.statusCode).toBe(200);
    const letters = list.json().deadLetters as Record<string, unknown>[];
    expect(letters).toHaveLength(2);
    for (const d of letters) {
      expect(d).toMatchObject({
        payloadHidden: true,
        payloadText: null,
        payloadBase64: null,
        flowCode: 'meters',
      });
      expect(d['reasonCode']).toEqual(expect.any(String));
      const one = await api.app.inject({
        method: 'GET',
        url: `/api/dead-letters/${d['id']}`,
        headers: asReader,
      });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({
        id: d['id'],
        payloadHidden: true,
        payloadText: null,
        payloadBase64: null,
      });
      expect(one.body).not.toContain(PRIVATE);
      expect(one.body).not.toContain(Buffer.from(PRIVATE).toString('base64').slice(0, 12));
    }
    expect(list.body).not.toContain(PRIVATE);
  });

  it('are shown to admin tokens', async () => {
    const list = await api.app.inject({ method: 'GET', url: '/api/dead-letters', headers: asAdmin });
    const letters = list.json().deadLetters as Record<string, unknown>[];
    expect(letters.every((d) => d['payloadHidden'] === false)).toBe(true);
    expect(letters.map((d) => d['payloadText'])).toEqual(
      expect.arrayContaining([expect.stringContaining(PRIVATE), expect.stringContaining(PRIVATE)]),
    );
    const json = letters.find((d) => d['reasonCode'] === 'PAYLOAD_ERR_JSON');
    const one = await api.app.inject({
      method: 'GET',
      url: `/api/dead-letters/${json?.['id']}`,
      headers: asAdmin,
    });
    expect(Buffer.from(one.json().payloadBase64, 'base64').toString()).toContain(PRIVATE);
  });
});
