import { DriverRegistry } from './driver-registry.js';
import type { MeterDriver } from './meter-driver.js';

export interface MergedDrivers {
  readonly registry: DriverRegistry;
  /** Built-in drivers a user driver of the same name replaced (the app logs one line for each). */
  readonly replaced: readonly string[];
  /** Names or detection tuples claimed twice; the first driver keeps them. */
  readonly conflicts: readonly string[];
}

/**
 * Built-in drivers plus user drivers: a user driver with a built-in's name (or alias) replaces that built-in;
 * between user drivers, and for tuples a remaining built-in already detects, the user driver comes first.
 * Pure: the caller reports `replaced` and `conflicts`.
 */
export function mergeDrivers(builtIns: readonly MeterDriver[], users: readonly MeterDriver[]): MergedDrivers {
  const userNames = new Set(users.flatMap((d) => [d.name, ...d.aliases]));
  const replaced = builtIns.filter((d) => userNames.has(d.name)).map((d) => d.name);
  const kept = builtIns.filter((d) => !userNames.has(d.name));
  const registry = new DriverRegistry([...users, ...kept], { lenient: true });
  return { registry, replaced, conflicts: registry.conflicts };
}
