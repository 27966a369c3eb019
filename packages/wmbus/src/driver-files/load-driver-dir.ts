import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { MeterDriver } from '../drivers/meter-driver.js';
import { type DriverFileProblem, MAX_DRIVER_FILE_BYTES, parseDriverFile } from './parse-driver-file.js';

/** Driver files a directory may hold (more are refused with one problem): a documented limit. */
export const MAX_DRIVER_FILES = 1000;

const EXTENSIONS = ['.json', '.yaml', '.yml', '.xmq'];

export interface LoadedDriverFile {
  readonly file: string;
  readonly driver: MeterDriver;
}

export interface DriverLoadReport {
  readonly drivers: LoadedDriverFile[];
  readonly problems: DriverFileProblem[];
  readonly warnings: DriverFileProblem[];
}

export function isDriverFile(name: string): boolean {
  return EXTENSIONS.some((e) => name.endsWith(e));
}

/** Reads one driver file; a read error becomes a problem. */
export function loadDriverFile(file: string, report: DriverLoadReport): void {
  let text: string;
  try {
    if (statSync(file).size > MAX_DRIVER_FILE_BYTES) {
      report.problems.push({
        file,
        path: '/',
        message: `file is larger than ${MAX_DRIVER_FILE_BYTES} bytes`,
      });
      return;
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    report.problems.push({ file, path: '/', message: `cannot read: ${(e as Error).message}` });
    return;
  }
  const r = parseDriverFile(file, text);
  if (r.ok) {
    report.drivers.push({ file, driver: r.driver });
    report.warnings.push(...r.warnings);
  } else report.problems.push(...r.problems);
}

/**
 * Loads every driver file (.json, .yaml, .yml, .xmq) of the given files and directories (not recursive),
 * in name order. Never throws for a bad file: each problem is reported with file, line and path, and the
 * other files still load.
 */
export function loadDriverFiles(paths: readonly string[]): DriverLoadReport {
  const report: DriverLoadReport = { drivers: [], problems: [], warnings: [] };
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      report.problems.push({ file: p, path: '/', message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    if (!isDir) {
      loadDriverFile(p, report);
      continue;
    }
    const names = readdirSync(p).filter(isDriverFile).sort();
    if (names.length > MAX_DRIVER_FILES)
      report.problems.push({
        file: p,
        path: '/',
        message: `${names.length} driver files; only the first ${MAX_DRIVER_FILES} are loaded`,
      });
    for (const name of names.slice(0, MAX_DRIVER_FILES)) loadDriverFile(join(p, basename(name)), report);
  }
  return report;
}
