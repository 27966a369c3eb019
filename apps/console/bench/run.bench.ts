// Web console bench (issue 18): the console's gzipped JavaScript (baseline: Preact + uPlot alone, bundled
// the same way in this run) and, in Debian's headless Chromium against the running chain, the time from
// navigation to the first live reading on the Live page (baseline: navigation to the page's load event).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Chain } from '@iotgw/system';
import { type BenchFigure, writeBenchFigures } from '@iotgw/testkit';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env['IOTGW_BENCH_CONSOLE_RUNS'] ?? 5);
const BUDGET_KIB = 150;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function librariesOnlyGzip(): Promise<number> {
  const r = await build({
    stdin: {
      contents:
        "import { render, h } from 'preact'; import { useState } from 'preact/hooks'; import uPlot from 'uplot'; render(h('p', null, String(useState) + String(uPlot)), document.body);",
      resolveDir: here,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    write: false,
  });
  return gzipSync(r.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).length;
}

const figures: BenchFigure[] = [];
const sizes = JSON.parse(readFileSync(join(here, '..', 'dist', 'sizes.json'), 'utf8')) as Record<
  string,
  { bytes: number; gzipBytes: number }
>;
const appKiB = (sizes['app.js']?.gzipBytes ?? 0) / 1024;
const libsKiB = (await librariesOnlyGzip()) / 1024;
figures.push({
  figure: 'console JavaScript, gzipped',
  value: +appKiB.toFixed(1),
  unit: 'KiB',
  conditions: `app.js as served (esbuild, minified, gzip -9); app.css adds ${((sizes['app.css']?.gzipBytes ?? 0) / 1024).toFixed(1)} KiB`,
  baseline: { figure: 'Preact + uPlot alone, same bundling', value: +libsKiB.toFixed(1) },
  ratio: +(appKiB / libsKiB).toFixed(2),
  target: `≤ ${BUDGET_KIB} KiB`,
  met: appKiB <= BUDGET_KIB,
});

const dir = mkdtempSync(join(tmpdir(), 'iotgw-console-bench-'));
const chain = new Chain({
  dataDir: dir,
  gatewayId: 'bench-gw',
  bleIntervalMs: 500,
  meterIntervalMs: 2000,
  logLevel: 'warn',
});
const browser = await chromium.launch({
  executablePath: process.env['IOTGW_TEST_CHROMIUM'] || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  await chain.start();
  const base = `http://127.0.0.1:${chain.httpPort}`;
  // Warm up: the chain stores readings, the server has served the files once.
  const warm = await browser.newPage();
  await warm.goto(`${base}/live`);
  await warm.locator('[data-testid="live-readings"] tbody tr').first().waitFor({ timeout: 30_000 });
  await warm.close();
  const loads: number[] = [];
  const firstShown: number[] = [];
  const firstNew: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${base}/live`, { waitUntil: 'load' });
    loads.push(Date.now() - started);
    await page.locator('[data-testid="live-readings"] tbody tr').first().waitFor();
    firstShown.push(Date.now() - started);
    const seen = await page.$$eval('[data-testid="live-readings"] tbody tr', (trs) =>
      trs.map((t) => t.getAttribute('data-id')),
    );
    await page.waitForFunction(
      (ids) =>
        [...document.querySelectorAll('[data-testid="live-readings"] tbody tr')].some(
          (t) => !ids.includes(t.getAttribute('data-id')),
        ),
      seen,
      { timeout: 10_000 },
    );
    firstNew.push(Date.now() - started);
    await context.close();
  }
  const load = median(loads);
  figures.push({
    figure: 'navigation → first live reading shown (Live page)',
    value: median(firstShown),
    unit: 'ms',
    conditions: `headless Chromium, loopback, median of ${RUNS} fresh contexts; the page loads, opens /api/live (replay of the ring) and renders`,
    baseline: { figure: 'navigation → load event', value: load },
    ratio: +(median(firstShown) / load).toFixed(2),
    target: null,
    met: null,
  });
  figures.push({
    figure: 'navigation → first reading stored after the page opened, shown',
    value: median(firstNew),
    unit: 'ms',
    conditions: `as above; the demo devices publish every 500 ms (BLE) and 2 s (meters), so this includes waiting for one`,
    baseline: { figure: 'navigation → load event', value: load },
    ratio: +(median(firstNew) / load).toFixed(2),
    target: null,
    met: null,
  });
} finally {
  await browser.close();
  await chain.stop();
  rmSync(dir, { recursive: true, force: true });
}
for (const f of figures)
  console.log(`${f.figure}: ${f.value} ${f.unit} (baseline ${f.baseline?.value} → ratio ${f.ratio})`);
writeBenchFigures(figures);
