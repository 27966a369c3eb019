import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain, demoMeters } from '@iotgw/system';
import { waitFor } from '@iotgw/testkit';
import { connectAsync } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, launchChromium } from './support/chromium.js';
import { goTo, openConsole, screenshot, signIn } from './support/console-session.js';

const READ = 'console-read-token-0123456789';
const ADMIN = 'console-admin-token-0123456789';
const GATEWAY = 'console-gw';
const skip = chromiumSkipReason();
if (skip) console.warn(`[skip] ${skip}`);

describe.skipIf(skip !== null)('the web console in headless Chromium against the running chain', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-console-'));
  let chain: Chain;
  let browser: Browser;
  let base: string;
  let page: Page;
  let errors: string[] = [];
  let dialogs: string[] = [];

  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await chain.api?.request<Record<string, unknown>>(method, path, body);
    if (!r || r.status >= 300) throw new Error(`${method} ${path}: ${r?.status} ${JSON.stringify(r?.body)}`);
    return r.body;
  };

  beforeAll(async () => {
    chain = new Chain({
      dataDir: join(dir, 'data'),
      gatewayId: GATEWAY,
      bleIntervalMs: 500,
      meterIntervalMs: 1000,
      logLevel: 'warn',
      apiToken: ADMIN,
      serverEnv: { API_TOKENS: `read:${READ},admin:${ADMIN}` },
    });
    [browser] = await Promise.all([launchChromium(), chain.start()]);
    await chain.provisionDemoMeters();
    base = `http://127.0.0.1:${chain.httpPort}`;
    const opened = await openConsole(browser, base);
    page = opened.page;
    errors = opened.errors;
    dialogs = opened.dialogs;
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await chain?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('read token: the fleet shows the gateway online, its page a meter ok; keyboard and 360 px work', async () => {
    await page.locator('#token').waitFor();
    await signIn(page, READ);
    const row = page.locator(`tr[data-gateway="${GATEWAY}"]`);
    await row.locator('.badge', { hasText: 'online' }).waitFor();
    await page.getByTestId('gateways-online').filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'fleet');
    await row.getByRole('link', { name: GATEWAY }).click();
    await page
      .locator('[data-testid="meters"] .badge', { hasText: /^ok$/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="ble-devices"] tbody tr th').first().waitFor();
    await screenshot(page, 'gateway');

    // Keyboard: on a fresh load the skip link comes first, then the page links; Enter follows one.
    await page.goto(`${base}/live`);
    await page.locator('header nav').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/fleet$/);

    await page.setViewportSize({ width: 360, height: 740 });
    await row.locator('.badge', { hasText: 'online' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'fleet-360');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('live: a new reading appears as it is stored', async () => {
    await goTo(page, 'Live');
    const rows = page.locator('[data-testid="live-readings"] tbody tr');
    await rows.first().waitFor();
    const before = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id'))));
    await page.waitForFunction(
      (seen) =>
        [...document.querySelectorAll('[data-testid="live-readings"] tbody tr')].some(
          (tr) => !seen.includes(tr.getAttribute('data-id') ?? ''),
        ),
      [...before] as string[],
    );
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: /Resume \([1-9]\d* new\)/ }).waitFor();
    await screenshot(page, 'live');
    await page.getByRole('button', { name: /Resume/ }).click();
  });

  it('series: plots a field from /api/records and zooms by dragging', async () => {
    await goTo(page, 'Series');
    await page.locator('select[name="flow"]').selectOption('ble');
    await page.locator('input[name="field"]').fill('rssi_dbm');
    // Enough points over a few seconds that a drag across a third of the plot changes the shown range
    // (with one or two points, on a slow machine, the range can stay the same to the second).
    for (let i = 0; ; i++) {
      await page.getByRole('button', { name: 'Plot' }).click();
      await page
        .getByTestId('series-message')
        .filter({ hasText: /[1-9]\d* points/ })
        .waitFor();
      const points = Number(
        /(\d+) points/.exec((await page.getByTestId('series-message').textContent()) ?? '')?.[1],
      );
      if (points >= 10) break;
      if (i >= 30) throw new Error(`only ${points} points of ble rssi_dbm after ${i} tries`);
      await page.waitForTimeout(1_000);
    }
    const over = page.locator('.u-over');
    const box = await over.boundingBox();
    if (!box) throw new Error('no plot area');
    const full = await page.getByTestId('series-range').textContent();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(
      (was) => document.querySelector('[data-testid="series-range"]')?.textContent !== was,
      full,
    );
    await screenshot(page, 'series');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('ble-rssi_dbm.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('flow,msg_id,field,type,value,topic,received_at');
    expect(csv).toMatch(/\r\nble,\d+,rssi_dbm,number,-\d+,/);
  });

  it('read token: a write is refused and nothing changes', async () => {
    await goTo(page, 'Flows');
    const row = page.locator('tr[data-flow="thingy52"]');
    await row.getByRole('button', { name: /Disable/ }).click();
    await page.locator('.error', { hasText: /Refused: .*admin token/ }).waitFor();
    expect(await row.locator('.badge').textContent()).toBe('enabled');
  });

  it('admin: a flow with a bad schema shows the error at the field; fixed, its counter grows', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, ADMIN);
    await goTo(page, 'Flows');
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.locator('#flow-code').fill('ble-copy');
    await page.locator('#flow-topic').fill('v2/+/ble/+/data');
    await page.locator('#flow-payloadSchema').fill('{"rssi_dbm": "nmber"}');
    await page.getByRole('button', { name: 'Create flow' }).click();
    const fieldError = page.locator('#flow-payloadSchema-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/rssi_dbm/);
    expect(await page.locator('#flow-payloadSchema').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'flows-error');
    await page.locator('#flow-payloadSchema').fill('{"rssi_dbm": "number"}');
    await page.getByRole('button', { name: 'Create flow' }).click();
    const counter = page.locator('tr[data-flow="ble-copy"] [data-counter="messages"]');
    await counter.waitFor();
    await page.waitForFunction(
      () =>
        Number(document.querySelector('tr[data-flow="ble-copy"] [data-counter="messages"]')?.textContent) > 0,
    );
    await page.locator('#explain-topic').fill(`v2/${GATEWAY}/ble/C8:25:4E:1D:77:02/data`);
    await page.locator('#explain-payload').fill('{"rssi_dbm": "loud"}');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByTestId('explain-result').filter({ hasText: 'ble-copy' }).waitFor();
    await screenshot(page, 'flows');
    // Deleting a flow with stored records asks twice: the flow, then its data (has_data → cascade).
    await page
      .locator('tr[data-flow="ble-copy"]')
      .getByRole('button', { name: /Delete/ })
      .click();
    await page.locator('tr[data-flow="ble-copy"]').waitFor({ state: 'detached' });
    expect(dialogs.slice(-2)).toEqual([
      'Delete flow ble-copy?',
      expect.stringMatching(/records[\s\S]*Delete flow ble-copy together with its stored records\?/),
    ]);
  });

  it('admin: a dead letter is read (text and hex) and re-driven once its flow is fixed', async () => {
    await admin('POST', '/api/flows', {
      code: 'console-redrive',
      topic: 'console/+/reading',
      action: 'STORE_DB',
      payloadSchema: { level: 'number' },
    });
    const client = await connectAsync(chain.mqttUrl, { protocolVersion: 4 });
    await client.publishAsync('console/tank/reading', '{"level":"high"}', { qos: 1 });
    await client.endAsync();
    await waitFor(async () => {
      const r = await admin('GET', '/api/dead-letters?flow=console-redrive');
      return (r['deadLetters'] as unknown[]).length > 0;
    }, 'the dead letter');
    await admin('PUT', '/api/flows/console-redrive', { payloadSchema: { level: 'string' } });
    await goTo(page, 'Dead letters');
    await page.locator('.filters input').first().fill('console-redrive');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.locator('tr[data-dead-letter]').first();
    await row.waitFor();
    await row.getByRole('button', { name: /View/ }).click();
    await page.getByTestId('payload').filter({ hasText: '7b 22 6c 65' }).waitFor();
    await screenshot(page, 'dead-letters');
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: /Re-drive selected/ }).click();
    await page.getByTestId('redrive-report').filter({ hasText: 'stored' }).waitFor();
  });

  it('admin: provisioning refuses a malformed key at the field; a wrong key ends as wrong_key', async () => {
    await goTo(page, 'Fleet');
    await page.getByRole('link', { name: GATEWAY }).click();
    const form = page.getByTestId('provisioning');
    await form.locator('#meter-0-deviceId').waitFor();
    const [first, second] = demoMeters();
    expect(await form.locator('#meter-0-deviceId').inputValue()).toBe(first?.['deviceId']);
    await form.locator('#meter-0-encryptionKey').fill('not-a-key');
    await form.getByRole('button', { name: 'Save meter list' }).click();
    await form.locator('#meter-0-encryptionKey-error').waitFor();
    await form.locator('#meter-0-encryptionKey').fill('ffffffffffffffffffffffffffffffff');
    await form.locator('#meter-1-encryptionKey').fill(second?.['encryptionKey'] ?? '');
    await form.getByRole('button', { name: 'Save meter list' }).click();
    await page
      .getByTestId('provisioning-answer')
      .filter({ hasText: /applied|pending/ })
      .waitFor();
    await page
      .locator(`tr[data-meter="${first?.['deviceId']}"] .badge`, { hasText: 'wrong_key' })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'gateway-wrong-key');
  });

  it('every page is readable at 360 px: nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/fleet', `/gateways/${GATEWAY}`, '/live', '/series', '/flows', '/dead-letters']) {
      await page.goto(`${base}${path}`);
      await page.locator('main h1').waitFor();
      await page.waitForTimeout(300);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(360);
    }
    await screenshot(page, 'dead-letters-360');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('without configured tokens (loopback only) the console asks for none', async () => {
    const open = new Chain({
      dataDir: join(dir, 'open'),
      gatewayId: GATEWAY,
      mqttUrl: chain.mqttUrl,
      logLevel: 'warn',
      serverEnv: { MQTT_CLIENT_ID: 'iotgw-server-open' },
    });
    await open.startBroker();
    await open.startServer();
    try {
      const other = await openConsole(browser, `http://127.0.0.1:${open.httpPort}`);
      await other.page.locator(`tr[data-gateway="${GATEWAY}"]`).waitFor();
      expect(await other.page.locator('#token').count()).toBe(0);
      expect(await other.page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
      expect(other.errors).toEqual([]);
      await other.page.close();
    } finally {
      await open.stop();
    }
  });

  it('no console errors on any page', () => {
    expect(errors).toEqual([]);
  });
});
