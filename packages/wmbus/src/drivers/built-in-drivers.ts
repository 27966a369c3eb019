import { DriverRegistry } from './driver-registry.js';
import { kamwater } from './kamwater.js';
import type { MeterDriver } from './meter-driver.js';
import { omnipower } from './omnipower.js';

/** Every driver shipped with iotgw. Add a meter family: one file in drivers/, one line here. */
export const builtInDrivers: readonly MeterDriver[] = Object.freeze([omnipower, kamwater]);

/** A registry of the built-in drivers (immutable; used when decode options name none). */
export const builtInDriverRegistry: DriverRegistry = new DriverRegistry(builtInDrivers);
