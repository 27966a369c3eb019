/**
 * One provisioning entry as persisted. Accepted entries carry their key (the file is mode 0600); refused
 * ones carry the reason instead and never the key.
 */
export interface StoredMeter {
  /** Position in the provisioning message. */
  readonly index: number;
  readonly deviceId: string;
  readonly manufacturerKey?: string;
  readonly manufacturerDeviceKey?: string;
  /** 32 hex digits, for accepted entries only. */
  readonly encryptionKey?: string;
  /** Why the entry was refused. */
  readonly invalidReason?: string;
}

/** Where the meter registry keeps the provisioned meters. One contract test suite runs against every implementation. */
export interface RegistryStore {
  /** The saved meters, or null when nothing was ever saved. */
  load(): Promise<StoredMeter[] | null>;
  /** Replaces what is saved (atomically: a crash leaves either the old or the new list). */
  save(meters: StoredMeter[]): Promise<void>;
}

/** Keeps the list in memory (tests, and gateways that re-receive their list from the server at every start). */
export class MemoryRegistryStore implements RegistryStore {
  #saved: StoredMeter[] | null = null;

  async load(): Promise<StoredMeter[] | null> {
    return this.#saved === null ? null : structuredClone(this.#saved);
  }

  async save(meters: StoredMeter[]): Promise<void> {
    this.#saved = structuredClone(meters);
  }
}

/** Checks one persisted item; undefined when it is not a StoredMeter. */
export function parseStoredMeter(value: unknown): StoredMeter | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v['index'] !== 'number' || !Number.isInteger(v['index']) || typeof v['deviceId'] !== 'string')
    return undefined;
  const out: { -readonly [K in keyof StoredMeter]: StoredMeter[K] } = {
    index: v['index'],
    deviceId: v['deviceId'],
  };
  for (const k of ['manufacturerKey', 'manufacturerDeviceKey', 'encryptionKey', 'invalidReason'] as const) {
    const x = v[k];
    if (x === undefined) continue;
    if (typeof x !== 'string') return undefined;
    out[k] = x;
  }
  return out;
}
