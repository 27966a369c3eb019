import { concatBytes } from '../bytes.js';
import { crc16En13757 } from '../crc/crc16-en13757.js';
import { AesEngine } from '../crypto/aes-engine.js';
import { ellIv, parseEll } from '../ell/ell.js';
import { hexToBytes } from '../hex.js';
import { addDllCrcs, type DllFrameFormat } from '../link/dll-crc.js';
import { manufacturerField } from '../link/manufacturer.js';
import { WmbusError } from '../result.js';
import { type RecordSpec, recordStreams } from './record-bytes.js';

/** Link-layer address of a telegram to build. */
export interface TelegramAddress {
  /** Three letters, e.g. KAM. */
  readonly manufacturer: string;
  /** 8 digits as printed. */
  readonly id: string;
  readonly version: number;
  readonly deviceType: number;
  /** C field; default 0x44 (SND_NR). */
  readonly c?: number;
}

/** How to frame the result: stripped as the iM871A delivers it (default), or with format A/B DLL CRCs. */
export type DllCrcOption = 'none' | DllFrameFormat;

/** Parses a 32-hex key; a bad key is a programmer error here (the encoders are for tests and simulators). */
export function keyBytes(key: string | Uint8Array): Uint8Array {
  const bytes = typeof key === 'string' ? hexToBytes(key) : key;
  if (bytes === undefined || bytes.length !== 16)
    throw new WmbusError('WMBUS_ERR_KEY', 'an AES-128 key is 16 bytes (32 hex digits)');
  return bytes;
}

/** The 10 link-layer bytes L C M M A A A A V T (L filled in later). */
export function linkHeaderBytes(address: TelegramAddress): Uint8Array {
  const m = manufacturerField(address.manufacturer);
  if (m === undefined) throw new WmbusError('WMBUS_ERR_ADDRESS', `manufacturer must be three letters A-Z`);
  if (!/^[0-9a-fA-F]{8}$/.test(address.id)) throw new WmbusError('WMBUS_ERR_ADDRESS', 'id must be 8 digits');
  const id = hexToBytes(address.id) ?? new Uint8Array(4);
  return Uint8Array.of(
    0,
    address.c ?? 0x44,
    m & 0xff,
    m >> 8,
    id[3] ?? 0,
    id[2] ?? 0,
    id[1] ?? 0,
    id[0] ?? 0,
    address.version & 0xff,
    address.deviceType & 0xff,
  );
}

export function finishTelegram(stripped: Uint8Array, dllCrc: DllCrcOption = 'none'): Uint8Array {
  if (stripped.length > 253)
    throw new WmbusError('WMBUS_ERR_LENGTH', 'telegram longer than an L field allows');
  stripped[0] = stripped.length - 1;
  return dllCrc === 'none' ? stripped : addDllCrcs(stripped, dllCrc);
}

export interface EllTelegramSpec {
  readonly address: TelegramAddress;
  /** ELL access number (ACC). */
  readonly accessNumber: number;
  /** Communication control; default 0x20 (synchronised), as Kamstrup meters send. */
  readonly cc?: number;
  /** SN without the security bits: session (bits 0..3) and time (bits 4..28). Default derived from ACC. */
  readonly sessionNumber?: number;
  /** AES-128 key: the span after the SN is encrypted with AES-CTR (SN security mode 1). Omitted: plaintext. */
  readonly key?: string | Uint8Array;
  /** Everything from the TPL CI on (e.g. `78 <records>` or `79 <sig> <crc> <data>`). */
  readonly payload: Uint8Array;
  readonly dllCrc?: DllCrcOption;
}

/** A telegram with an ELL-II (CI 0x8D): CC ACC SN payload-CRC, encrypted with AES-CTR when a key is given. */
export function buildEllTelegram(spec: EllTelegramSpec): Uint8Array {
  const mode = spec.key === undefined ? 0 : 1;
  const sn = (((mode & 0x7) << 29) | ((spec.sessionNumber ?? spec.accessNumber * 16) & 0x1fffffff)) >>> 0;
  const crc = crc16En13757(spec.payload);
  const ellHead = Uint8Array.of(
    0x8d,
    spec.cc ?? 0x20,
    spec.accessNumber & 0xff,
    sn & 0xff,
    (sn >>> 8) & 0xff,
    (sn >>> 16) & 0xff,
    sn >>> 24,
    crc & 0xff,
    crc >> 8,
  );
  const telegram = concatBytes([linkHeaderBytes(spec.address), ellHead, spec.payload]);
  telegram[0] = telegram.length - 1;
  if (spec.key !== undefined) {
    const parsed = parseEll(telegram, 10);
    if (!parsed.ok) throw new WmbusError('WMBUS_ERR_LENGTH', parsed.detail);
    const aes = new AesEngine(keyBytes(spec.key));
    telegram.set(aes.ctr(ellIv(telegram, parsed.ell), telegram.subarray(17)), 17);
  }
  return finishTelegram(telegram, spec.dllCrc);
}

export interface Mode5TelegramSpec {
  readonly address: TelegramAddress;
  readonly accessNumber: number;
  readonly status?: number;
  /** AES key; the records (prefixed with 2F2F, padded with 2F to whole blocks) are encrypted with AES-CBC-IV. */
  readonly key: string | Uint8Array;
  /** The record stream (DIF/VIF + data). */
  readonly records: Uint8Array;
  readonly dllCrc?: DllCrcOption;
}

/** A telegram with a short TPL header (CI 0x7A) and OMS security mode 5. */
export function buildMode5Telegram(spec: Mode5TelegramSpec): Uint8Array {
  const clear = concatBytes([Uint8Array.of(0x2f, 0x2f), spec.records]);
  const blocks = Math.ceil(clear.length / 16);
  const padded = new Uint8Array(blocks * 16).fill(0x2f);
  padded.set(clear);
  const cfg = 0x0500 | ((blocks & 0x0f) << 4);
  const link = linkHeaderBytes(spec.address);
  const iv = new Uint8Array(16);
  iv.set(link.subarray(2, 10), 0);
  iv.fill(spec.accessNumber & 0xff, 8);
  const encrypted = new AesEngine(keyBytes(spec.key)).cbcEncrypt(iv, padded);
  const tpl = Uint8Array.of(0x7a, spec.accessNumber & 0xff, spec.status ?? 0, cfg & 0xff, cfg >> 8);
  return finishTelegram(concatBytes([link, tpl, encrypted]), spec.dllCrc);
}

/** `79 <signature LE> <data CRC LE> <data>` for a compact frame of the given full record stream. */
export function compactPayload(difvif: Uint8Array, fullStream: Uint8Array, data: Uint8Array): Uint8Array {
  const sig = crc16En13757(difvif);
  const dataCrc = crc16En13757(fullStream);
  return concatBytes([Uint8Array.of(0x79, sig & 0xff, sig >> 8, dataCrc & 0xff, dataCrc >> 8), data]);
}

/** What the per-meter builders share: which meter, which key and access number, full or compact, framing. */
export interface MeterTelegramSpec {
  /** 8-digit meter id. */
  readonly id: string;
  /** AES-128 key (32 hex or 16 bytes); omitted = plaintext (SN security mode 0). */
  readonly key?: string | Uint8Array;
  readonly accessNumber: number;
  /** Compact frame (CI 0x79 with the records' format signature) instead of a full one (CI 0x78). */
  readonly compact: boolean;
  readonly sessionNumber?: number;
  readonly dllCrc?: DllCrcOption;
}

/** An ELL-II telegram carrying `records` as a full frame or as a compact frame of their format. */
export function buildRecordsTelegram(
  address: Omit<TelegramAddress, 'id'>,
  spec: MeterTelegramSpec,
  records: readonly RecordSpec[],
): Uint8Array {
  const { full, difvif, data } = recordStreams(records);
  return buildEllTelegram({
    address: { ...address, id: spec.id },
    accessNumber: spec.accessNumber,
    payload: spec.compact ? compactPayload(difvif, full, data) : concatBytes([Uint8Array.of(0x78), full]),
    ...(spec.key === undefined ? {} : { key: spec.key }),
    ...(spec.sessionNumber === undefined ? {} : { sessionNumber: spec.sessionNumber }),
    ...(spec.dllCrc === undefined ? {} : { dllCrc: spec.dllCrc }),
  });
}
