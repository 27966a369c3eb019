import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_CSP, consoleRoutes } from '@iotgw/server';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'iotgw-console-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the web console routes', () => {
  it('serve index.html at / and at every page, assets (gzip when asked) with ETags, all under the CSP', async () => {
    const www = join(dir, 'www');
    mkdirSync(www);
    writeFileSync(join(www, 'index.html'), '<!doctype html><title>iotgw</title>');
    writeFileSync(join(www, 'app.js'), 'console.log(1)');
    writeFileSync(join(www, 'app.js.gz'), gzipSync('console.log(1)'));
    const app = Fastify();
    await app.register(consoleRoutes, { dir: www });
    for (const url of ['/', '/fleet', '/gateways/gw-1', '/live', '/series', '/flows', '/dead-letters']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(r.body).toContain('<title>iotgw</title>');
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    const js = await app.inject({
      method: 'GET',
      url: '/console/app.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const plain = await app.inject({ method: 'GET', url: '/console/app.js' });
    expect(plain.body).toBe('console.log(1)');
    const again = await app.inject({
      method: 'GET',
      url: '/console/app.js',
      headers: { 'if-none-match': String(plain.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ method: 'GET', url: '/console/nope.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/console/..%2Fsecret' })).statusCode).toBe(404);
    await app.close();
  });

  it('say how to build the console when it is not built', async () => {
    const app = Fastify();
    await app.register(consoleRoutes, { dir: join(dir, 'missing') });
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(503);
    expect(r.body).toMatch(/not built/);
    await app.close();
  });
});
