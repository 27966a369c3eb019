import {
  isoTimestamp,
  type MeterConfig,
  type MeterProvisioningEntry,
  type MeterState,
  type MeterStatus,
  type MeterStatusReport,
} from '@iotgw/contracts';
import { decodeTelegram, type MeterReading } from '../decode/decode-telegram.js';
import { MeterDecodeState } from '../decode/meter-decode-state.js';
import { builtInDriverRegistry } from '../drivers/built-in-drivers.js';
import type { DriverRegistry } from '../drivers/driver-registry.js';
import type { MeterDriver } from '../drivers/meter-driver.js';
import { type FrameFormatOption, frameFormatCandidates, parseLinkLayer } from '../link/link-layer.js';
import type { DecodedRecord } from '../records/parse-records.js';
import { RegistryCounters, type RegistryCountersSnapshot } from './registry-counters.js';
import type { RegistryStore, StoredMeter } from './registry-store.js';
import { storedToEntry, type ValidatedEntry, validateProvisioningEntry } from './validate-provisioning.js';

/** A monitored meter as anything loggable may see it: never the key. */
export interface RegisteredMeter {
  readonly deviceId: string;
  readonly manufacturerKey: string;
  readonly manufacturerDeviceKey?: string;
  /** Position in the provisioning message. */
  readonly index: number;
  readonly hasKey: boolean;
}

export type TelegramOutcome =
  | {
      readonly kind: 'reading';
      readonly entry: RegisteredMeter;
      readonly reading: MeterReading;
      readonly statusChanged: boolean;
    }
  | { readonly kind: 'ignored'; readonly reason: 'not_monitored' | 'unparseable'; readonly detail: string }
  | {
      readonly kind: 'failed';
      readonly entry: RegisteredMeter;
      readonly code: string;
      readonly detail: string;
      readonly statusChanged: boolean;
      /** Generic records when the failure is WMBUS_ERR_NO_DRIVER. */
      readonly records?: DecodedRecord[];
    };

interface Entry {
  readonly meter: RegisteredMeter;
  status: MeterState;
  reason?: string;
  driver?: string;
  media?: string;
  lastSeen?: number;
  rssiDbm?: number;
  telegrams: number;
  readonly state: MeterDecodeState;
  readonly keyHex?: string;
}

export interface MeterRegistryOptions {
  readonly store: RegistryStore;
  readonly now?: () => number;
  readonly drivers?: DriverRegistry;
  /** DLL CRC handling for incoming telegrams; default 'auto'. */
  readonly frameFormat?: FrameFormatOption;
}

/**
 * The meters a gateway monitors, as the server provisions them: validates each entry, decrypts and decodes
 * their telegrams with per-meter state, and reports per meter what it can and cannot read
 * (invalid / never_heard / wrong_key / not_encrypted / undecodable / ok). Telegrams from other meters are
 * ignored and counted. Keys live in a private map: never in an entry, a status, a reason or a log line.
 */
export class MeterRegistry {
  readonly #store: RegistryStore;
  readonly #now: () => number;
  readonly #drivers: DriverRegistry;
  readonly #frameFormat: FrameFormatOption;
  readonly #keys = new Map<string, Uint8Array>();
  #entries: Entry[] = [];
  #byId = new Map<string, Entry>();
  readonly #counters = new RegistryCounters();

  constructor(options: MeterRegistryOptions) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#drivers = options.drivers ?? builtInDriverRegistry;
    this.#frameFormat = options.frameFormat ?? 'auto';
  }

  /** Restores the last saved list (statuses start as never_heard / invalid). */
  async load(): Promise<MeterStatus[]> {
    const saved = await this.#store.load();
    const seen = new Map<string, number>();
    const validated: ValidatedEntry[] = (saved ?? []).map((m) =>
      m.invalidReason === undefined
        ? validateProvisioningEntry(storedToEntry(m), m.index, seen)
        : { ok: false, index: m.index, deviceId: m.deviceId, reason: m.invalidReason, ...optionalIds(m) },
    );
    this.#install(validated);
    return this.#statuses();
  }

  /** Replaces the monitored list, validating every entry on its own, and persists it. */
  async replace(entries: readonly MeterProvisioningEntry[]): Promise<MeterStatus[]> {
    const seen = new Map<string, number>();
    const list: readonly unknown[] = Array.isArray(entries) ? entries : [];
    const validated = list.map((e, i) => validateProvisioningEntry(e, i, seen));
    this.#install(validated);
    await this.#store.save(this.#entries.map((e) => this.#stored(e)));
    return this.#statuses();
  }

  #install(validated: readonly ValidatedEntry[]): void {
    const previous = this.#byId;
    const entries: Entry[] = [];
    const byId = new Map<string, Entry>();
    const keys = new Map<string, Uint8Array>();
    for (const v of validated) {
      const meter: RegisteredMeter = Object.freeze({
        deviceId: v.deviceId,
        manufacturerKey: v.manufacturerKey ?? '',
        ...(v.manufacturerDeviceKey === undefined ? {} : { manufacturerDeviceKey: v.manufacturerDeviceKey }),
        index: v.index,
        hasKey: v.ok,
      });
      if (!v.ok) {
        entries.push({
          meter,
          status: 'invalid',
          reason: v.reason,
          telegrams: 0,
          state: new MeterDecodeState(),
        });
        continue;
      }
      const old = previous.get(v.deviceId);
      // Same meter, same key: keep what was learnt (status, formats, last values). A new key starts over.
      const entry: Entry =
        old !== undefined && old.keyHex === v.keyHex
          ? { ...old, meter }
          : { meter, status: 'never_heard', telegrams: 0, state: new MeterDecodeState(), keyHex: v.keyHex };
      entries.push(entry);
      byId.set(v.deviceId, entry);
      keys.set(v.deviceId, v.key);
    }
    this.#entries = entries;
    this.#byId = byId;
    this.#keys.clear();
    for (const [id, k] of keys) this.#keys.set(id, k);
  }

  #stored(e: Entry): StoredMeter {
    const base = { index: e.meter.index, deviceId: e.meter.deviceId, ...optionalIds(e.meter) };
    if (e.status === 'invalid') return { ...base, invalidReason: e.reason ?? 'invalid' };
    return { ...base, ...(e.keyHex === undefined ? {} : { encryptionKey: e.keyHex }) };
  }

  /** Decodes one telegram from the stick (L-prefixed) if it belongs to a monitored meter. */
  handleTelegram(bytes: Uint8Array, meta: { rssiDbm?: number; receivedAt: number }): TelegramOutcome {
    const candidate =
      this.#frameFormat === 'auto' ? (frameFormatCandidates(bytes)[0] ?? 'stripped') : this.#frameFormat;
    const link = parseLinkLayer(bytes, { frameFormat: candidate });
    if (!link.ok) {
      this.#counters.ignored('unparseable');
      return { kind: 'ignored', reason: 'unparseable', detail: `${link.code}: ${link.detail}` };
    }
    const id = link.frame.header.id;
    const entry = this.#byId.get(id);
    const key = this.#keys.get(id);
    if (entry === undefined || key === undefined) {
      this.#counters.ignored('not_monitored', id);
      return {
        kind: 'ignored',
        reason: 'not_monitored',
        detail: `meter ${id} (${link.frame.header.manufacturer}) is not monitored`,
      };
    }
    entry.telegrams++;
    entry.lastSeen = meta.receivedAt;
    if (meta.rssiDbm !== undefined) entry.rssiDbm = meta.rssiDbm;
    const before = `${entry.status}|${entry.reason ?? ''}`;
    const r = decodeTelegram(bytes, {
      key,
      state: entry.state,
      drivers: this.#drivers,
      frameFormat: this.#frameFormat,
    });
    if (r.ok) {
      entry.status = 'ok';
      delete entry.reason;
      entry.driver = r.reading.driver;
      entry.media = r.reading.media;
      this.#counters.reading();
      return { kind: 'reading', entry: entry.meter, reading: r.reading, statusChanged: before !== 'ok|' };
    }
    this.#counters.failed(r.code);
    if (r.header) entry.media = r.header.media;
    if (r.code === 'WMBUS_ERR_WRONG_KEY') {
      entry.status = 'wrong_key';
      entry.reason =
        'the configured key does not decrypt this meter (payload CRC check failed after decryption)';
    } else if (r.code === 'WMBUS_ERR_NOT_ENCRYPTED') {
      entry.status = 'not_encrypted';
      entry.reason = 'a key is configured but the meter sent a plaintext telegram (refused)';
    } else if (!(r.code === 'WMBUS_ERR_UNKNOWN_FORMAT' && entry.status === 'ok')) {
      // A compact frame before the first full one does not spoil an ok meter; anything else is reported.
      entry.status = 'undecodable';
      entry.reason = `${r.code}: ${r.detail}`;
    }
    const statusChanged = before !== `${entry.status}|${entry.reason ?? ''}`;
    return {
      kind: 'failed',
      entry: entry.meter,
      code: r.code,
      detail: r.detail,
      statusChanged,
      ...(r.records === undefined ? {} : { records: r.records }),
    };
  }

  /** Every provisioned meter with its state, for the retained meterStatus message. */
  statusReport(): MeterStatusReport {
    return { timestamp: isoTimestamp(new Date(this.#now())), meters: this.#statuses() };
  }

  #statuses(): MeterStatus[] {
    return this.#entries.map((e) => ({
      deviceId: e.meter.deviceId,
      ...(e.meter.manufacturerKey === '' ? {} : { manufacturerKey: e.meter.manufacturerKey }),
      ...(e.meter.manufacturerDeviceKey === undefined
        ? {}
        : { manufacturerDeviceKey: e.meter.manufacturerDeviceKey }),
      index: e.meter.index,
      status: e.status,
      ...(e.reason === undefined ? {} : { reason: e.reason }),
      ...(e.driver === undefined ? {} : { driver: e.driver }),
      ...(e.lastSeen === undefined ? {} : { lastSeen: isoTimestamp(new Date(e.lastSeen)) }),
      ...(e.rssiDbm === undefined ? {} : { rssi_dbm: e.rssiDbm }),
      ...(e.status === 'invalid' ? {} : { telegrams: e.telegrams }),
    }));
  }

  /**
   * What the gateway will publish for a monitored meter (never the key). The driver is the one that decoded
   * it; before the meter is heard, a driver whose name or alias starts the manufacturerDeviceKey
   * (e.g. "OmniPower1") is assumed; otherwise `fields` is empty.
   */
  configFor(deviceId: string): MeterConfig | undefined {
    const e = this.#byId.get(deviceId);
    if (e === undefined) return undefined;
    const driver = (e.driver ? this.#drivers.byName(e.driver) : undefined) ?? this.#guessDriver(e.meter);
    const media = e.media ?? driver?.media;
    return {
      timestamp: isoTimestamp(new Date(this.#now())),
      deviceId: e.meter.deviceId,
      manufacturerKey: e.meter.manufacturerKey,
      ...(e.meter.manufacturerDeviceKey === undefined
        ? {}
        : { manufacturerDeviceKey: e.meter.manufacturerDeviceKey }),
      ...(driver === undefined ? {} : { driver: driver.name }),
      ...(media === undefined ? {} : { media }),
      encrypted: e.meter.hasKey,
      fields: (driver?.fields ?? []).map((f) => ({ name: f.name, unit: f.unit, quantity: f.quantity })),
    };
  }

  #guessDriver(m: RegisteredMeter): MeterDriver | undefined {
    const hint = (m.manufacturerDeviceKey ?? '').toLowerCase();
    if (hint === '') return undefined;
    return this.#drivers.drivers.find((d) => [d.name, ...d.aliases].some((n) => hint.startsWith(n)));
  }

  /** The monitored (accepted) meters. */
  meters(): RegisteredMeter[] {
    return this.#entries.filter((e) => e.status !== 'invalid').map((e) => e.meter);
  }

  /** Telegram counts by outcome and failure code, and how many foreign meters were heard. */
  counters(): RegistryCountersSnapshot {
    return this.#counters.snapshot();
  }
}

function optionalIds(m: { manufacturerKey?: string; manufacturerDeviceKey?: string }): {
  manufacturerKey?: string;
  manufacturerDeviceKey?: string;
} {
  return {
    ...(m.manufacturerKey === undefined || m.manufacturerKey === ''
      ? {}
      : { manufacturerKey: m.manufacturerKey }),
    ...(m.manufacturerDeviceKey === undefined ? {} : { manufacturerDeviceKey: m.manufacturerDeviceKey }),
  };
}
