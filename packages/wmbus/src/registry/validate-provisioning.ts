import { meterProvisioningRules as rules } from '@iotgw/contracts';
import type { StoredMeter } from './registry-store.js';

/** An accepted entry, with its key as bytes; or a refused one with a reason that never contains the key. */
export type ValidatedEntry =
  | {
      readonly ok: true;
      readonly index: number;
      readonly deviceId: string;
      readonly manufacturerKey: string;
      readonly manufacturerDeviceKey?: string;
      readonly key: Uint8Array;
      readonly keyHex: string;
    }
  | {
      readonly ok: false;
      readonly index: number;
      /** Echoed only when it looks like an id (never a long hex string that may be a key). */
      readonly deviceId: string;
      readonly manufacturerKey?: string;
      readonly manufacturerDeviceKey?: string;
      readonly reason: string;
    };

/** Ids are echoed in status reports only when they look like ids: a 32-hex key can never pass. */
const SAFE_ECHO = /^[0-9A-Za-z_.-]{0,12}$/;

function echo(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_ECHO.test(value) ? value : undefined;
}

/**
 * Checks one provisioning entry: 8-digit deviceId, 32-hex encryptionKey, a manufacturerKey usable in a topic
 * (letters, digits, `_`, `.`), an optional string manufacturerDeviceKey. `seen` detects duplicate ids.
 */
export function validateProvisioningEntry(
  entry: unknown,
  index: number,
  seen: Map<string, number>,
): ValidatedEntry {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    return { ok: false, index, deviceId: '', reason: 'entry is not an object' };
  const e = entry as Record<string, unknown>;
  const key = e['encryptionKey'];
  const deviceId = echo(e['deviceId']) ?? '';
  const manufacturerKey = echo(e['manufacturerKey']);
  const mdk = e['manufacturerDeviceKey'];
  const manufacturerDeviceKey =
    typeof mdk === 'string' && rules.manufacturerDeviceKey.pattern.test(mdk) ? mdk : undefined;
  const refuse = (reason: string): ValidatedEntry => ({
    ok: false,
    index,
    deviceId,
    ...(manufacturerKey === undefined ? {} : { manufacturerKey }),
    ...(manufacturerDeviceKey === undefined ? {} : { manufacturerDeviceKey }),
    reason,
  });
  if (typeof e['deviceId'] !== 'string') return refuse('deviceId is missing');
  if (!rules.deviceId.pattern.test(e['deviceId'])) return refuse('deviceId must be 8 digits');
  if (typeof e['manufacturerKey'] !== 'string' || e['manufacturerKey'] === '')
    return refuse('manufacturerKey is missing');
  if (!rules.manufacturerKey.pattern.test(e['manufacturerKey']))
    return refuse('manufacturerKey must be 1-32 letters, digits, "_" or "." (it is used in topics)');
  if (mdk !== undefined && typeof mdk !== 'string') return refuse('manufacturerDeviceKey must be a string');
  if (typeof mdk === 'string' && manufacturerDeviceKey === undefined)
    return refuse(
      'manufacturerDeviceKey must be at most 64 characters and must not look like a key (it is published)',
    );
  if (key === undefined || key === null || key === '') return refuse('encryptionKey is missing');
  if (typeof key !== 'string' || !rules.encryptionKey.pattern.test(key))
    return refuse('encryptionKey must be 32 hex digits (AES-128)');
  const previous = seen.get(e['deviceId']);
  if (previous !== undefined) return refuse(`duplicate deviceId (already at index ${previous})`);
  seen.set(e['deviceId'], index);
  const keyHex = key.toUpperCase();
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Number.parseInt(keyHex.slice(2 * i, 2 * i + 2), 16);
  return {
    ok: true,
    index,
    deviceId: e['deviceId'],
    manufacturerKey: e['manufacturerKey'],
    ...(manufacturerDeviceKey === undefined ? {} : { manufacturerDeviceKey }),
    key: bytes,
    keyHex,
  };
}

/** Turns a stored meter back into a provisioning-like entry to validate again on load. */
export function storedToEntry(m: StoredMeter): unknown {
  return {
    deviceId: m.deviceId,
    ...(m.manufacturerKey === undefined ? {} : { manufacturerKey: m.manufacturerKey }),
    ...(m.manufacturerDeviceKey === undefined ? {} : { manufacturerDeviceKey: m.manufacturerDeviceKey }),
    ...(m.encryptionKey === undefined ? {} : { encryptionKey: m.encryptionKey }),
  };
}
