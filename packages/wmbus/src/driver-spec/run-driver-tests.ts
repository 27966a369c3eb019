import { decodeTelegram } from '../decode/decode-telegram.js';
import { MeterDecodeState } from '../decode/meter-decode-state.js';
import { wmbusmetersJson } from '../decode/wmbusmeters-json.js';
import type { DriverRegistry } from '../drivers/driver-registry.js';
import type { MeterDriver } from '../drivers/meter-driver.js';
import { hexToBytes } from '../hex.js';

/** The outcome of one embedded driver test. */
export interface DriverTestResult {
  readonly driver: string;
  /** 0-based position among the driver's tests. */
  readonly index: number;
  readonly ok: boolean;
  /** Why it failed: one line per differing field, or the decode failure. */
  readonly differences: readonly string[];
}

/** Keys wmbusmeters' expected JSON carries that depend on the run, not the telegram. */
const IGNORED = new Set(['timestamp']);

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) + 1e-12;
  return a === b;
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));

/**
 * Runs a driver's embedded tests: each test's telegrams are decoded in order with that driver (one
 * MeterDecodeState, so a compact frame learns from an earlier full frame) and the last reading, in
 * wmbusmeters' JSON shape, must equal the expected object field for field (numbers to 1e-9 relative;
 * `timestamp` ignored; an expected null matches an absent field). Pure.
 */
export function runDriverTests(driver: MeterDriver, drivers?: DriverRegistry): DriverTestResult[] {
  return (driver.tests ?? []).map((t, index) => {
    const fail = (differences: string[]): DriverTestResult => ({
      driver: driver.name,
      index,
      ok: false,
      differences,
    });
    const key = t.key === undefined ? undefined : hexToBytes(t.key);
    if (t.key !== undefined && key?.length !== 16) return fail([`key is not 16 bytes of hex: ${t.key}`]);
    const state = new MeterDecodeState();
    let last: Record<string, unknown> | undefined;
    for (const [i, hex] of t.telegrams.entries()) {
      const bytes = hexToBytes(hex);
      if (bytes === undefined) return fail([`telegram ${i + 1} is not hex`]);
      const r = decodeTelegram(bytes, {
        driver,
        state,
        ...(drivers ? { drivers } : {}),
        ...(key ? { key } : { preDecrypted: true }),
      });
      if (!r.ok) return fail([`telegram ${i + 1}: ${r.code}: ${r.detail}`]);
      last = wmbusmetersJson(r.reading, t.meterName === undefined ? {} : { name: t.meterName });
    }
    const got = last ?? {};
    const differences: string[] = [];
    for (const [k, want] of Object.entries(t.expected)) {
      if (IGNORED.has(k)) continue;
      // wmbusmeters prints null for a field without a value; here such a field is absent.
      if (want === null && got[k] === undefined) continue;
      if (!same(got[k], want)) differences.push(`${k}: expected ${show(want)}, got ${show(got[k])}`);
    }
    for (const [k, v] of Object.entries(got))
      if (!(k in t.expected) && !IGNORED.has(k)) differences.push(`${k}: not expected, got ${show(v)}`);
    return differences.length === 0
      ? { driver: driver.name, index, ok: true, differences }
      : fail(differences);
  });
}
