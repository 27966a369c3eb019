import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BleError } from '../ble-error.js';

export const SYSFS_BLUETOOTH = '/sys/class/bluetooth';
export const NOBLE_MODULE = '@abandonware/noble';

/** Linux capability raw HCI sockets need (noble documents `cap_net_raw`; CAP_NET_ADMIN=12 lets it also bring an adapter up). */
const CAP_NET_RAW = 13n;

export interface ProbeOptions {
  /** Adapter index: 0 = hci0. */
  adapter: number;
  /** Where adapters are listed; default /sys/class/bluetooth. */
  sysfsRoot?: string;
  /** Process status file with `CapEff:`; default /proc/self/status. */
  procStatusPath?: string;
  /** Module to resolve; default @abandonware/noble. */
  nobleModule?: string;
}

export const SETCAP_FIX =
  'sudo setcap cap_net_raw,cap_net_admin+eip "$(readlink -f "$(command -v node)")" ' +
  '(or run the service with AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN)';

/** Adapter names (`hci0`, `hci1`, …) present, sorted; empty when none or no Bluetooth in the kernel. */
export async function listAdapters(sysfsRoot: string = SYSFS_BLUETOOTH): Promise<string[]> {
  try {
    const entries = await readdir(sysfsRoot);
    return entries.filter((e) => /^hci\d+$/.test(e)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  } catch {
    return [];
  }
}

/** Throws BLE_ERR_NO_ADAPTER when `hci<adapter>` is not present, with what is and how to fix it. */
export async function checkAdapter(adapter: number, sysfsRoot: string = SYSFS_BLUETOOTH): Promise<string> {
  const name = `hci${adapter}`;
  const adapters = await listAdapters(sysfsRoot);
  if (adapters.includes(name)) return name;
  if (adapters.length === 0) {
    throw new BleError(
      'BLE_ERR_NO_ADAPTER',
      `no Bluetooth adapter found (${sysfsRoot} lists none): plug in or enable one (Raspberry Pi: check ` +
        '`dtoverlay=disable-bt` is not set, then `sudo rfkill unblock bluetooth`), or use replay/simulation instead of noble',
    );
  }
  throw new BleError(
    'BLE_ERR_NO_ADAPTER',
    `Bluetooth adapter ${name} not found; present: ${adapters.join(', ')}. Set the BLE adapter index to one of them`,
  );
}

/** True when the effective capabilities include CAP_NET_RAW (root normally has it). */
export async function hasRawHciCapabilities(
  procStatusPath = '/proc/self/status',
): Promise<boolean | undefined> {
  let text: string;
  try {
    text = await readFile(procStatusPath, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(text);
  if (match === null) return undefined;
  const caps = BigInt(`0x${match[1]}`);
  return ((caps >> CAP_NET_RAW) & 1n) === 1n;
}

/** Throws BLE_ERR_PERMISSION when the process provably lacks the capabilities (unknown = let noble try). */
export async function checkPermissions(procStatusPath?: string): Promise<void> {
  if ((await hasRawHciCapabilities(procStatusPath)) === false) {
    throw new BleError(
      'BLE_ERR_PERMISSION',
      `this process lacks CAP_NET_RAW, needed for raw Bluetooth HCI access: run ${SETCAP_FIX}`,
    );
  }
}

/** Resolves noble without loading it; throws BLE_ERR_NOBLE_MISSING when it is not installed. */
export function resolveNoble(nobleModule: string = NOBLE_MODULE): string {
  try {
    return createRequire(import.meta.url).resolve(nobleModule);
  } catch (cause) {
    throw new BleError(
      'BLE_ERR_NOBLE_MISSING',
      `${nobleModule} is not installed (it is an optional dependency of @iotgw/ble): on the Pi run ` +
        '`sudo apt-get install -y build-essential bluetooth bluez libbluetooth-dev libudev-dev` then `pnpm install` (its native build must succeed)',
      { cause },
    );
  }
}

/**
 * Everything that can be checked before noble is imported (importing it without a usable adapter
 * makes the process abort at exit): adapter present, capabilities, noble installed. In that order.
 */
export async function probeNoble(options: ProbeOptions): Promise<{ adapterName: string; noblePath: string }> {
  const adapterName = await checkAdapter(options.adapter, options.sysfsRoot);
  await checkPermissions(options.procStatusPath);
  const noblePath = resolveNoble(options.nobleModule);
  return { adapterName, noblePath };
}
