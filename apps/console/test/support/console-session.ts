import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@iotgw/testkit';
import type { Browser, Page } from 'playwright-core';

/** Where the tests leave their screenshots (docs/console.md shows them). */
export const screenshotDir = process.env['IOTGW_CONSOLE_SCREENSHOTS'] || join(repoRoot, 'docs', 'console');

/** Network errors Chromium logs for answers the tests provoke on purpose (login probe, refused write, validation). */
const EXPECTED = /Failed to load resource: the server responded with a status of (400|401|403|409)/;

/** A browser page on the console that collects every console error and uncaught exception. */
export async function openConsole(browser: Browser, base: string, viewport = { width: 1280, height: 860 }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  /** The text of every confirm() the console asked (all accepted). */
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${page.url()}: uncaught ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.accept();
  });
  await page.goto(`${base}/fleet`);
  return { page, errors, dialogs };
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header nav').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

export async function goTo(page: Page, label: string): Promise<void> {
  await page.locator('header nav').getByRole('link', { name: label, exact: true }).click();
}
