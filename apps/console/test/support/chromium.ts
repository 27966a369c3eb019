import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core; never `playwright install`.
 * IOTGW_TEST_CHROMIUM (set by .ci/run) announces it: then a missing browser fails the suite. Without
 * it, a missing /usr/bin/chromium skips the suite with the reason printed.
 */
export const chromiumPath = process.env['IOTGW_TEST_CHROMIUM'] || '/usr/bin/chromium';

export function chromiumSkipReason(): string | null {
  if (existsSync(chromiumPath)) return null;
  if (process.env['IOTGW_TEST_CHROMIUM']) {
    throw new Error(
      `IOTGW_TEST_CHROMIUM=${chromiumPath} announces a browser but there is none: apt-get install -y chromium`,
    );
  }
  return `no Chromium at ${chromiumPath}: browser tests skipped (apt-get install -y chromium; CI sets IOTGW_TEST_CHROMIUM)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
