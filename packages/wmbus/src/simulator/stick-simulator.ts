import type { Logger } from '@iotgw/logger';
import { SerialPort } from 'serialport';
import { encodeHciFrame, type HciFrame } from '../im871a/hci-frame.js';
import { HciFrameParser } from '../im871a/hci-frame-parser.js';
import { DevMgmt, dbmToRssi, Endpoint, RadioLink } from '../im871a/hci-protocol.js';
import { parseLinkLayer } from '../link/link-layer.js';
import { paceTelegrams, type TelegramSource } from './telegram-source.js';

export interface StickSimulatorOptions {
  /** The pty end the simulator plays the stick on (the peer of the path the gateway opens). */
  readonly path: string;
  readonly source: TelegramSource;
  /** Time acceleration of the source (default 1 = recorded speed). */
  readonly speed?: number;
  /** GET_DEVICEINFO module type; default 0x33 (iM871A). */
  readonly moduleType?: number;
  /** GET_DEVICEINFO firmware; default 0x15. 0x13 makes C1+T1 unavailable. */
  readonly firmware?: number;
  /** GET_CONFIG ID field (the "dongle id"); default 0x00102644. */
  readonly dongleId?: number;
  readonly logger?: Logger;
}

export interface StickSimulatorCounters {
  readonly requests: number;
  readonly telegramsSent: number;
  readonly telegramsDropped: number;
  readonly linkModeSets: number;
}

/**
 * Plays an iM871A on one end of a pseudo-terminal pair: answers ping, device info (module 0x33, firmware
 * 0x15), get config and set config with CRC-carrying responses, and — once a link mode is set — emits the
 * source's telegrams as `A5 C2 03 N <C..end> RSSI CRC` indications (`A5 82 …` when RSSI attach is off).
 * Telegrams carrying DLL CRCs are stripped first, as a real stick does.
 */
export class StickSimulator {
  readonly #options: StickSimulatorOptions;
  readonly #parser = new HciFrameParser();
  readonly #abort = new AbortController();
  readonly #log: Logger | undefined;
  #port: SerialPort | undefined;
  #linkMode: number | undefined;
  #rssiAttach = true;
  #streaming: Promise<void> | undefined;
  #closed: Promise<void> = Promise.resolve();
  #requests = 0;
  #sent = 0;
  #dropped = 0;
  #linkModeSets = 0;
  #muted = false;

  constructor(options: StickSimulatorOptions) {
    this.#options = options;
    this.#log = options.logger?.child({ module: 'stick-simulator' });
  }

  /** Resolves when the port is open. */
  async start(): Promise<void> {
    const port = new SerialPort({ path: this.#options.path, baudRate: 57600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    this.#port = port;
    this.#closed = new Promise((resolve) => port.once('close', () => resolve()));
    port.on('error', (err) => this.#log?.debug({ err }, 'simulator port error'));
    port.on('data', (chunk: Buffer) => {
      for (const f of this.#parser.push(chunk)) this.#handle(f);
    });
    port.once('close', () => this.#abort.abort());
  }

  /** Resolves when the port closes (the pty pair went away, or stop()). */
  closed(): Promise<void> {
    return this.#closed;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    const port = this.#port;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    await this.#streaming;
  }

  /** A wedged stick: while muted it answers nothing and sends no telegrams (the port stays open). */
  setMuted(muted: boolean): void {
    this.#muted = muted;
  }

  /** The link-mode code the gateway set, if any. */
  get linkMode(): number | undefined {
    return this.#linkMode;
  }

  counters(): StickSimulatorCounters {
    return {
      requests: this.#requests,
      telegramsSent: this.#sent,
      telegramsDropped: this.#dropped,
      linkModeSets: this.#linkModeSets,
    };
  }

  #reply(msgId: number, payload?: Uint8Array): void {
    this.#write(
      encodeHciFrame({ endpoint: Endpoint.devmgmt, msgId, crc: true, ...(payload ? { payload } : {}) }),
    );
  }

  #write(bytes: Uint8Array): void {
    if (this.#port?.isOpen) this.#port.write(Buffer.from(bytes));
  }

  #handle(f: HciFrame): void {
    if (f.endpoint !== Endpoint.devmgmt || this.#muted) return;
    this.#requests++;
    const uid = 0x01020304;
    const id = this.#options.dongleId ?? 0x00102644;
    const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
    switch (f.msgId) {
      case DevMgmt.getDeviceInfoReq:
        this.#reply(
          DevMgmt.getDeviceInfoRsp,
          Uint8Array.of(
            this.#options.moduleType ?? 0x33,
            0x00,
            this.#options.firmware ?? 0x15,
            0x10,
            ...le32(uid),
          ),
        );
        return;
      case DevMgmt.getConfigReq:
        // IIFlag1: device mode, link mode, ID; IIFlag2: auto RSSI attach.
        this.#reply(
          DevMgmt.getConfigRsp,
          Uint8Array.of(0x13, 0x00, this.#linkMode ?? 6, ...le32(id), 0x10, this.#rssiAttach ? 1 : 0),
        );
        return;
      case DevMgmt.setConfigReq:
        this.#applyConfig(f.payload);
        this.#reply(DevMgmt.setConfigRsp);
        return;
      case DevMgmt.resetReq:
        this.#linkMode = undefined;
        this.#reply(DevMgmt.resetRsp);
        return;
      default:
        if (f.msgId % 2 === 1) this.#reply(f.msgId + 1);
    }
  }

  #applyConfig(p: Uint8Array): void {
    let i = 1;
    const flags1 = p[i++] ?? 0;
    if (flags1 & 0x01) i++;
    if (flags1 & 0x02) this.#linkMode = p[i++] ?? 0;
    if (flags1 & 0x04) i++;
    if (flags1 & 0x08) i += 2;
    if (flags1 & 0x10) i += 4;
    if (flags1 & 0x20) i++;
    if (flags1 & 0x40) i++;
    if (flags1 & 0x80) i++;
    if (i < p.length) {
      const flags2 = p[i++] ?? 0;
      for (let bit = 0; bit < 8; bit++) {
        if (!(flags2 & (1 << bit))) continue;
        const value = p[i++] ?? 0;
        if (bit === 4) this.#rssiAttach = value !== 0;
      }
    }
    if (this.#linkMode !== undefined) {
      this.#linkModeSets++;
      this.#streaming ??= this.#stream();
    }
  }

  async #stream(): Promise<void> {
    const paced = paceTelegrams(this.#options.source, {
      speed: this.#options.speed ?? 1,
      signal: this.#abort.signal,
    });
    try {
      for await (const t of paced) {
        if (this.#linkMode === undefined || this.#muted) {
          this.#dropped++;
          continue;
        }
        const link = parseLinkLayer(t.bytes);
        if (!link.ok) {
          this.#dropped++;
          continue;
        }
        const payload = link.frame.bytes.subarray(1);
        const rssiRaw = this.#rssiAttach ? dbmToRssi(t.rssiDbm ?? -80) : undefined;
        this.#write(
          encodeHciFrame({
            endpoint: Endpoint.radiolink,
            msgId: RadioLink.wmbusMsgInd,
            payload,
            crc: true,
            ...(rssiRaw === undefined ? {} : { rssiRaw }),
          }),
        );
        this.#sent++;
      }
    } catch (err) {
      this.#log?.error({ err }, 'telegram source failed');
    }
  }
}
