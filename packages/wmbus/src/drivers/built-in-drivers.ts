import { compileDriver } from '../driver-spec/compile-driver.js';
import { validateDriverSpec } from '../driver-spec/validate-driver-spec.js';
import { WmbusError } from '../result.js';
import kamwaterFile from './builtin/kamwater.json' with { type: 'json' };
import omnipowerFile from './builtin/omnipower.json' with { type: 'json' };
import { DriverRegistry } from './driver-registry.js';
import type { MeterDriver } from './meter-driver.js';

/** Every driver file shipped with iotgw. Add a meter family: one JSON file in builtin/, one line here. */
const FILES: ReadonlyArray<readonly [string, unknown]> = [
  ['omnipower.json', omnipowerFile],
  ['kamwater.json', kamwaterFile],
];

function compileBuiltIn(file: string, value: unknown): MeterDriver {
  const v = validateDriverSpec(value);
  if (!v.ok)
    throw new WmbusError(
      'WMBUS_ERR_DRIVER',
      `built-in driver ${file}: ${v.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  return compileDriver(v.spec);
}

/** The built-in drivers, compiled once when the package loads. */
export const builtInDrivers: readonly MeterDriver[] = Object.freeze(
  FILES.map(([file, value]) => compileBuiltIn(file, value)),
);

/** The built-in driver files as parsed objects (for `drivers list`, docs and tests). */
export const builtInDriverFiles: ReadonlyArray<readonly [string, unknown]> = FILES;

export const omnipower: MeterDriver = builtInDrivers[0] as MeterDriver;
export const kamwater: MeterDriver = builtInDrivers[1] as MeterDriver;

/** A registry of the built-in drivers (immutable; used when decode options name none). */
export const builtInDriverRegistry: DriverRegistry = new DriverRegistry(builtInDrivers);
