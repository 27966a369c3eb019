import type { Logger } from '@iotgw/logger';
import { builtInDrivers, type DriverRegistry, mergeDrivers } from '@iotgw/wmbus';
import { formatDriverProblem, loadDriverFiles } from '@iotgw/wmbus/driver-files';

/**
 * Reads `wmbus.driversDir` once at start: every good driver file is used, every bad one is logged with
 * file, line and path (and skipped), a user driver with a built-in's name replaces it with one log line.
 * Undefined when no directory is configured (the built-in drivers are used).
 */
export function loadUserDrivers(dir: string | undefined, log: Logger): DriverRegistry | undefined {
  if (dir === undefined) return undefined;
  const report = loadDriverFiles([dir]);
  for (const p of report.problems)
    log.error({ file: p.file, line: p.line, path: p.path }, formatDriverProblem(p));
  for (const w of report.warnings)
    log.warn({ file: w.file, line: w.line, path: w.path }, formatDriverProblem(w));
  const merged = mergeDrivers(
    builtInDrivers,
    report.drivers.map((d) => d.driver),
  );
  for (const name of merged.replaced) {
    const file = report.drivers.find((d) => d.driver.name === name)?.file;
    log.info({ driver: name, file }, `user driver ${name} replaces the built-in driver`);
  }
  for (const c of merged.conflicts) log.warn({ dir }, `driver conflict: ${c}; the first one is used`);
  log.info(
    {
      dir,
      loaded: report.drivers.length,
      bad: report.problems.length,
      drivers: merged.registry.drivers.length,
    },
    'meter drivers loaded',
  );
  return merged.registry;
}
