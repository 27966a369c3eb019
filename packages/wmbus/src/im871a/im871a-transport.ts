import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@iotgw/logger';
import { SerialPort } from 'serialport';
import { WmbusError } from '../result.js';
import { type BackoffOptions, backoffMs } from './backoff.js';
import { type Im871aDeviceInfo, parseConfig, parseDeviceInfo, setLinkModePayload } from './device-info.js';
import { encodeHciFrame, type HciFrame } from './hci-frame.js';
import { HciFrameParser } from './hci-frame-parser.js';
import { DevMgmt, Endpoint, LINK_MODE_CODES, type LinkMode, RadioLink, rssiToDbm } from './hci-protocol.js';

export type TransportState = 'opening' | 'ready' | 'reopening' | 'closed';

/** A received telegram: L-prefixed, DLL CRCs stripped (as decodeTelegram takes it). */
export interface StickTelegram {
  readonly bytes: Uint8Array;
  readonly rssiDbm?: number;
  readonly receivedAt: number;
}

export interface Im871aOptions {
  /** Serial device, e.g. /dev/ttyUSB0 or /dev/serial/by-id/… (a stable path survives replugging). */
  readonly path: string;
  /** Default 'c1'. 'c1t1' needs an iM871A with firmware ≥ 0x14. */
  readonly linkMode?: LinkMode;
  readonly baudRate?: 57600;
  /** Reopen backoff after an unplug or a failed start-up; default 1 s doubling to 30 s. */
  readonly reopen?: BackoffOptions;
  readonly logger?: Logger;
  /** Time to wait for each start-up response; default 1,000 ms, 3 tries. */
  readonly requestTimeoutMs?: number;
  readonly now?: () => number;
  /**
   * When no frame arrived for `idleMs` (default 60 s), ping the stick; no answer means it is wedged or gone
   * (a pty or a USB-serial adapter does not always report a hang-up), so the port is reopened. `false` disables.
   */
  readonly watchdog?: { readonly idleMs: number } | false;
  /** Waits between reopen attempts (tests pass a fake clock); default timers/promises setTimeout. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Im871aCounters {
  readonly frames: number;
  readonly telegrams: number;
  readonly crcErrors: number;
  readonly resyncs: number;
  readonly bytesDropped: number;
  readonly protocolErrors: number;
  readonly reopens: number;
  /** Pings sent because the stick was silent for the watchdog's idle time. */
  readonly watchdogPings: number;
  readonly listenerErrors: number;
}

const FATAL = new Set(['WMBUS_ERR_LINK_MODE']);

/**
 * The IMST iM871A (and iM170A) over `serialport`, 57600 8N1. Start-up as wmbusmeters does it: device info,
 * get config, set link mode with RSSI attached. Telegram indications become `StickTelegram`s. When the stick
 * goes away (unplug, port error) it reopens the same path with backoff and sends the link mode again; the
 * process never has to restart. `start()` resolves when the stick is ready the first time (opening is retried
 * meanwhile) and rejects only for a configuration the stick cannot do (C1+T1 on firmware < 0x14) or `stop()`.
 */
export class Im871aTransport {
  readonly #path: string;
  readonly #linkMode: LinkMode;
  readonly #reopen: BackoffOptions;
  readonly #log: Logger | undefined;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #idleMs: number | undefined;
  #lastFrameAt = 0;
  #watchdogPings = 0;
  readonly #telegramListeners = new Set<(t: StickTelegram) => void>();
  readonly #stateListeners = new Set<(s: TransportState, error?: Error) => void>();
  #past = { frames: 0, crcErrors: 0, resyncs: 0, bytesDropped: 0, protocolErrors: 0 };
  #parser = new HciFrameParser();
  #state: TransportState = 'closed';
  #port: SerialPort | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #abort = new AbortController();
  #pending: { msgId: number; resolve: (f: HciFrame | undefined) => void } | undefined;
  #deviceInfo: Im871aDeviceInfo | undefined;
  #telegrams = 0;
  #reopens = 0;
  #listenerErrors = 0;

  constructor(options: Im871aOptions) {
    this.#path = options.path;
    this.#linkMode = options.linkMode ?? 'c1';
    this.#reopen = options.reopen ?? { initialMs: 1_000, maxMs: 30_000 };
    this.#log = options.logger?.child({ module: 'im871a', path: options.path });
    this.#timeoutMs = options.requestTimeoutMs ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms, signal) => sleep(ms, undefined, { signal }));
    this.#idleMs = options.watchdog === false ? undefined : (options.watchdog?.idleMs ?? 60_000);
  }

  get state(): TransportState {
    return this.#state;
  }

  /** Module type, firmware, UID and dongle id, once the stick answered. */
  get deviceInfo(): Im871aDeviceInfo | undefined {
    return this.#deviceInfo;
  }

  onTelegram(fn: (t: StickTelegram) => void): () => void {
    this.#telegramListeners.add(fn);
    return () => this.#telegramListeners.delete(fn);
  }

  onStateChange(fn: (state: TransportState, error?: Error) => void): () => void {
    this.#stateListeners.add(fn);
    return () => this.#stateListeners.delete(fn);
  }

  counters(): Im871aCounters {
    const now = this.#parser.counters();
    const p = this.#past;
    return {
      frames: p.frames + now.frames,
      crcErrors: p.crcErrors + now.crcErrors,
      resyncs: p.resyncs + now.resyncs,
      bytesDropped: p.bytesDropped + now.bytesDropped,
      protocolErrors: p.protocolErrors + now.protocolErrors,
      telegrams: this.#telegrams,
      reopens: this.#reopens,
      watchdogPings: this.#watchdogPings,
      listenerErrors: this.#listenerErrors,
    };
  }

  start(): Promise<void> {
    if (this.#running) return Promise.reject(new WmbusError('WMBUS_ERR_STATE', 'transport already started'));
    this.#running = true;
    this.#abort = new AbortController();
    return new Promise<void>((resolve, reject) => {
      this.#loop = this.#run(resolve, reject);
    });
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#abort.abort();
    this.#pending?.resolve(undefined);
    await this.#closePort();
    await this.#loop;
  }

  #setState(state: TransportState, error?: Error): void {
    if (this.#state === state && error === undefined) return;
    this.#state = state;
    for (const fn of this.#stateListeners) {
      try {
        fn(state, error);
      } catch (err) {
        this.#listenerErrors++;
        this.#log?.error({ err }, 'state listener threw');
      }
    }
  }

  async #run(ready: () => void, failed: (err: Error) => void): Promise<void> {
    let attempt = 0;
    let wasReady = false;
    let settled = false;
    while (this.#running) {
      this.#setState(wasReady || attempt > 0 ? 'reopening' : 'opening');
      try {
        const port = await this.#open();
        const connection = new AbortController();
        const closed = new Promise<{ kind: 'closed'; err: Error | null }>((resolve) =>
          port.once('close', (err: Error | null) => {
            connection.abort();
            resolve({ kind: 'closed', err });
          }),
        );
        await this.#setup();
        attempt = 0;
        wasReady = true;
        this.#setState('ready');
        this.#log?.info({ deviceInfo: this.#deviceInfo, linkMode: this.#linkMode }, 'wM-Bus stick ready');
        if (!settled) {
          settled = true;
          ready();
        }
        const end = await Promise.race([closed, this.#watch(connection.signal)]);
        connection.abort();
        if (end.kind === 'silent') {
          this.#log?.warn({ idleMs: this.#idleMs }, 'wM-Bus stick stopped answering; reopening');
          await this.#closePort();
        } else {
          this.#port = undefined;
          if (!this.#running) break;
          this.#log?.warn(
            { err: end.kind === 'closed' ? end.err : null },
            'wM-Bus stick went away; reopening',
          );
        }
        if (!this.#running) break;
      } catch (err) {
        await this.#closePort();
        const e = err instanceof Error ? err : new Error(String(err));
        if (e instanceof WmbusError && FATAL.has(e.code)) {
          this.#running = false;
          this.#log?.error({ err: e }, 'wM-Bus stick cannot run as configured');
          this.#setState('closed', e);
          if (!settled) {
            settled = true;
            failed(e);
          }
          return;
        }
        if (!this.#running) break;
        this.#log?.warn({ err: e, attempt }, 'wM-Bus stick not usable; will retry');
      }
      const delay = backoffMs(attempt++, this.#reopen);
      this.#reopens++;
      this.#setState('reopening');
      try {
        await this.#sleep(delay, this.#abort.signal);
      } catch {
        break;
      }
    }
    this.#setState('closed');
    if (!settled) failed(new WmbusError('WMBUS_ERR_STOPPED', 'transport stopped before the stick was ready'));
  }

  /** 'silent' when the stick did not answer a ping after `idleMs` without frames; 'aborted' when the connection ended. */
  async #watch(signal: AbortSignal): Promise<{ kind: 'silent' | 'aborted' }> {
    const idleMs = this.#idleMs;
    this.#lastFrameAt = performance.now();
    while (!signal.aborted) {
      const wait = idleMs === undefined ? 2 ** 31 - 1 : idleMs - (performance.now() - this.#lastFrameAt);
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          break;
        }
        continue;
      }
      this.#watchdogPings++;
      try {
        await this.#request(DevMgmt.pingReq);
        this.#lastFrameAt = performance.now();
      } catch {
        return { kind: signal.aborted ? 'aborted' : 'silent' };
      }
    }
    return { kind: 'aborted' };
  }

  #open(): Promise<SerialPort> {
    // A fresh parser per connection: bytes left over from the old one belong to nobody.
    const c = this.counters();
    this.#past = {
      frames: c.frames,
      crcErrors: c.crcErrors,
      resyncs: c.resyncs,
      bytesDropped: c.bytesDropped,
      protocolErrors: c.protocolErrors,
    };
    this.#parser = new HciFrameParser();
    return new Promise((resolve, reject) => {
      const port = new SerialPort({
        path: this.#path,
        baudRate: 57600,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
        rtscts: false,
        autoOpen: false,
      });
      port.on('error', (err) => this.#log?.warn({ err }, 'serial port error'));
      port.on('data', (chunk: Buffer) => this.#onData(chunk));
      port.on('close', () => this.#pending?.resolve(undefined));
      port.open((err) => {
        if (err) {
          port.removeAllListeners();
          reject(err);
          return;
        }
        this.#port = port;
        resolve(port);
      });
    });
  }

  async #closePort(): Promise<void> {
    const port = this.#port;
    this.#port = undefined;
    if (port === undefined || !port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  async #setup(): Promise<void> {
    const info = parseDeviceInfo((await this.#request(DevMgmt.getDeviceInfoReq)).payload);
    if (info === undefined) throw new WmbusError('WMBUS_ERR_PROTOCOL', 'device info response too short');
    if (this.#linkMode === 'c1t1' && (info.moduleType !== 0x33 || info.firmware < 0x14))
      throw new WmbusError(
        'WMBUS_ERR_LINK_MODE',
        `link mode C1+T1 needs an iM871A with firmware >= 0x14; this is ${info.moduleName} firmware 0x${info.firmware.toString(16)}`,
      );
    const config = parseConfig((await this.#request(DevMgmt.getConfigReq)).payload);
    this.#deviceInfo = {
      ...info,
      ...(config.dongleId === undefined ? {} : { dongleId: config.dongleId }),
      ...(config.linkMode === undefined ? {} : { configuredLinkMode: config.linkMode }),
    };
    await this.#request(DevMgmt.setConfigReq, setLinkModePayload(LINK_MODE_CODES[this.#linkMode]));
  }

  async #request(msgId: number, payload?: Uint8Array): Promise<HciFrame> {
    const frame = encodeHciFrame({ endpoint: Endpoint.devmgmt, msgId, ...(payload ? { payload } : {}) });
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = this.#port;
      if (port === undefined || !port.isOpen || !this.#running)
        throw new WmbusError('WMBUS_ERR_CLOSED', 'port closed during start-up');
      const response = new Promise<HciFrame | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.#pending = undefined;
          resolve(undefined);
        }, this.#timeoutMs);
        this.#pending = {
          msgId: msgId + 1,
          resolve: (f) => {
            clearTimeout(timer);
            this.#pending = undefined;
            resolve(f);
          },
        };
      });
      port.write(Buffer.from(frame));
      const f = await response;
      if (f !== undefined) return f;
      this.#log?.debug({ msgId, attempt }, 'no response from stick');
    }
    throw new WmbusError('WMBUS_ERR_TIMEOUT', `stick did not answer request 0x${msgId.toString(16)}`);
  }

  #onData(chunk: Buffer): void {
    const frames = this.#parser.push(chunk);
    if (frames.length > 0) this.#lastFrameAt = performance.now();
    for (const f of frames) {
      if (f.endpoint === Endpoint.radiolink && f.msgId === RadioLink.wmbusMsgInd) this.#emitTelegram(f);
      else if (f.endpoint === Endpoint.devmgmt && this.#pending?.msgId === f.msgId) this.#pending.resolve(f);
      else this.#log?.debug({ endpoint: f.endpoint, msgId: f.msgId }, 'unexpected HCI frame');
    }
  }

  #emitTelegram(f: HciFrame): void {
    const bytes = new Uint8Array(f.payload.length + 1);
    bytes[0] = f.payload.length;
    bytes.set(f.payload, 1);
    const t: StickTelegram = {
      bytes,
      ...(f.rssiRaw === undefined ? {} : { rssiDbm: rssiToDbm(f.rssiRaw) }),
      receivedAt: this.#now(),
    };
    this.#telegrams++;
    for (const fn of this.#telegramListeners) {
      try {
        fn(t);
      } catch (err) {
        this.#listenerErrors++;
        this.#log?.error({ err }, 'telegram listener threw');
      }
    }
  }
}
