import type { ReadingValue, ReadingValues } from '../advertisement.js';
import type { FormatDecodeContext, FormatDecodeResult } from '../format-definition.js';

/**
 * How a field's raw bytes are read. `u`/`s` = unsigned/signed integer of 8–32 bits, `le`/`be` =
 * byte order, `f32` = IEEE float; `hex<N>` = N bytes as lower-case hex; `mac`/`mac_reversed` = 6
 * bytes as `AA:BB:…` (as stored / reversed); `ascii<N>` = N bytes of printable ASCII.
 */
export type ReaderType =
  | 'u8'
  | 's8'
  | 'u16le'
  | 'u16be'
  | 's16le'
  | 's16be'
  | 'u24le'
  | 'u24be'
  | 's24le'
  | 's24be'
  | 'u32le'
  | 'u32be'
  | 's32le'
  | 's32be'
  | 'f32le'
  | 'f32be'
  | 'mac'
  | 'mac_reversed'
  | `hex${number}`
  | `ascii${number}`;

/** A condition on the data a definition decodes (the whole manufacturer data, or one service-data element). */
export type Condition =
  /** The byte at `at` (after `& mask` when given) equals `equals`, or is one of them. */
  | { at: number; equals: number | readonly number[]; mask?: number }
  /** The byte at `at` (after `& mask`) differs from `notEquals`. */
  | { at: number; notEquals: number; mask?: number }
  /** Data length is exactly `length`, one of them, or within `minLength`…`maxLength`. */
  | { length: number | readonly number[] }
  | { minLength?: number; maxLength?: number };

/** How a device is recognised. Every given key must hold. */
export interface MatchSpec {
  /** Manufacturer company id (first two bytes of manufacturer data, little-endian), or several. */
  companyId?: number | readonly number[];
  /** 16-bit service-data UUID, lower-case hex (`fcd2`). */
  serviceUuid?: string;
  /** Local name: exact text, or a prefix. */
  name?: string | { prefix: string };
  /** Which part is decoded; default `service` when `serviceUuid` is given, else `manufacturer`. */
  data?: 'manufacturer' | 'service';
  /** Conditions on that part. */
  where?: readonly Condition[];
}

/** What a field hook receives: the raw number read (or NaN for non-numeric readers) and the data. */
export type FieldCompute = (raw: number, data: Uint8Array) => ReadingValue | undefined;

/** One value read from a fixed position. */
export interface FieldSpec {
  /** Output name, snake_case with the unit as suffix (`temperature_c`), see docs/ble.md. */
  name: string;
  /** Byte offset in the decoded part (manufacturer data includes its 2-byte company id). */
  at: number;
  type: ReaderType;
  /** Bit field of the raw integer: `[shift, width]`. */
  bits?: readonly [number, number];
  /** Raw values (text for text readers) that mean "not available": the field is then absent. */
  invalid?: readonly (number | string)[];
  /** value = (raw + offset) × scale / div + add (in that order; `div` keeps decimals exact). */
  offset?: number;
  scale?: number;
  div?: number;
  add?: number;
  /** Raw value → text. A raw value not listed makes the field absent. */
  enum?: Readonly<Record<number, string>>;
  /** Non-zero → true. */
  bool?: boolean;
  /** Round to this many decimals. */
  round?: number;
  /** The field is present only when these hold. */
  when?: readonly Condition[];
  /** A constant value (e.g. `present: true` for a tracker seen); `at` and `type` are then not read. */
  const?: ReadingValue;
  /** An identity value (a MAC, a UUID): it alone does not make a reading. */
  identity?: boolean;
  /** Code hook for a value no combination above expresses; `undefined` makes the field absent. */
  compute?: FieldCompute;
}

/** A device-level code hook, for formats that are not fixed positions (object streams, encryption). */
export type DeviceDecode = (data: Uint8Array, context: FormatDecodeContext) => FormatDecodeResult;

export interface DeviceCheck {
  where: Condition;
  code: 'bad_length' | 'unsupported_version' | 'no_values';
  message: string;
}

export interface DeviceDefinition {
  brand: string;
  model: string;
  /** Stable model identifier (vendor's model number). */
  modelId: string;
  match: MatchSpec;
  /** Fixed-position fields (plain formats). */
  fields?: readonly FieldSpec[];
  /** Code hook; used instead of `fields` when given. */
  decode?: DeviceDecode;
  /**
   * Checked in order once the device is identified: the first condition that does not hold refuses
   * the advert with its code (e.g. `bad_length`, `unsupported_version`).
   */
  checks?: readonly DeviceCheck[];
  /**
   * Code hook run after a successful decode, for a value carried in another part of the advert
   * (`context.advert`), e.g. a battery level in service data next to manufacturer data.
   */
  complete?: (values: ReadingValues, context: FormatDecodeContext) => void;
  /** Value names a hook can produce (for docs and invariants). */
  valueNames?: readonly string[];
  /** Value used as de-duplication sequence. */
  sequenceValue?: string;
  /** Higher is tried first among devices sharing an index key (default 0). */
  priority?: number;
}

/** One definition file: a vendor or a format family. Its id is the reading's `format`. */
export interface FamilyDefinition<Id extends string = string> {
  readonly id: Id;
  readonly title: string;
  /** Where the facts come from (specification, vendor document, library). */
  readonly source: string;
  readonly devices: readonly DeviceDefinition[];
  /** Not decoded unless named (pipeline `formats`, edge `ble.formats`): devices that are not sensors. */
  readonly optIn?: boolean;
}

/** Keeps the literal id type. */
export function defineFamily<const Id extends string>(family: FamilyDefinition<Id>): FamilyDefinition<Id> {
  return family;
}
