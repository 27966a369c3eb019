import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@iotgw/logger';
import type { ReadingPublisher } from '../publish/reading-publisher.js';
import type { DiscoveryContext, DiscoveryMessage } from './ha-discovery.js';

/** Devices not heard for this long lose their Home Assistant entities at the next start. */
const EXPIRE_MS = 30 * 24 * 3600 * 1000;

interface KnownDevice {
  lastSeen: number;
}

/**
 * Publishes Home Assistant discovery configs (retained) once per device and process, republishes them
 * when Home Assistant restarts (`<prefix>/status` = online), and reconciles at start-up: retained configs
 * of this gateway whose device is gone (a meter no longer provisioned, a BLE device not heard for 30 days)
 * are cleared with an empty retained payload.
 */
export class DiscoveryManager {
  readonly #announced = new Map<string, DiscoveryMessage[]>();
  readonly #known = new Map<string, KnownDevice>();
  readonly #retained = new Set<string>();
  #dirty = false;

  constructor(
    readonly ctx: DiscoveryContext,
    private readonly publisher: ReadingPublisher,
    private readonly stateFile: string,
    private readonly log: Logger,
  ) {}

  /** The object-id prefix of every entity this gateway owns. */
  get objectPrefix(): string {
    return `iotgw_${this.ctx.gatewayId.replace(/[^a-zA-Z0-9_-]/g, '').toLowerCase()}_`;
  }

  async load(): Promise<void> {
    try {
      const data = JSON.parse(await readFile(this.stateFile, 'utf8')) as Record<string, KnownDevice>;
      for (const [key, value] of Object.entries(data))
        if (typeof value?.lastSeen === 'number') this.#known.set(key, value);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.log.warn({ err, file: this.stateFile }, 'cannot read discovery state: starting empty');
    }
  }

  async save(): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    await mkdir(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    await writeFile(tmp, JSON.stringify(Object.fromEntries(this.#known)), { mode: 0o600 });
    await rename(tmp, this.stateFile);
  }

  /** Announces a device's entities the first time it is seen in this process (or when its fields change). */
  async announce(messages: readonly DiscoveryMessage[], now = Date.now()): Promise<void> {
    const deviceKey = messages[0]?.deviceKey;
    if (!deviceKey) return;
    this.#known.set(deviceKey, { lastSeen: now });
    this.#dirty = true;
    const previous = this.#announced.get(deviceKey);
    if (
      previous &&
      previous.length === messages.length &&
      previous.every((m, i) => m.topic === messages[i]?.topic)
    )
      return;
    this.#announced.set(deviceKey, [...messages]);
    for (const m of messages) await this.publisher.emitRaw('ha', m.topic, JSON.stringify(m.payload), true);
  }

  /** Home Assistant came back (birth message): publish every config again. */
  async republish(): Promise<void> {
    for (const messages of this.#announced.values()) {
      for (const m of messages) await this.publisher.emitRaw('ha', m.topic, JSON.stringify(m.payload), true);
    }
  }

  /** Remembers a retained config seen on the broker during start-up. */
  observeRetained(topic: string, payload: Buffer): void {
    if (payload.length > 0) this.#retained.add(topic);
  }

  /**
   * Clears the retained configs of devices that are gone. `liveKeys` are the device keys that must stay
   * (provisioned meters); BLE devices stay while heard within the last 30 days.
   */
  async reconcile(liveKeys: ReadonlySet<string>, now = Date.now()): Promise<number> {
    let cleared = 0;
    for (const topic of this.#retained) {
      const objectId = topic.split('/')[2] ?? '';
      if (!objectId.startsWith(this.objectPrefix)) continue;
      const deviceKey = [...this.#known.keys(), ...liveKeys].find((k) =>
        objectId.startsWith(`${this.objectPrefix}${k}_`),
      );
      const known = deviceKey ? this.#known.get(deviceKey) : undefined;
      const live =
        deviceKey !== undefined &&
        (liveKeys.has(deviceKey) || (known !== undefined && now - known.lastSeen < EXPIRE_MS));
      if (live) continue;
      await this.publisher.emitRaw('ha', topic, '', true);
      cleared++;
    }
    for (const [key, value] of this.#known) {
      if (!liveKeys.has(key) && now - value.lastSeen >= EXPIRE_MS) {
        this.#known.delete(key);
        this.#dirty = true;
      }
    }
    this.#retained.clear();
    if (cleared > 0) this.log.info({ cleared }, 'cleared Home Assistant entities of devices that are gone');
    return cleared;
  }
}
